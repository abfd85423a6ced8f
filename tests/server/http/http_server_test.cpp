// HttpServer in process: a real listening socket on a free loopback port, a
// fake ApiHandler, and a small blocking client over Beast.
#include <utility>  // before Asio (g++ 12 in C++20 needs it for awaitable.hpp)

#include "server/http/http_server.h"

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <future>
#include <mutex>
#include <thread>

#include "common/json.h"
#include "server/api/api.h"

namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using namespace std::chrono_literals;
using Response = bhttp::response<bhttp::string_body>;

// Answers by X-Amz-Target: "Test.Echo" echoes what it was handed, "Test.Later"
// answers from another thread after 100 ms, "Test.Error" is a 400,
// "Test.Throw" throws.
class FakeHandler final : public stepline::api::ApiHandler {
 public:
  void Handle(stepline::api::ApiRequest request, stepline::api::Responder respond) override {
    {
      std::lock_guard lock(mu_);
      seen_.push_back(request);
    }
    if (request.target == "Test.Throw") throw std::runtime_error("boom");
    if (request.target == "Test.Error") {
      return respond({400, R"({"__type":"StateMachineDoesNotExist","message":"no"})",
                      "StateMachineDoesNotExist"});
    }
    if (request.target == "Test.Later") {
      std::thread([respond] {
        std::this_thread::sleep_for(100ms);
        respond({200, "{}", ""});
      }).detach();
      return;
    }
    stepline::Json echo = {{"target", request.target},
                           {"body", request.body},
                           {"region", request.region},
                           {"request_id", request.request_id}};
    respond({200, stepline::DumpJson(echo), ""});
  }
  std::vector<stepline::api::ApiRequest> seen() {
    std::lock_guard lock(mu_);
    return seen_;
  }

 private:
  std::mutex mu_;
  std::vector<stepline::api::ApiRequest> seen_;
};

// A server on a free port, its io_context run by two threads.
struct TestServer {
  explicit TestServer(stepline::http::HttpServerOptions options = {}) {
    options.host = "127.0.0.1";
    options.port = 0;
    server.emplace(io, handler, options);
    REQUIRE(server->Start().ok());
    for (int i = 0; i < 2; ++i) threads.emplace_back([this] { io.run(); });
  }
  ~TestServer() {
    std::promise<void> done;
    server->Shutdown(1000ms, [&] { done.set_value(); });
    done.get_future().wait();
    work.reset();
    io.stop();
    for (auto& t : threads) t.join();
  }
  uint16_t port() const { return server->port(); }

  net::io_context io;
  net::executor_work_guard<net::io_context::executor_type> work = net::make_work_guard(io);
  FakeHandler handler;
  std::optional<stepline::http::HttpServer> server;
  std::vector<std::thread> threads;
};

// A blocking client: each operation runs its own io_context for at most 5 s.
class Client {
 public:
  explicit Client(uint16_t port) {
    stream_.expires_after(5s);
    stream_.async_connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port),
                          [this](beast::error_code ec) { error_ = ec; });
    Run();
    REQUIRE_FALSE(error_);
  }
  void Send(const std::string& raw) {
    stream_.expires_after(5s);
    net::async_write(stream_, net::buffer(raw),
                     [this](beast::error_code ec, size_t) { error_ = ec; });
    Run();
  }
  // The next response, or nullopt when the connection closed (or timed out).
  std::optional<Response> Read() {
    Response response;
    stream_.expires_after(5s);
    bhttp::async_read(stream_, buffer_, response,
                      [this](beast::error_code ec, size_t) { error_ = ec; });
    Run();
    if (error_) return std::nullopt;
    return response;
  }
  beast::error_code error() const { return error_; }

 private:
  void Run() {
    io_.restart();
    io_.run();
  }
  net::io_context io_;
  beast::tcp_stream stream_{io_};
  beast::flat_buffer buffer_;
  beast::error_code error_;
};

std::string Post(const std::string& target, const std::string& body,
                 const std::string& extra = "") {
  return "POST / HTTP/1.1\r\nHost: localhost\r\nX-Amz-Target: " + target +
         "\r\nContent-Type: application/x-amz-json-1.0\r\n" + extra +
         "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

std::string Header(const Response& r, const char* name) { return std::string(r[name]); }

stepline::Json BodyJson(const Response& r) { return stepline::ParseJson(r.body()).value(); }

}  // namespace

TEST_CASE("GET /health answers ok for container health checks", "[http][server]") {
  TestServer server;
  Client client(server.port());
  client.Send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
  auto response = client.Read();
  REQUIRE(response);
  CHECK(response->result_int() == 200);
  CHECK(response->body() == R"({"status":"ok"})");
  client.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  REQUIRE(client.Read());
}

TEST_CASE("a POST reaches the handler with its target, body, region and request id",
          "[http][server]") {
  TestServer server;
  Client client(server.port());
  client.Send(
      "POST /any/base/ HTTP/1.1\r\nhost: sync-localhost:4599\r\n"
      "x-amz-target: Test.Echo\r\ncontent-type: application/x-amz-json-1.0\r\n"
      "authorization: AWS4-HMAC-SHA256 Credential=test/20261122/eu-west-1/states/aws4_request, "
      "SignedHeaders=host, Signature=00\r\ncontent-length: 10\r\n\r\n{\"a\":\"é\"}");
  auto response = client.Read();
  REQUIRE(response);
  CHECK(response->result_int() == 200);
  stepline::Json echo = BodyJson(*response);
  CHECK(echo["target"] == "Test.Echo");
  CHECK(echo["body"] == "{\"a\":\"é\"}");
  CHECK(echo["region"] == "eu-west-1");
  CHECK(Header(*response, "Content-Type") == "application/x-amz-json-1.0");
  CHECK(Header(*response, "Content-Length") == std::to_string(response->body().size()));
  CHECK(Header(*response, "x-amzn-RequestId") == echo["request_id"]);
  CHECK(Header(*response, "x-amzn-RequestId").size() == 36);
  CHECK(Header(*response, "Date").ends_with(" GMT"));
  CHECK(Header(*response, "x-amzn-ErrorType").empty());
}

TEST_CASE("a kept-alive connection serves requests one after another", "[http][server]") {
  TestServer server;
  Client client(server.port());
  for (int i = 0; i < 3; ++i) {
    client.Send(Post("Test.Echo", "{}"));
    auto response = client.Read();
    REQUIRE(response);
    CHECK(response->result_int() == 200);
    CHECK(response->keep_alive());
  }
  CHECK(server.handler.seen().size() == 3);
}

TEST_CASE("an answer given later from another thread reaches the client", "[http][server]") {
  TestServer server;
  Client client(server.port());
  client.Send(Post("Test.Later", "{}"));
  auto first = client.Read();
  REQUIRE(first);
  CHECK(first->body() == "{}");
  client.Send(Post("Test.Echo", "{}"));
  REQUIRE(client.Read());
}

TEST_CASE("an error answer names its type in x-amzn-ErrorType", "[http][server]") {
  TestServer server;
  Client client(server.port());
  client.Send(Post("Test.Error", "{}"));
  auto response = client.Read();
  REQUIRE(response);
  CHECK(response->result_int() == 400);
  CHECK(Header(*response, "x-amzn-ErrorType") == "StateMachineDoesNotExist");
  CHECK(BodyJson(*response)["__type"] == "StateMachineDoesNotExist");
}

TEST_CASE("a handler that throws is a 500 InternalFailure, and the server goes on",
          "[http][server]") {
  TestServer server;
  Client client(server.port());
  client.Send(Post("Test.Throw", "{}"));
  auto response = client.Read();
  REQUIRE(response);
  CHECK(response->result_int() == 500);
  CHECK(BodyJson(*response)["__type"] == "InternalFailure");
  client.Send(Post("Test.Echo", "{}"));
  REQUIRE(client.Read());
}

TEST_CASE("a body over the limit is a 413 with a JSON error, then the connection closes",
          "[http][server]") {
  stepline::http::HttpServerOptions options;
  options.max_body_bytes = 1024;
  TestServer server(options);
  Client client(server.port());
  client.Send(Post("Test.Echo", std::string(4096, 'x')));
  auto response = client.Read();
  REQUIRE(response);
  CHECK(response->result_int() == 413);
  CHECK(BodyJson(*response)["__type"] == "RequestEntityTooLargeException");
  CHECK_FALSE(response->keep_alive());
  CHECK_FALSE(client.Read());
  CHECK(server.handler.seen().empty());
}

TEST_CASE("Expect: 100-continue gets an interim 100 before the body is sent", "[http][server]") {
  TestServer server;
  Client client(server.port());
  client.Send(
      "POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: Test.Echo\r\nExpect: 100-continue\r\n"
      "Content-Length: 2\r\n\r\n");
  auto interim = client.Read();
  REQUIRE(interim);
  CHECK(interim->result_int() == 100);
  client.Send("{}");
  auto response = client.Read();
  REQUIRE(response);
  CHECK(response->result_int() == 200);
  CHECK(BodyJson(*response)["body"] == "{}");
}

TEST_CASE("a malformed request line is a 400, then the connection closes", "[http][server]") {
  TestServer server;
  Client client(server.port());
  client.Send("THIS IS NOT HTTP\r\n\r\n");
  auto response = client.Read();
  REQUIRE(response);
  CHECK(response->result_int() == 400);
  CHECK(BodyJson(*response)["__type"] == "BadRequestException");
  CHECK_FALSE(client.Read());
  Client next(server.port());  // the server is still there
  next.Send(Post("Test.Echo", "{}"));
  REQUIRE(next.Read());
}

TEST_CASE("at the limit a new connection replaces the longest-idle one", "[http][server]") {
  stepline::http::HttpServerOptions options;
  options.max_connections = 2;
  TestServer server(options);
  Client oldest(server.port());
  oldest.Send(Post("Test.Echo", "{}"));
  REQUIRE(oldest.Read());
  std::this_thread::sleep_for(20ms);
  Client newer(server.port());
  newer.Send(Post("Test.Echo", "{}"));
  REQUIRE(newer.Read());
  Client third(server.port());  // both are idle now: the oldest goes
  third.Send(Post("Test.Echo", "{}"));
  CHECK(third.Read());
  oldest.Send(Post("Test.Echo", "{}"));
  CHECK_FALSE(oldest.Read());
  newer.Send(Post("Test.Echo", "{}"));
  CHECK(newer.Read());
}

TEST_CASE("at the limit with every connection busy, a new one is closed at once",
          "[http][server]") {
  stepline::http::HttpServerOptions options;
  options.max_connections = 1;
  TestServer server(options);
  Client busy(server.port());
  busy.Send(Post("Test.Later", "{}"));  // answered after 100 ms
  std::this_thread::sleep_for(20ms);
  Client second(server.port());
  second.Send(Post("Test.Echo", "{}"));
  CHECK_FALSE(second.Read());
  CHECK(busy.Read());
}

TEST_CASE("an idle connection is closed after the idle timeout", "[http][server]") {
  stepline::http::HttpServerOptions options;
  options.idle_timeout = 200ms;
  TestServer server(options);
  Client client(server.port());
  std::this_thread::sleep_for(400ms);
  CHECK(server.server->open_connections() == 0);
  CHECK_FALSE(client.Read());
}

TEST_CASE("shutdown lets a request in flight finish, then stops accepting", "[http][server]") {
  TestServer server;
  Client client(server.port());
  client.Send(Post("Test.Later", "{}"));
  std::this_thread::sleep_for(20ms);  // the request is now with the handler
  std::promise<void> done;
  server.server->Shutdown(2000ms, [&] { done.set_value(); });
  auto response = client.Read();
  REQUIRE(response);
  CHECK(response->result_int() == 200);
  CHECK_FALSE(response->keep_alive());
  CHECK(done.get_future().wait_for(2s) == std::future_status::ready);
  CHECK(server.server->open_connections() == 0);
}
