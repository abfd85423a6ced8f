// The Beast side of HttpServer: a Listener that accepts connections, each
// on its own strand, and a Session per connection that reads one request at
// a time, hands it to the ApiHandler and writes the answer back.
#include <utility>  // before Asio (g++ 12 in C++20 needs it for awaitable.hpp)

#include "server/http/http_server.h"

#include <array>
#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

#include <spdlog/spdlog.h>

#include "common/ids.h"
#include "server/api/api.h"
#include "server/http/message.h"
#include "server/http/wire.h"

namespace stepline::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

// After a response that closes the connection, how long unread request bytes
// (e.g. the rest of a body answered 413) are drained so the client sees the
// response instead of a reset, and how many bytes at most.
constexpr std::chrono::seconds kLingerTime{2};
constexpr size_t kMaxLingerBytes = 2 * limits::kMaxHttpBodyBytes;
// Pause before accepting again after an accept error (e.g. out of descriptors).
constexpr std::chrono::milliseconds kAcceptRetryDelay{50};
// How often a graceful shutdown looks whether all connections are gone.
constexpr std::chrono::milliseconds kShutdownPollInterval{10};

class Session;

std::string_view Sv(beast::string_view s) { return {s.data(), s.size()}; }

// What the listener and every session share. Outlives both (shared_ptr).
struct ServerState {
  ServerState(api::ApiHandler& h, HttpServerOptions o) : handler(h), options(std::move(o)) {}

  api::ApiHandler& handler;
  const HttpServerOptions options;
  std::atomic<bool> stopping{false};

  void Register(const std::shared_ptr<Session>& session);
  void Unregister(const Session* session);
  size_t Count() const;
  std::vector<std::shared_ptr<Session>> Snapshot() const;
  // At the connection limit: closes the connection that has waited longest
  // for a request, so that idle keep-alive connections cannot lock out new
  // clients. False when every connection is busy with a request.
  bool EvictLongestIdle();

 private:
  mutable std::mutex mu_;
  std::unordered_map<const Session*, std::weak_ptr<Session>> sessions_;  // GUARDED_BY(mu_)
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, std::shared_ptr<ServerState> state)
      : stream_(std::move(socket)), state_(std::move(state)) {}
  ~Session() { state_->Unregister(this); }

  void Run() {
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&Session::DoRead, shared_from_this()));
  }
  // Graceful shutdown and eviction: an idle connection closes now, a busy
  // one after its answer.
  void CloseIfIdle() {
    if (!busy_) stream_.close();  // also ends a lingering close
  }
  // Since when the connection has waited for a request (steady-clock ticks),
  // 0 while a request is being read or answered. Read by the listener.
  int64_t waiting_since() const { return waiting_since_.load(std::memory_order_relaxed); }
  // Takes the connection for eviction if it still waits since `since`
  // (so that two new connections never evict the same one).
  bool ClaimIdle(int64_t since) { return waiting_since_.compare_exchange_strong(since, 0); }
  void ForceClose() { stream_.close(); }
  auto executor() { return stream_.get_executor(); }

 private:
  void DoRead();
  void OnReadHeader(beast::error_code ec, size_t bytes);
  void OnContinueWritten(beast::error_code ec, size_t bytes);
  void DoReadBody();
  void OnReadBody(beast::error_code ec, size_t bytes);
  void Dispatch();
  void DispatchApi(BeastRequest& request);
  void Respond(api::ApiResponse response);
  void OnWrite(beast::error_code ec, size_t bytes);
  void FailRead(beast::error_code ec);
  void DoClose();
  void DoDrain();
  void OnDrain(beast::error_code ec, size_t bytes);

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::shared_ptr<ServerState> state_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  bhttp::response<bhttp::empty_body> continue_;
  BeastResponse response_;
  std::atomic<int64_t> waiting_since_{0};
  bool busy_ = false;        // between a complete request header and the answer's write
  bool keep_alive_ = false;  // of the request being answered
  bool head_ = false;        // the request being answered is a HEAD
  std::string request_id_;
  std::string log_line_;  // "<method> <target> <x-amz-target>" for the request log
  Clock::time_point started_;
  size_t drained_ = 0;
  std::array<char, 8192> drain_buffer_{};
};

void ServerState::Register(const std::shared_ptr<Session>& session) {
  std::lock_guard lock(mu_);
  sessions_.emplace(session.get(), session);
}

void ServerState::Unregister(const Session* session) {
  std::lock_guard lock(mu_);
  sessions_.erase(session);
}

size_t ServerState::Count() const {
  std::lock_guard lock(mu_);
  return sessions_.size();
}

std::vector<std::shared_ptr<Session>> ServerState::Snapshot() const {
  std::lock_guard lock(mu_);
  std::vector<std::shared_ptr<Session>> out;
  for (const auto& [ptr, weak] : sessions_) {
    if (auto s = weak.lock()) out.push_back(std::move(s));
  }
  return out;
}

bool ServerState::EvictLongestIdle() {
  constexpr int kAttempts = 4;  // a claim fails only when a request just arrived
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    std::shared_ptr<Session> oldest;
    int64_t oldest_since = 0;
    for (auto& session : Snapshot()) {
      int64_t since = session->waiting_since();
      if (since != 0 && (!oldest || since < oldest_since)) {
        oldest = session;
        oldest_since = since;
      }
    }
    if (!oldest) return false;
    if (!oldest->ClaimIdle(oldest_since)) continue;
    spdlog::debug("http: connection limit reached; closing the longest-idle connection");
    net::post(oldest->executor(), [oldest] { oldest->CloseIfIdle(); });
    return true;
  }
  return false;
}

// --- Session: reading ---

void Session::DoRead() {
  busy_ = false;
  waiting_since_.store(Clock::now().time_since_epoch().count(), std::memory_order_relaxed);
  if (state_->stopping) return DoClose();
  parser_.emplace();
  parser_->body_limit(state_->options.max_body_bytes);
  parser_->header_limit(kMaxHeaderBytes);
  stream_.expires_after(state_->options.idle_timeout);
  bhttp::async_read_header(stream_, buffer_, *parser_,
                           beast::bind_front_handler(&Session::OnReadHeader, shared_from_this()));
}

void Session::OnReadHeader(beast::error_code ec, size_t) {
  waiting_since_.store(0, std::memory_order_relaxed);
  if (ec) return FailRead(ec);
  busy_ = true;
  started_ = Clock::now();
  const auto& request = parser_->get();
  if (parser_->is_done() || !ExpectsContinue(Sv(request[bhttp::field::expect])))
    return DoReadBody();
  continue_ = bhttp::response<bhttp::empty_body>(bhttp::status::continue_, request.version());
  bhttp::async_write(stream_, continue_,
                     beast::bind_front_handler(&Session::OnContinueWritten, shared_from_this()));
}

void Session::OnContinueWritten(beast::error_code ec, size_t) {
  if (ec) return DoClose();
  DoReadBody();
}

void Session::DoReadBody() {
  if (parser_->is_done()) return Dispatch();
  bhttp::async_read(stream_, buffer_, *parser_,
                    beast::bind_front_handler(&Session::OnReadBody, shared_from_this()));
}

void Session::OnReadBody(beast::error_code ec, size_t) {
  if (ec) return FailRead(ec);
  Dispatch();
}

// A read that did not produce a request: a normal close, a timeout, or an
// answerable client error (413, 431, 400) after which the connection closes.
void Session::FailRead(beast::error_code ec) {
  if (ec == bhttp::error::end_of_stream || ec == net::error::operation_aborted) return DoClose();
  keep_alive_ = false;
  head_ = false;
  request_id_ = NewUuid();
  log_line_ = "(unparsed request)";
  if (!busy_) started_ = Clock::now();
  if (auto answer = ReadErrorAnswer(ec, state_->options.max_body_bytes)) {
    return Respond(std::move(*answer));
  }
  spdlog::debug("http: read: {}", ec.message());  // timeout, reset, hang-up mid-request
  DoClose();
}

// --- Session: answering ---

void Session::Dispatch() {
  stream_.expires_never();  // the handler may take long (sync executions, long polls)
  auto& request = parser_->get();
  keep_alive_ = request.keep_alive();
  head_ = request.method() == bhttp::verb::head;
  request_id_ = NewUuid();
  log_line_ = std::string(Sv(request.method_string())) + " " + std::string(Sv(request.target()));
  if (auto answer = LocalAnswer(request)) return Respond(std::move(*answer));
  DispatchApi(request);
}

void Session::DispatchApi(BeastRequest& request) {
  api::ApiRequest api_request = ToApiRequest(request, request_id_);
  log_line_ += " " + api_request.target;
  auto answered = std::make_shared<std::atomic<bool>>(false);
  api::Responder respond = [self = shared_from_this(), answered](api::ApiResponse response) {
    if (answered->exchange(true)) return;  // answer once, whatever the handler does
    net::post(self->executor(),
              [self, r = std::move(response)]() mutable { self->Respond(std::move(r)); });
  };
  try {
    state_->handler.Handle(std::move(api_request), respond);
  } catch (const std::exception& e) {
    spdlog::error("http: ApiHandler threw: {}", e.what());
    respond(ErrorResponse(500, "InternalFailure", "Internal error"));
  }
}

void Session::Respond(api::ApiResponse response) {
  if (state_->stopping) keep_alive_ = false;
  int http_status = response.http_status;
  unsigned version = parser_ && parser_->is_header_done() ? parser_->get().version() : 11;
  response_ = MakeResponse(std::move(response), version, keep_alive_, head_, request_id_,
                           SystemClock::Instance()->NowMillis());
  spdlog::debug(
      "http: {} -> {} ({} bytes, {:.1f} ms) {}", log_line_, http_status, response_.body().size(),
      std::chrono::duration<double, std::milli>(Clock::now() - started_).count(), request_id_);
  stream_.expires_after(state_->options.idle_timeout);
  bhttp::async_write(stream_, response_,
                     beast::bind_front_handler(&Session::OnWrite, shared_from_this()));
}

void Session::OnWrite(beast::error_code ec, size_t) {
  if (ec) {
    spdlog::debug("http: write: {}", ec.message());  // e.g. the client gave up (EPIPE)
    return stream_.close();
  }
  if (!keep_alive_) return DoClose();
  DoRead();
}

// --- Session: closing ---

// Half-closes, then drains what the client still sends for a while, so that
// it reads our answer rather than a connection reset.
// While the server stops, it closes at once.
void Session::DoClose() {
  beast::error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  if (ec || state_->stopping) return stream_.close();
  stream_.expires_after(kLingerTime);
  DoDrain();
}

void Session::DoDrain() {
  stream_.async_read_some(net::buffer(drain_buffer_),
                          beast::bind_front_handler(&Session::OnDrain, shared_from_this()));
}

void Session::OnDrain(beast::error_code ec, size_t bytes) {
  drained_ += bytes;
  if (ec || drained_ > kMaxLingerBytes) return stream_.close();
  DoDrain();
}

// --- Listener ---

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(net::io_context& io, std::shared_ptr<ServerState> state)
      : io_(io),
        acceptor_(net::make_strand(io)),
        retry_timer_(acceptor_.get_executor()),
        state_(std::move(state)) {}

  Status Listen(const tcp::endpoint& endpoint);
  uint16_t port() const { return port_; }
  void Run() {
    net::dispatch(acceptor_.get_executor(),
                  beast::bind_front_handler(&Listener::DoAccept, shared_from_this()));
  }
  void Stop() {
    net::post(acceptor_.get_executor(), [self = shared_from_this()] {
      beast::error_code ec;
      self->acceptor_.close(ec);
      self->retry_timer_.cancel();
    });
  }

 private:
  void DoAccept() {
    acceptor_.async_accept(net::make_strand(io_),
                           beast::bind_front_handler(&Listener::OnAccept, shared_from_this()));
  }
  void OnAccept(beast::error_code ec, tcp::socket socket);

  net::io_context& io_;
  tcp::acceptor acceptor_;
  net::steady_timer retry_timer_;
  std::shared_ptr<ServerState> state_;
  uint16_t port_ = 0;
};

Status Listener::Listen(const tcp::endpoint& endpoint) {
  beast::error_code ec;
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
  if (!ec) port_ = acceptor_.local_endpoint(ec).port();
  if (ec) {
    return Status(ErrorCode::kUnavailable, "cannot listen on " + endpoint.address().to_string() +
                                               ":" + std::to_string(endpoint.port()) + ": " +
                                               ec.message());
  }
  return Status::Ok();
}

void Listener::OnAccept(beast::error_code ec, tcp::socket socket) {
  if (!acceptor_.is_open()) return;  // shutting down
  if (ec) {
    spdlog::warn("http: accept: {}", ec.message());
    retry_timer_.expires_after(kAcceptRetryDelay);
    return retry_timer_.async_wait([self = shared_from_this()](beast::error_code wait_ec) {
      if (!wait_ec) self->DoAccept();
    });
  }
  bool full = state_->Count() >= state_->options.max_connections;
  if (state_->stopping || (full && !state_->EvictLongestIdle())) {
    spdlog::warn("http: connection limit ({}) reached; closing a new connection",
                 state_->options.max_connections);
    socket.close(ec);
  } else {
    socket.set_option(tcp::no_delay(true), ec);
    auto session = std::make_shared<Session>(std::move(socket), state_);
    state_->Register(session);
    session->Run();
  }
  DoAccept();
}

Result<tcp::endpoint> ResolveEndpoint(net::io_context& io, const std::string& host, uint16_t port) {
  beast::error_code ec;
  net::ip::address address = net::ip::make_address(host, ec);
  if (!ec) return tcp::endpoint(address, port);
  tcp::resolver resolver(io);
  auto results = resolver.resolve(host, std::to_string(port), ec);
  if (ec || results.empty()) {
    return Status(ErrorCode::kUnavailable, "cannot resolve host '" + host + "': " + ec.message());
  }
  return results.begin()->endpoint();
}

// Calls `done` once no connection is left or at `deadline`, when the
// remaining ones are closed.
void PollShutdown(std::shared_ptr<ServerState> state, std::shared_ptr<net::steady_timer> timer,
                  Clock::time_point deadline, std::function<void()> done) {
  size_t open = state->Count();
  if (open > 0 && Clock::now() < deadline) {
    timer->expires_after(kShutdownPollInterval);
    timer->async_wait([state, timer, deadline, done = std::move(done)](beast::error_code) mutable {
      PollShutdown(std::move(state), std::move(timer), deadline, std::move(done));
    });
    return;
  }
  if (open > 0) spdlog::warn("http: closing {} connection(s) still open at shutdown", open);
  for (auto& session : state->Snapshot()) {
    net::post(session->executor(), [session] { session->ForceClose(); });
  }
  done();
}

}  // namespace

struct HttpServer::Impl {
  Impl(net::io_context& i, api::ApiHandler& handler, HttpServerOptions options)
      : io(i), state(std::make_shared<ServerState>(handler, std::move(options))) {}

  net::io_context& io;
  std::shared_ptr<ServerState> state;
  std::shared_ptr<Listener> listener;
};

HttpServer::HttpServer(net::io_context& io, api::ApiHandler& handler, HttpServerOptions options)
    : impl_(std::make_unique<Impl>(io, handler, std::move(options))) {}

HttpServer::~HttpServer() {
  if (impl_->listener) impl_->listener->Stop();
}

Status HttpServer::Start() {
  const HttpServerOptions& options = impl_->state->options;
  ASSIGN_OR_RETURN(tcp::endpoint endpoint, ResolveEndpoint(impl_->io, options.host, options.port));
  auto listener = std::make_shared<Listener>(impl_->io, impl_->state);
  RETURN_IF_ERROR(listener->Listen(endpoint));
  impl_->listener = std::move(listener);
  impl_->listener->Run();
  return Status::Ok();
}

uint16_t HttpServer::port() const { return impl_->listener ? impl_->listener->port() : 0; }

size_t HttpServer::open_connections() const { return impl_->state->Count(); }

void HttpServer::Shutdown(std::chrono::milliseconds grace, std::function<void()> done) {
  impl_->state->stopping = true;
  if (impl_->listener) impl_->listener->Stop();
  for (auto& session : impl_->state->Snapshot()) {
    net::post(session->executor(), [session] { session->CloseIfIdle(); });
  }
  auto timer = std::make_shared<net::steady_timer>(impl_->io);
  net::post(impl_->io, [state = impl_->state, timer, deadline = Clock::now() + grace,
                        done = std::move(done)]() mutable {
    PollShutdown(std::move(state), std::move(timer), deadline, std::move(done));
  });
}

}  // namespace stepline::http
