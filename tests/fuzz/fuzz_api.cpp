// libFuzzer target: the JSON request decoding of every API action, through
// the handler the server uses (api::MakeApiHandler) over a fresh app for
// each input: an in-memory SQLite store and the real engine (Waits instant,
// no Task dispatcher, activity polls of 1 ms) on one I/O thread, stopped as
// the server stops. The input is records separated by NUL (JSON text never
// holds a raw NUL): a record's first byte picks the action from kActions
// (modulo their count), the rest is its body. Every answer must be a JSON
// object; an error must name its __type (= error_type) and carry a message,
// and never be a 5xx: whatever a client sends is the client's fault.
#include <utility>  // before Asio (g++ 12 in C++20 needs it for awaitable.hpp)

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <future>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include "common/clock.h"
#include "common/json.h"
#include "engine/runtime/engine_impl.h"
#include "server/api/handler.h"
#include "storage/store.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

namespace api = stepline::api;
namespace net = boost::asio;
using stepline::Json;

// Every action of the API, in a fixed order: an input's action bytes index
// this list, and scripts/fuzz_seeds.py reads it from this file.
constexpr const char* kActions[] = {
    "CreateActivity",
    "DescribeActivity",
    "DeleteActivity",
    "ListActivities",
    "CreateStateMachineAlias",
    "DescribeStateMachineAlias",
    "UpdateStateMachineAlias",
    "DeleteStateMachineAlias",
    "ListStateMachineAliases",
    "SendTaskSuccess",
    "SendTaskFailure",
    "SendTaskHeartbeat",
    "GetActivityTask",
    "DescribeExecution",
    "StopExecution",
    "ListExecutions",
    "DescribeStateMachineForExecution",
    "GetExecutionHistory",
    "DescribeMapRun",
    "ListMapRuns",
    "UpdateMapRun",
    "RedriveExecution",
    "StartExecution",
    "StartSyncExecution",
    "CreateStateMachine",
    "DescribeStateMachine",
    "UpdateStateMachine",
    "DeleteStateMachine",
    "ListStateMachines",
    "TagResource",
    "UntagResource",
    "ListTagsForResource",
    "TestState",
    "ValidateStateMachineDefinition",
    "PublishStateMachineVersion",
    "ListStateMachineVersions",
    "DeleteStateMachineVersion",
};
static_assert(std::size(kActions) == 37);

// Requests per input at most, and how long one may take to be answered
// (StartSyncExecution of a long Map; others answer at once).
constexpr int kMaxRequests = 16;
constexpr std::chrono::seconds kAnswerWait{5};

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

void CheckAnswer(const api::ApiResponse& response) {
  Json body = Json::parse(response.body, nullptr, false);
  Check(body.is_object());
  Check(response.http_status < 500);
  if (response.http_status < 400) return Check(response.error_type.empty());
  Check(!response.error_type.empty() && body.value("__type", "") == response.error_type);
  Check(body.contains("message") && body["message"].is_string());
}

// A store, an engine and the handler over them, with one I/O thread; the
// destructor stops them in the server's order (server/app.cpp).
class App {
 public:
  App() : work_(net::make_work_guard(io_)) {
    auto store = stepline::storage::OpenSqliteStore({":memory:"});
    Check(store.ok());
    store_ = std::move(store).value();
    stepline::runtime::EngineOptions options;
    options.wait_time_scale = 0;
    options.activity_poll_millis = 1;
    engine_ = stepline::runtime::MakeEngine(io_, *store_, clock_, options);
    Check(engine_->Recover().ok());
    api::ApiDeps deps;
    deps.store = store_.get();
    deps.engine = engine_.get();
    deps.clock = &clock_;
    handler_ = api::MakeApiHandler(std::move(deps));
    thread_ = std::thread([this] { io_.run(); });
  }
  ~App() {
    engine_->Shutdown();
    store_->Close();
    work_.reset();
    io_.stop();
    thread_.join();
  }

  void Call(std::string_view action, std::string body) {
    auto answer = std::make_shared<std::promise<api::ApiResponse>>();
    auto future = answer->get_future();
    handler_->Handle({"AWSStepFunctions." + std::string(action), std::move(body), "req-1", ""},
                     [answer](api::ApiResponse r) { answer->set_value(std::move(r)); });
    if (future.wait_for(kAnswerWait) == std::future_status::ready) CheckAnswer(future.get());
  }

 private:
  const stepline::Clock& clock_ = *stepline::SystemClock::Instance();
  net::io_context io_;
  net::executor_work_guard<net::io_context::executor_type> work_;
  std::unique_ptr<stepline::storage::Store> store_;
  std::unique_ptr<stepline::runtime::ExecutionEngine> engine_;
  std::unique_ptr<api::ApiHandler> handler_;
  std::thread thread_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view rest = stepline::fuzz::Text(data, size);
  App app;
  for (int i = 0; i < kMaxRequests && !rest.empty(); ++i) {
    auto [record, after] = stepline::fuzz::SplitAtNul(rest);
    rest = after;
    if (record.empty()) continue;
    auto action = kActions[static_cast<unsigned char>(record[0]) % std::size(kActions)];
    app.Call(action, std::string(record.substr(1)));
  }
  return 0;
}
