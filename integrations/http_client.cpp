// clang-format off
#include <utility>
// clang-format on
#include "integrations/http_client.h"

#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <deque>
#include <map>
#include <mutex>
#include <string_view>
#include <thread>

namespace stepline::integrations {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

namespace {

constexpr size_t kMaxIdlePerHost = 64;
constexpr int kMaxConnectionsPerHost = 64;  // more concurrent requests wait their turn
constexpr uint64_t kBodyLimit = 512ull << 20;

bool IEquals(const std::string& a, const std::string& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// One pooled connection: plain TCP or TLS over TCP.
struct Connection {
  std::unique_ptr<beast::tcp_stream> tcp;
  std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> tls;
  beast::flat_buffer buffer;
  beast::tcp_stream& Lowest() { return tls ? beast::get_lowest_layer(*tls) : *tcp; }
};

}  // namespace

struct HttpClient::Impl {
  asio::io_context io;
  asio::executor_work_guard<asio::io_context::executor_type> work{io.get_executor()};
  // Made on the first https request: loading the CA bundle costs several
  // milliseconds of start-up, and most servers never speak TLS.
  // STEPLINE_TLS_INSECURE=1 turns certificate checks off (self-signed
  // endpoints); otherwise the chain must verify and name the host.
  std::once_flag tls_once;
  std::unique_ptr<ssl::context> tls_context;
  bool tls_insecure = false;
  ssl::context& Tls() {
    std::call_once(tls_once, [this] {
      const char* insecure = std::getenv("STEPLINE_TLS_INSECURE");
      tls_insecure = insecure && std::string_view(insecure) == "1";
      tls_context = std::make_unique<ssl::context>(ssl::context::tls_client);
      tls_context->set_default_verify_paths();
      tls_context->set_verify_mode(tls_insecure ? ssl::verify_none : ssl::verify_peer);
    });
    return *tls_context;
  }
  std::vector<std::thread> threads;
  std::mutex mu;
  std::map<std::string, std::vector<std::unique_ptr<Connection>>> idle;
  std::atomic<uint64_t> requests{0};
  std::atomic<uint64_t> connections{0};

  std::unique_ptr<Connection> TakeIdle(const std::string& key) {
    std::lock_guard<std::mutex> lock(mu);
    auto it = idle.find(key);
    if (it == idle.end() || it->second.empty()) return nullptr;
    auto conn = std::move(it->second.back());
    it->second.pop_back();
    return conn;
  }
  void GiveBack(const std::string& key, std::unique_ptr<Connection> conn) {
    std::lock_guard<std::mutex> lock(mu);
    auto& list = idle[key];
    if (list.size() < kMaxIdlePerHost) list.push_back(std::move(conn));
  }

  // Per-host slots: Acquire runs `start` now or once a slot frees up.
  std::map<std::string, int> active;
  std::map<std::string, std::deque<std::function<void()>>> waiting;
  void Acquire(const std::string& key, std::function<void()> start) {
    {
      std::lock_guard<std::mutex> lock(mu);
      if (active[key] >= kMaxConnectionsPerHost) {
        waiting[key].push_back(std::move(start));
        return;
      }
      ++active[key];
    }
    start();
  }
  void Release(const std::string& key) {
    std::function<void()> next;
    {
      std::lock_guard<std::mutex> lock(mu);
      auto& queue = waiting[key];
      if (queue.empty()) {
        --active[key];
        return;
      }
      next = std::move(queue.front());  // the slot passes to the next request
      queue.pop_front();
    }
    asio::post(io, std::move(next));
  }
};

namespace {

// One request/response exchange, retried once on a fresh connection when a
// reused keep-alive connection turns out to be closed.
class Call : public std::enable_shared_from_this<Call> {
 public:
  Call(HttpClient::Impl* client, ParsedUrl url, HttpRequest request,
       std::function<void(HttpResult)> done)
      : client_(std::move(client)),
        url_(std::move(url)),
        request_(std::move(request)),
        done_(std::move(done)),
        resolver_(client_->io) {
    key_ = url_.scheme + "://" + url_.host + ":" + url_.port;
  }

  void Start() {
    auto self = shared_from_this();
    client_->Acquire(key_, [self] { self->Begin(); });
  }

 private:
  void Begin() {
    BuildRequest();
    conn_ = client_->TakeIdle(key_);
    reused_ = conn_ != nullptr;
    if (reused_) return Write();
    Resolve();
  }

  void BuildRequest() {
    req_.method_string(request_.method);
    req_.target(url_.Target());
    req_.version(11);
    bool has_host = false;
    for (const auto& [k, v] : request_.headers) {
      req_.insert(k, v);
      has_host = has_host || IEquals(k, "host");
    }
    if (!has_host) req_.set(http::field::host, url_.HostHeader());
    req_.keep_alive(true);
    req_.body() = request_.body;
    req_.prepare_payload();
  }

  void Resolve() {
    resolver_.async_resolve(
        url_.host, url_.port,
        [self = shared_from_this()](beast::error_code ec, tcp::resolver::results_type results) {
          if (ec) return self->Fail(self->url_.host + ": " + ec.message());
          self->Connect(results);
        });
  }

  void Connect(const tcp::resolver::results_type& results) {
    ++client_->connections;
    conn_ = std::make_unique<Connection>();
    if (url_.scheme == "https") {
      conn_->tls =
          std::make_unique<beast::ssl_stream<beast::tcp_stream>>(client_->io, client_->Tls());
      SSL_set_tlsext_host_name(conn_->tls->native_handle(), url_.host.c_str());
      if (!client_->tls_insecure) {
        conn_->tls->set_verify_callback(ssl::host_name_verification(url_.host));
      }
    } else {
      conn_->tcp = std::make_unique<beast::tcp_stream>(client_->io);
    }
    conn_->Lowest().expires_after(request_.timeout);
    conn_->Lowest().async_connect(
        results, [self = shared_from_this()](beast::error_code ec, const tcp::endpoint&) {
          if (ec) {
            return self->Fail("Connect to " + self->url_.host + ":" + self->url_.port +
                              " failed: " + self->Describe(ec));
          }
          beast::error_code ignored;
          self->conn_->Lowest().socket().set_option(tcp::no_delay(true), ignored);
          if (self->conn_->tls) return self->Handshake();
          self->Write();
        });
  }

  void Handshake() {
    conn_->tls->async_handshake(
        ssl::stream_base::client, [self = shared_from_this()](beast::error_code ec) {
          if (ec)
            return self->Fail("TLS handshake with " + self->url_.host + " failed: " + ec.message());
          self->Write();
        });
  }

  void Write() {
    conn_->Lowest().expires_after(request_.timeout);
    auto on_write = [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return self->Retry("Write to " + self->key_ + " failed: " + self->Describe(ec));
      self->Read();
    };
    if (conn_->tls) {
      http::async_write(*conn_->tls, req_, on_write);
    } else {
      http::async_write(*conn_->tcp, req_, on_write);
    }
  }

  void Read() {
    parser_.emplace();
    parser_->body_limit(kBodyLimit);
    // A HEAD response carries the Content-Length of the body it does not send.
    if (request_.method == "HEAD") parser_->skip(true);
    auto on_read = [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return self->Retry("Read from " + self->key_ + " failed: " + self->Describe(ec));
      self->Finish();
    };
    if (conn_->tls) {
      http::async_read(*conn_->tls, conn_->buffer, *parser_, on_read);
    } else {
      http::async_read(*conn_->tcp, conn_->buffer, *parser_, on_read);
    }
  }

  void Finish() {
    auto& res = parser_->get();
    HttpResult result;
    result.response.status = static_cast<int>(res.result_int());
    for (const auto& field : res) {
      result.response.headers.emplace_back(std::string(field.name_string()),
                                           std::string(field.value()));
    }
    result.response.body = std::move(res.body());
    if (res.keep_alive()) {
      conn_->Lowest().expires_never();
      client_->GiveBack(key_, std::move(conn_));
    }
    conn_.reset();
    client_->Release(key_);
    done_(std::move(result));
  }

  std::string Describe(const beast::error_code& ec) {
    return ec == beast::error::timeout
               ? "timed out after " + std::to_string(request_.timeout.count()) + " ms"
               : ec.message();
  }

  void Retry(const std::string& error) {
    if (!reused_) return Fail(error);
    reused_ = false;  // a stale keep-alive connection: once more on a new one
    conn_.reset();
    Resolve();
  }

  void Fail(const std::string& error) {
    conn_.reset();
    client_->Release(key_);
    HttpResult result;
    result.error = error;
    done_(std::move(result));
  }

  HttpClient::Impl* client_;  // outlives every Call (its io_context owns them)
  ParsedUrl url_;
  HttpRequest request_;
  std::function<void(HttpResult)> done_;
  tcp::resolver resolver_;
  std::string key_;
  std::unique_ptr<Connection> conn_;
  bool reused_ = false;
  http::request<http::string_body> req_;
  std::optional<http::response_parser<http::string_body>> parser_;
};

}  // namespace

std::string ParsedUrl::HostHeader() const {
  bool default_port = (scheme == "http" && port == "80") || (scheme == "https" && port == "443");
  return default_port ? host : host + ":" + port;
}

std::string ParsedUrl::Target() const { return query.empty() ? path : path + "?" + query; }

Result<ParsedUrl> ParseUrl(const std::string& url) {
  ParsedUrl u;
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return Status(ErrorCode::kValidation, "Invalid URL " + url);
  u.scheme = url.substr(0, scheme_end);
  for (auto& c : u.scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (u.scheme != "http" && u.scheme != "https") {
    return Status(ErrorCode::kValidation, "Unsupported URL scheme in " + url);
  }
  size_t host_start = scheme_end + 3;
  size_t path_start = url.find_first_of("/?", host_start);
  std::string authority = url.substr(
      host_start, path_start == std::string::npos ? std::string::npos : path_start - host_start);
  size_t colon = authority.rfind(':');
  if (colon != std::string::npos && authority.find(']', colon) == std::string::npos) {
    u.host = authority.substr(0, colon);
    u.port = authority.substr(colon + 1);
  } else {
    u.host = authority;
    u.port = u.scheme == "https" ? "443" : "80";
  }
  if (u.host.empty()) return Status(ErrorCode::kValidation, "Invalid URL " + url);
  std::string rest = path_start == std::string::npos ? "/" : url.substr(path_start);
  size_t q = rest.find('?');
  u.path = rest.substr(0, q);
  if (u.path.empty()) u.path = "/";
  if (q != std::string::npos) u.query = rest.substr(q + 1);
  return u;
}

std::string HttpResponse::Header(const std::string& name) const {
  for (const auto& [k, v] : headers) {
    if (IEquals(k, name)) return v;
  }
  return "";
}

HttpClient::HttpClient(int threads) : impl_(std::make_shared<Impl>()) {
  for (int i = 0; i < std::max(1, threads); ++i) {
    impl_->threads.emplace_back([impl = impl_] { impl->io.run(); });
  }
}

HttpClient::~HttpClient() {
  impl_->work.reset();
  impl_->io.stop();
  // Destroyed from one of our own I/O threads (a callback dropped the last
  // reference): that thread cannot join itself; it leaves io.run() once the
  // handler returns and releases the Impl then.
  for (auto& t : impl_->threads) {
    if (t.get_id() == std::this_thread::get_id()) {
      t.detach();
    } else {
      t.join();
    }
  }
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->idle.clear();
}

void HttpClient::Send(HttpRequest request, std::function<void(HttpResult)> done) {
  auto url = ParseUrl(request.url);
  if (!url.ok()) {
    HttpResult result;
    result.error = url.status().message();
    return done(std::move(result));
  }
  auto call =
      std::make_shared<Call>(impl_.get(), std::move(*url), std::move(request), std::move(done));
  ++impl_->requests;
  asio::post(impl_->io, [call] { call->Start(); });
}

HttpClient::Stats HttpClient::stats() const {
  return {impl_->requests.load(), impl_->connections.load()};
}

void HttpClient::After(std::chrono::milliseconds delay, std::function<void()> fn) {
  auto timer = std::make_shared<asio::steady_timer>(impl_->io, delay);
  timer->async_wait([timer, fn = std::move(fn)](beast::error_code ec) {
    if (!ec) fn();
  });
}

}  // namespace stepline::integrations
