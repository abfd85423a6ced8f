#include <utility>  // before Asio (g++ 12 in C++20 needs it for awaitable.hpp)

#include "server/app.h"

#include <algorithm>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <chrono>
#include <future>
#include <memory>
#include <thread>
#include <vector>

#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include "common/clock.h"
#include "server/api/api.h"
#include "server/http/http_server.h"
#include "server/http/wire.h"

// The pieces arrive from other modules over time; the binary builds with
// whatever exists (CMake defines STEPLINE_HAVE_* for the targets it links).
#if defined(STEPLINE_HAVE_API) && __has_include("server/api/handler.h") && \
                                                __has_include("engine/runtime/engine_impl.h")
#define STEPLINE_WITH_API 1
#include "engine/runtime/engine_impl.h"
#include "integrations/default_dispatcher.h"
#include "server/api/handler.h"
#include "storage/store.h"
#else
#define STEPLINE_WITH_API 0
#endif

#ifndef STEPLINE_VERSION
#define STEPLINE_VERSION "dev"
#endif

namespace stepline::server {
namespace {

namespace net = boost::asio;
using SteadyClock = std::chrono::steady_clock;

// How long requests in flight may take to finish after SIGINT/SIGTERM
// (container runtimes send SIGKILL 10 s after SIGTERM by default).
constexpr std::chrono::milliseconds kShutdownGrace{5000};

// Answers every request 500 InternalFailure while the API is not built in.
class NotReadyHandler final : public api::ApiHandler {
 public:
  void Handle(api::ApiRequest, api::Responder respond) override {
    respond(
        http::ErrorResponse(500, "InternalFailure", "Stepline's API is not ready in this build"));
  }
};

// What serves the API: the store, the engine and the handler over them.
// Members are destroyed in reverse order: handler, engine, store.
struct Backend {
#if STEPLINE_WITH_API
  std::unique_ptr<storage::Store> store;
  std::unique_ptr<runtime::ExecutionEngine> engine;
#endif
  std::unique_ptr<api::ApiHandler> handler;

  // Stops the engine (while the io_context still runs) and closes the store.
  void Shutdown() {
#if STEPLINE_WITH_API
    engine->Shutdown();
    store->Close();
#endif
  }
};

Status OpenStore([[maybe_unused]] const Config& config, [[maybe_unused]] Backend& backend) {
#if STEPLINE_WITH_API
  storage::StoreOptions options;
  options.path = config.db;
  ASSIGN_OR_RETURN(backend.store, storage::OpenSqliteStore(options));
#endif
  return Status::Ok();
}

#if STEPLINE_WITH_API
// The Task dispatcher: mocks -> local handlers -> AWS-compatible endpoints.
Result<std::shared_ptr<task::TaskDispatcher>> MakeDispatcher(const Config& config) {
  integrations::IntegrationsConfig integrations =
      integrations::IntegrationsConfig::FromEnvironment();
  integrations.mock_config_path = config.mock_config;
  integrations.handlers_config_path = config.handlers;
  integrations.region = config.region;
  auto dispatcher = integrations::MakeDefaultDispatcher(integrations);
  if (!dispatcher.ok()) {
    return Status(ErrorCode::kValidation,
                  "Task integrations: " + std::string(dispatcher.status().message()));
  }
  if (!config.mock_config.empty())
    spdlog::info("mocked Task responses from {}", config.mock_config);
  if (!config.handlers.empty()) spdlog::info("local Task handlers from {}", config.handlers);
  return dispatcher;
}
#endif

Status StartApi([[maybe_unused]] const Config& config, [[maybe_unused]] net::io_context& io,
                Backend& backend) {
#if STEPLINE_WITH_API
  const Clock& clock = *SystemClock::Instance();
  runtime::EngineOptions options;
  options.region = config.region;
  options.account = config.account;
  options.wait_time_scale = config.wait_time_scale;
  ASSIGN_OR_RETURN(options.dispatcher, MakeDispatcher(config));
  backend.engine = runtime::MakeEngine(io, *backend.store, clock, options);
  RETURN_IF_ERROR(backend.engine->Recover());
  backend.handler = api::MakeApiHandler(api::ApiDeps{backend.store.get(), backend.engine.get(),
                                                     &clock, config.region, config.account});
#else
  spdlog::warn("this build has no API yet: every API request answers 500 InternalFailure");
  backend.handler = std::make_unique<NotReadyHandler>();
#endif
  return Status::Ok();
}

// Runs `io` on `count` threads; a handler's exception is logged, not fatal.
std::vector<std::thread> StartIoThreads(net::io_context& io, int count) {
  std::vector<std::thread> threads;
  for (int i = 0; i < count; ++i) {
    threads.emplace_back([&io] {
      for (;;) {
        try {
          io.run();
          return;
        } catch (const std::exception& e) {
          spdlog::error("uncaught exception in an I/O handler: {}", e.what());
        }
      }
    });
  }
  return threads;
}

// Every connection, the database and its WAL, and the outbound HTTP pool need
// descriptors: raises the soft limit toward the hard one so that the
// connection limit (http::kMaxConnections) is reachable where the default
// soft limit is 1024.
void RaiseDescriptorLimit() {
  constexpr rlim_t kWanted = http::kMaxConnections * 4;
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= kWanted) return;
  limit.rlim_cur = limit.rlim_max == RLIM_INFINITY ? kWanted : std::min(kWanted, limit.rlim_max);
  if (setrlimit(RLIMIT_NOFILE, &limit) != 0) {
    spdlog::warn("cannot raise the open-file limit to {}", limit.rlim_cur);
  }
}

double MillisSince(SteadyClock::time_point start) {
  return std::chrono::duration<double, std::milli>(SteadyClock::now() - start).count();
}

int Serve(const Config& config, SteadyClock::time_point started) {
  RaiseDescriptorLimit();
  int thread_count = EffectiveThreads(config);
  net::io_context io(thread_count);
  auto work = net::make_work_guard(io);
  Backend backend;
  Status status = OpenStore(config, backend);
  if (status.ok()) status = StartApi(config, io, backend);
  http::HttpServerOptions http_options;
  http_options.host = config.host;
  http_options.port = config.port;
  std::optional<http::HttpServer> server;
  if (status.ok()) status = server.emplace(io, *backend.handler, http_options).Start();
  if (!status.ok()) {
    spdlog::error("stepline could not start: {}", status.message());
    return 1;
  }

  std::promise<void> drained;
  net::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    spdlog::info("signal {}: shutting down (waiting up to {} ms for requests in flight)", signal,
                 kShutdownGrace.count());
    server->Shutdown(kShutdownGrace, [&drained] { drained.set_value(); });
  });
  std::vector<std::thread> threads = StartIoThreads(io, thread_count);
  spdlog::info(
      "stepline {} listening on http://{}:{} (db {}, region {}, account {}, {} threads); "
      "started in {:.1f} ms",
      STEPLINE_VERSION, config.host, server->port(), config.db, config.region, config.account,
      thread_count, MillisSince(started));

  drained.get_future().wait();
  backend.Shutdown();
  work.reset();
  io.stop();
  for (std::thread& t : threads) t.join();
  spdlog::info("stepline stopped");
  return 0;
}

}  // namespace

int RunServer(const Config& config) { return Serve(config, SteadyClock::now()); }

}  // namespace stepline::server
