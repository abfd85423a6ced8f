// HttpServer: Stepline's HTTP/1.1 front end (Boost.Beast/Asio, kept out of
// this header behind a pimpl so that includers do not pay for Beast).
//
// Every POST, whatever its path and Host (SDKs send `sync-<host>` for
// StartSyncExecution and TestState), becomes one api::ApiRequest; the answer
// goes back with the AWS JSON 1.0 headers (Content-Type, Content-Length,
// x-amzn-RequestId, Date, and x-amzn-ErrorType on errors). `GET /health` and
// `GET /` answer `{"status":"ok"}` for container health checks. Connections
// are kept alive and serve their requests one after another; each has its own
// strand on the io_context the server was given.
//
// Thread-safety: Start/Shutdown/port may be called from any thread; the
// io_context may be run by any number of threads.
// Invariants: at most `max_connections` connections are served at once (more
// are closed on accept); a request body larger than `max_body_bytes` is
// answered 413 and never buffered; malformed HTTP is answered 400 and the
// connection closed. The ApiHandler must outlive the io_context's handlers.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "common/limits.h"
#include "common/status.h"

namespace boost::asio {
class io_context;
}  // namespace boost::asio

namespace stepline::api {
class ApiHandler;
}  // namespace stepline::api

namespace stepline::http {

// Connections served at once. At the limit a new connection replaces the one
// that has waited longest for a request (idle keep-alive connections cannot
// lock clients out); when every connection is busy, it is closed at once.
inline constexpr size_t kMaxConnections = 1024;
// Request line plus header fields (a SigV4-signed SDK request is about 1.5 KiB).
inline constexpr uint32_t kMaxHeaderBytes = 16 * 1024;

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8083;  // 0 picks a free port (see HttpServer::port()).
  size_t max_body_bytes = limits::kMaxHttpBodyBytes;
  size_t max_connections = kMaxConnections;
  // How long a connection may wait for (the rest of) a request before it is closed.
  std::chrono::milliseconds idle_timeout{60000};
};

class HttpServer {
 public:
  HttpServer(boost::asio::io_context& io, api::ApiHandler& handler, HttpServerOptions options);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds, listens and starts accepting (the io_context must be run for
  // anything to happen). Fails with kUnavailable when the address cannot be
  // bound, with the system's message.
  Status Start();

  // The bound port (the real one when options.port was 0); 0 before Start.
  uint16_t port() const;

  // Graceful stop: closes the listening socket, closes idle connections,
  // lets requests in flight finish (their connections then close), and calls
  // `done` (on an io_context thread) once none is left or `grace` has passed,
  // whichever is first; connections still open then are closed.
  void Shutdown(std::chrono::milliseconds grace, std::function<void()> done);

  // Connections currently open (for tests and shutdown).
  size_t open_connections() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace stepline::http
