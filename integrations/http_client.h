// HttpClient: an asynchronous HTTP/1.1 client (HTTP and HTTPS) for the AWS
// endpoints, with per-host connection reuse (up to 64 idle kept-alive connections
// per host), at most 64 concurrent connections per host (further requests
// queue), and per-request timeouts (connect, write and read each). Beast
// and Asio stay inside http_client.cpp.
//
// Thread-safety: Send may be called from any thread; callbacks run on the
// client's I/O thread(s) and must not block for long. The destructor stops the
// I/O threads; requests still in flight are abandoned (their callbacks do not run),
// so destroy the client only after its users are done.
// Invariant: each Send's callback runs at most once (exactly once while the client lives).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"

namespace stepline::integrations {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

struct ParsedUrl {
  std::string scheme;  // "http" or "https"
  std::string host;
  std::string port;
  std::string path;                // starts with '/'
  std::string query;               // without '?'
  std::string HostHeader() const;  // host[:port] when the port is not the default
  std::string Target() const;      // path[?query]
};
Result<ParsedUrl> ParseUrl(const std::string& url);

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  HttpHeaders headers;  // Host and Content-Length are added when absent
  std::string body;
  std::chrono::milliseconds timeout{std::chrono::seconds(60)};
};

struct HttpResponse {
  int status = 0;
  HttpHeaders headers;
  std::string body;
  // First value of a header (case-insensitive), "" when absent.
  std::string Header(const std::string& name) const;
};

struct HttpResult {
  std::string error;  // transport failure ("Connect to h:p failed: ..."); empty on success
  HttpResponse response;
  bool ok() const { return error.empty(); }
};

class HttpClient {
 public:
  explicit HttpClient(int threads = 1);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  void Send(HttpRequest request, std::function<void(HttpResult)> done);
  struct Stats {
    uint64_t requests = 0;
    uint64_t connections_opened = 0;  // requests - connections_opened were kept-alive reuses
  };
  Stats stats() const;

  // Runs `fn` on an I/O thread after `delay` (polling loops); dropped at destruction.
  void After(std::chrono::milliseconds delay, std::function<void()> fn);

  struct Impl;

 private:
  // Shared with the I/O threads: the last owner may be a callback running on
  // one of them, whose thread then finishes the teardown after io.run() returns.
  std::shared_ptr<Impl> impl_;
};

}  // namespace stepline::integrations
