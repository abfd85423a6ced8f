#include <utility>  // before Asio (g++ 12 in C++20 needs it for awaitable.hpp)

#include "server/http/health_probe.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace stepline::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

std::string ProbeHost(const std::string& host) {
  if (host == "0.0.0.0") return "127.0.0.1";
  if (host == "::" || host == "[::]") return "::1";
  return host;
}

// The steps of one probe, run by a single-threaded io_context.
struct Probe {
  net::io_context io;
  tcp::resolver resolver{io};
  beast::tcp_stream stream{io};
  beast::flat_buffer buffer;
  bhttp::request<bhttp::empty_body> request;
  bhttp::response<bhttp::string_body> response;
  beast::error_code error;
  std::string step;
  bool answered = false;

  void Fail(beast::error_code ec, const char* what) {
    error = ec;
    step = what;
  }
  void Start(const std::string& host, uint16_t port);
};

void Probe::Start(const std::string& host, uint16_t port) {
  request = {bhttp::verb::get, "/health", 11};
  request.set(bhttp::field::host, host);
  request.keep_alive(false);
  resolver.async_resolve(host, std::to_string(port), [this](beast::error_code ec, auto results) {
    if (ec) return Fail(ec, "resolve");
    stream.async_connect(results, [this](beast::error_code ec, const auto&) {
      if (ec) return Fail(ec, "connect");
      bhttp::async_write(stream, request, [this](beast::error_code ec, size_t) {
        if (ec) return Fail(ec, "write");
        bhttp::async_read(stream, buffer, response, [this](beast::error_code ec, size_t) {
          if (ec) return Fail(ec, "read");
          answered = true;
        });
      });
    });
  });
}

}  // namespace

Status ProbeHealth(const std::string& host, uint16_t port, std::chrono::milliseconds timeout) {
  Probe probe;
  std::string target = ProbeHost(host);
  probe.stream.expires_after(timeout);
  probe.Start(target, port);
  probe.io.run_for(timeout);
  std::string where = target + ":" + std::to_string(port);
  if (!probe.answered && !probe.error) probe.Fail(beast::error::timeout, "GET /health");
  if (probe.error) {
    return Status(ErrorCode::kUnavailable, probe.step + " " + where + ": " + probe.error.message());
  }
  if (probe.response.result_int() != 200) {
    return Status(ErrorCode::kUnavailable, "GET /health on " + where + " answered " +
                                               std::to_string(probe.response.result_int()));
  }
  return Status::Ok();
}

}  // namespace stepline::http
