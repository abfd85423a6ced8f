// Lambda Invoke and startExecution.sync against a small scripted fake service
// (python3 http.server), for the shapes moto cannot produce without Docker.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <future>
#include <thread>

#include "integrations/aws_dispatcher.h"
#include "tests/integrations/exit_with_parent.h"

extern char** environ;

using namespace stepline;
using namespace stepline::integrations;

namespace {

const char* kFakeServer = R"PY(
import json, sys, urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

describes = {}

class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    def log_message(self, *a): pass
    def reply(self, status, body, headers=None):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-amzn-RequestId", "req-1")
        for k, v in (headers or {}).items(): self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)
    def do_HEAD(self):
        # An S3 HEAD Object answer: the headers of a 1234-byte object, no body.
        self.send_response(200)
        self.send_header("Content-Length", "1234")
        self.send_header("Content-Type", "image/jpeg")
        self.send_header("ETag", '"0123abcd"')
        self.send_header("Last-Modified", "Wed, 01 Oct 2025 12:00:00 GMT")
        self.end_headers()
    def api(self, body=""):
        # The HTTP Task's target: /api/status/<code> answers that status,
        # /api/text answers plain text, anything else echoes the request.
        parts = self.path.split("?")[0].split("/")
        if len(parts) > 3 and parts[2] == "status":
            return self.reply(int(parts[3]), '{"why": "asked"}', {"Content-Type": "application/json"})
        if len(parts) > 2 and parts[2] == "text":
            return self.reply(200, "plain words", {"Content-Type": "text/plain"})
        echo = {"method": self.command, "path": self.path, "body": body,
                "headers": {k.lower(): v for k, v in self.headers.items()}}
        return self.reply(200, json.dumps(echo), {"Content-Type": "application/json",
                                                  "X-Multi": "one"})
    def do_GET(self): self.api()
    def do_DELETE(self): self.api()
    def do_PUT(self):
        self.api(self.rfile.read(int(self.headers.get("Content-Length", 0))).decode())
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        if self.path.startswith("/api/"):
            return self.api(body)
        auth = self.headers.get("Authorization", "")
        if self.path.startswith("/2015-03-31/functions/"):
            name = self.path.split("/")[3]
            if name == "ok":
                return self.reply(200, body or "{}", {"X-Amz-Executed-Version": "$LATEST",
                                                      "Content-Type": "application/json",
                                                      "X-Seen-Auth": auth})
            if name == "boom" or urllib.parse.unquote(name).endswith(":function:boom"):
                return self.reply(200, '{"errorMessage": "bad", "errorType": "CustomException"}',
                                  {"X-Amz-Function-Error": "Unhandled"})
            if name == "crash":
                return self.reply(200, '"no type"', {"X-Amz-Function-Error": "Unhandled"})
            return self.reply(404, json.dumps({"Type": "User", "Message":
                "Function not found: arn:aws:lambda:us-east-1:123456789012:function:" + name}),
                {"x-amzn-ErrorType": "ResourceNotFoundException"})
        target = self.headers.get("X-Amz-Target", "")
        req = json.loads(body or "{}")
        if target == "AWSStepFunctions.StartExecution":
            arn = req["stateMachineArn"].replace(":stateMachine:", ":execution:") + ":" + req["name"]
            describes[arn] = 0
            return self.reply(200, json.dumps({"executionArn": arn, "startDate": 1.7e9}),
                              {"Content-Type": "application/x-amz-json-1.0"})
        if target == "AWSStepFunctions.DescribeExecution":
            arn = req["executionArn"]
            describes[arn] += 1
            status = "RUNNING" if describes[arn] < 2 else ("FAILED" if arn.endswith(":bad") else "SUCCEEDED")
            out = {"executionArn": arn, "input": "{}", "inputDetails": {"included": True},
                   "name": arn.split(":")[-1], "status": status, "startDate": 1.7e9}
            if status == "SUCCEEDED":
                out["output"] = '{"Arg1":"argument1"}'
            if status == "FAILED":
                out["error"] = "SomeFailure"
                out["cause"] = "it failed"
            return self.reply(200, json.dumps(out), {"Content-Type": "application/x-amz-json-1.0"})
        self.reply(400, json.dumps({"__type": "UnknownOperationException", "message": target}))

ThreadingHTTPServer.request_queue_size = 128
ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
)PY";

int FreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

bool Accepting(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

class FakeAws {
 public:
  static FakeAws& Get() {
    static FakeAws fake;
    return fake;
  }
  bool up() const { return up_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  ~FakeAws() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      ::waitpid(pid_, nullptr, 0);
    }
    std::remove(script_.c_str());
  }

 private:
  FakeAws() : port_(FreePort()) {
    script_ = "/tmp/stepline_fake_aws_" + std::to_string(::getpid()) + ".py";
    std::ofstream(script_) << kExitWithParentPy << kFakeServer;
    std::string port = std::to_string(port_);
    const char* argv[] = {"python3", script_.c_str(), port.c_str(), nullptr};
    if (posix_spawnp(&pid_, "python3", nullptr, nullptr, const_cast<char**>(argv), environ) != 0) {
      pid_ = -1;
      return;
    }
    for (int i = 0; i < 200 && !up_; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      up_ = Accepting(port_);
    }
  }
  int port_;
  std::string script_;
  pid_t pid_ = -1;
  bool up_ = false;
};

// An AwsContext whose every service endpoint is the fake, over one I/O thread.
AwsContext FakeContext() {
  AwsContext ctx;
  ctx.http = std::make_shared<HttpClient>(1);
  auto endpoint = std::make_shared<std::string>(FakeAws::Get().url());
  ctx.endpoints = EndpointResolver([endpoint](const char* name) -> const char* {
    return std::string(name) == "AWS_ENDPOINT_URL" ? endpoint->c_str() : nullptr;
  });
  return ctx;
}

std::unique_ptr<AwsDispatcher> Dispatcher() {
  AwsContext ctx = FakeContext();
  ctx.sync_poll = std::chrono::milliseconds(50);
  return std::make_unique<AwsDispatcher>(std::move(ctx));
}

TaskOutcome Call(AwsDispatcher& d, TaskRequest r) {
  std::promise<TaskOutcome> p;
  auto f = p.get_future();
  d.Dispatch(std::move(r), [&p](TaskOutcome o) { p.set_value(std::move(o)); });
  REQUIRE(f.wait_for(std::chrono::seconds(20)) == std::future_status::ready);
  return f.get();
}

TaskRequest Request(const std::string& resource, Json params) {
  TaskRequest r;
  r.spec = *ParseResource(resource);
  r.parameters = std::move(params);
  return r;
}

#define REQUIRE_FAKE()                                           \
  if (!FakeAws::Get().up()) {                                    \
    WARN("the python3 fake AWS server did not start; skipping"); \
    return;                                                      \
  }

}  // namespace

TEST_CASE("lambda:invoke returns the Invoke shape with the parsed Payload") {
  REQUIRE_FAKE();
  auto d = Dispatcher();
  auto o = Call(*d, Request("arn:aws:states:::lambda:invoke",
                            {{"FunctionName", "ok"}, {"Payload", {{"Hello", "World"}}}}));
  INFO(DumpJson(o.result) << o.error.error);
  REQUIRE(o.ok);
  CHECK(o.result["Payload"] == Json{{"Hello", "World"}});
  CHECK(o.result["ExecutedVersion"] == "$LATEST");
  CHECK(o.result["StatusCode"] == 200);
  CHECK(o.result["SdkResponseMetadata"]["RequestId"] == "req-1");
  std::string auth = o.result["SdkHttpMetadata"]["HttpHeaders"]["X-Seen-Auth"];
  CHECK(auth.rfind("AWS4-HMAC-SHA256 Credential=", 0) == 0);
  std::vector<std::string> keys;
  for (const auto& [k, v] : o.result.items()) keys.push_back(k);
  CHECK(keys == std::vector<std::string>{"ExecutedVersion", "Payload", "SdkHttpMetadata",
                                         "SdkResponseMetadata", "StatusCode"});
  // A string Payload is sent as is.
  o = Call(*d,
           Request("arn:aws:states:::lambda:invoke", {{"FunctionName", "ok"}, {"Payload", "0.0"}}));
  CHECK(o.result["Payload"] == 0.0);
}

TEST_CASE("a legacy Lambda ARN's result is the payload itself") {
  REQUIRE_FAKE();
  auto d = Dispatcher();
  auto o = Call(*d, Request("arn:aws:lambda:us-east-1:123456789012:function:ok", {{"a", 1}}));
  // The legacy path uses the full ARN as the function name; the fake knows only "ok".
  CHECK_FALSE(o.ok);
  CHECK(o.error.error == "Lambda.ResourceNotFoundException");
}

TEST_CASE("a function error is named by errorType with the payload as cause") {
  REQUIRE_FAKE();
  auto d = Dispatcher();
  // lambda:invoke: the payload re-serialised compactly, member order kept.
  auto o = Call(*d, Request("arn:aws:states:::lambda:invoke", {{"FunctionName", "boom"}}));
  CHECK(o.error.error == "CustomException");
  CHECK(o.error.cause ==
        std::optional<std::string>(R"({"errorMessage":"bad","errorType":"CustomException"})"));
  // A Lambda function ARN: the payload text as the function returned it.
  o = Call(*d, Request("arn:aws:lambda:us-east-1:123456789012:function:boom", Json::object()));
  CHECK(o.error.error == "CustomException");
  CHECK(o.error.cause ==
        std::optional<std::string>(R"({"errorMessage": "bad", "errorType": "CustomException"})"));
  o = Call(*d, Request("arn:aws:states:::lambda:invoke", {{"FunctionName", "crash"}}));
  CHECK(o.error.error == "Lambda.Unknown");
  CHECK(o.error.cause == std::optional<std::string>(R"("no type")"));
}

TEST_CASE("a missing function is Lambda.ResourceNotFoundException in the SDK v1 cause format") {
  REQUIRE_FAKE();
  auto d = Dispatcher();
  auto o = Call(*d, Request("arn:aws:states:::lambda:invoke", {{"FunctionName", "nope"}}));
  CHECK(o.error.error == "Lambda.ResourceNotFoundException");
  CHECK(o.error.cause ==
        std::optional<std::string>(
            "Function not found: arn:aws:lambda:us-east-1:123456789012:function:nope (Service: "
            "AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: "
            "req-1; Proxy: null)"));
}

TEST_CASE("startExecution.sync reports TaskSubmitted, polls, and returns the described execution") {
  REQUIRE_FAKE();
  auto d = Dispatcher();
  auto r = Request("arn:aws:states:::states:startExecution.sync",
                   {{"StateMachineArn", "arn:aws:states:us-east-1:123456789012:stateMachine:sm"},
                    {"Name", "n1"},
                    {"Input", Json::object()}});
  Json submitted;
  r.on_submitted = [&submitted](Json j) { submitted = std::move(j); };
  auto o = Call(*d, r);
  INFO(DumpJson(o.result) << o.error.error << o.error.cause.value_or(""));
  REQUIRE(o.ok);
  CHECK(submitted["ExecutionArn"] == "arn:aws:states:us-east-1:123456789012:execution:sm:n1");
  CHECK(submitted.contains("SdkHttpMetadata"));
  CHECK(o.result["Status"] == "SUCCEEDED");
  CHECK(o.result["Output"] == "{\"Arg1\":\"argument1\"}");
  CHECK(o.result["InputDetails"]["Included"] == true);

  r.spec = *ParseResource("arn:aws:states:::states:startExecution.sync:2");
  r.parameters["Name"] = "n2";
  o = Call(*d, r);
  REQUIRE(o.ok);
  CHECK(o.result["Output"] == Json{{"Arg1", "argument1"}});

  r.parameters["Name"] = "bad";
  o = Call(*d, r);
  CHECK(o.error.error == "States.TaskFailed");
  CHECK(Json::parse(*o.error.cause)["Error"] == "SomeFailure");
}

TEST_CASE("sequential calls to one host reuse one keep-alive connection") {
  REQUIRE_FAKE();
  AwsContext ctx = FakeContext();
  auto http = ctx.http;
  AwsDispatcher d(std::move(ctx));
  auto start = std::chrono::steady_clock::now();
  constexpr int kCalls = 20;
  for (int i = 0; i < kCalls; ++i) {
    auto o = Call(d, Request("arn:aws:states:::lambda:invoke",
                             {{"FunctionName", "ok"}, {"Payload", {{"i", i}}}}));
    REQUIRE(o.ok);
    CHECK(o.result["Payload"]["i"] == i);
  }
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() -
                                                                  start)
                .count();
  CHECK(http->stats().requests == kCalls);
  CHECK(http->stats().connections_opened == 1);
  WARN("sequential lambda:invoke round trip (signed, keep-alive, python fake): " << us / kCalls
                                                                                 << " us");
}

TEST_CASE("concurrent calls to one host open at most 64 connections and all complete") {
  REQUIRE_FAKE();
  AwsContext ctx = FakeContext();
  auto http = ctx.http;
  AwsDispatcher d(std::move(ctx));
  constexpr int kCalls = 150;
  std::vector<std::future<TaskOutcome>> futures;
  for (int i = 0; i < kCalls; ++i) {
    auto p = std::make_shared<std::promise<TaskOutcome>>();
    futures.push_back(p->get_future());
    d.Dispatch(Request("arn:aws:states:::lambda:invoke", {{"FunctionName", "ok"}}),
               [p](TaskOutcome o) { p->set_value(std::move(o)); });
  }
  int ok = 0;
  std::string failure;
  for (auto& f : futures) {
    REQUIRE(f.wait_for(std::chrono::seconds(60)) == std::future_status::ready);
    TaskOutcome o = f.get();
    ok += o.ok ? 1 : 0;
    if (!o.ok) failure = o.error.error + ": " + o.error.cause.value_or("");
  }
  INFO(failure);
  CHECK(ok == kCalls);
  CHECK(http->stats().connections_opened <= 64);
}

TEST_CASE("s3 headObject reads the headers of a body it is not sent on a kept-alive connection") {
  REQUIRE_FAKE();
  AwsContext ctx = FakeContext();
  auto http = ctx.http;
  AwsDispatcher d(std::move(ctx));
  for (int i = 0; i < 2; ++i) {
    auto o = Call(d, Request("arn:aws:states:::aws-sdk:s3:headObject",
                             {{"Bucket", "photos"}, {"Key", "dog.jpg"}}));
    REQUIRE(o.ok);
    CHECK(o.result["ContentLength"] == 1234);
    CHECK(o.result["ContentType"] == "image/jpeg");
    CHECK(o.result["ETag"] == "\"0123abcd\"");
  }
  CHECK(http->stats().connections_opened == 1);
}

TEST_CASE("http:invoke sends method, query, headers and a JSON body; answers AWS's shape") {
  REQUIRE_FAKE();
  auto d = Dispatcher();
  Json params = {
      {"ApiEndpoint", FakeAws::Get().url() + "/api/orders"},
      {"Method", "POST"},
      {"Authentication", {{"ConnectionArn", "arn:aws:events:us-east-1:1:connection/c/1"}}},
      {"Headers", {{"X-Api-Key", "k1"}}},
      {"QueryParameters", {{"page", 2}, {"q", "a b"}}},
      {"RequestBody", {{"item", "book"}, {"qty", 3}}}};
  auto o = Call(*d, Request("arn:aws:states:::http:invoke", params));
  INFO(DumpJson(o.result) << o.error.error);
  REQUIRE(o.ok);
  CHECK(o.result["StatusCode"] == 200);
  CHECK(o.result["StatusText"] == "OK");
  CHECK(o.result["Headers"]["x-multi"] == Json::array({"one"}));
  const Json& echo = o.result["ResponseBody"];  // parsed: the answer is application/json
  CHECK(echo["method"] == "POST");
  CHECK(echo["path"] == "/api/orders?page=2&q=a%20b");
  CHECK(echo["headers"]["x-api-key"] == "k1");
  CHECK(echo["headers"]["content-type"] == "application/json; charset=UTF-8");
  CHECK(Json::parse(echo["body"].get<std::string>()) == Json{{"item", "book"}, {"qty", 3}});
}

TEST_CASE("http:invoke URL-encodes the body with the array format asked for") {
  REQUIRE_FAKE();
  auto d = Dispatcher();
  Json body = {{"ids", {1, 2}}, {"user", {{"name", "Ann"}}}};
  auto encoded = [&](const char* format) {
    Json params = {{"ApiEndpoint", FakeAws::Get().url() + "/api/form"},
                   {"Method", "PUT"},
                   {"RequestBody", body},
                   {"Transform",
                    {{"RequestBodyEncoding", "URL_ENCODED"},
                     {"RequestEncodingOptions", {{"ArrayFormat", format}}}}}};
    auto o = Call(*d, Request("arn:aws:states:::http:invoke", params));
    REQUIRE(o.ok);
    CHECK(o.result["ResponseBody"]["headers"]["content-type"] ==
          "application/x-www-form-urlencoded");
    return o.result["ResponseBody"]["body"].get<std::string>();
  };
  CHECK(encoded("INDICES") == "ids%5B0%5D=1&ids%5B1%5D=2&user%5Bname%5D=Ann");
  CHECK(encoded("REPEAT") == "ids=1&ids=2&user%5Bname%5D=Ann");
  CHECK(encoded("COMMAS") == "ids=1%2C2&user%5Bname%5D=Ann");
  CHECK(encoded("BRACKETS") == "ids%5B%5D=1&ids%5B%5D=2&user%5Bname%5D=Ann");
}

TEST_CASE("http:invoke: a non-2xx answer is States.Http.StatusCode.<code>, text stays text") {
  REQUIRE_FAKE();
  auto d = Dispatcher();
  auto o = Call(
      *d, Request("arn:aws:states:::http:invoke",
                  {{"ApiEndpoint", FakeAws::Get().url() + "/api/status/404"}, {"Method", "GET"}}));
  REQUIRE_FALSE(o.ok);
  CHECK(o.error.error == "States.Http.StatusCode.404");
  Json cause = Json::parse(*o.error.cause);
  CHECK(cause["StatusCode"] == 404);
  CHECK(cause["StatusText"] == "Not Found");
  CHECK(cause["ResponseBody"] == Json{{"why", "asked"}});

  o = Call(*d, Request("arn:aws:states:::http:invoke",
                       {{"ApiEndpoint", FakeAws::Get().url() + "/api/text"}, {"Method", "GET"}}));
  REQUIRE(o.ok);
  CHECK(o.result["ResponseBody"] == "plain words");
}

TEST_CASE("http:invoke reports the exchange as sent and received when asked, then the outcome") {
  REQUIRE_FAKE();
  auto d = Dispatcher();
  std::vector<HttpExchange> seen;  // written before `done`, read after it
  auto traced = [&seen](Json params) {
    TaskRequest r = Request("arn:aws:states:::http:invoke", std::move(params));
    r.on_http_exchange = [&seen](HttpExchange e) { seen.push_back(std::move(e)); };
    return r;
  };
  auto o = Call(*d, traced({{"ApiEndpoint", FakeAws::Get().url() + "/api/orders"},
                            {"Method", "POST"},
                            {"Headers", {{"X-Api-Key", "k1"}}},
                            {"QueryParameters", {{"q", "a b"}}},
                            {"RequestBody", {{"item", "book"}}}}));
  REQUIRE(o.ok);
  REQUIRE(seen.size() == 1);
  const HttpExchange& e = seen[0];
  CHECK(e.method == "POST");
  CHECK(e.url == FakeAws::Get().url() + "/api/orders?q=a%20b");
  CHECK(e.request_headers ==
        HttpExchange::Headers{{"X-Api-Key", "k1"},
                              {"Content-Type", "application/json; charset=UTF-8"}});
  CHECK(e.request_body == R"({"item":"book"})");
  REQUIRE(e.answered);
  CHECK(e.status_code == 200);
  CHECK(e.status_message == "OK");
  CHECK(std::count(e.response_headers.begin(), e.response_headers.end(),
                   std::make_pair(std::string("X-Multi"), std::string("one"))) == 1);
  CHECK(Json::parse(e.response_body) == o.result["ResponseBody"]);  // the body as received

  seen.clear();
  o = Call(*d, traced({{"ApiEndpoint", FakeAws::Get().url() + "/api/status/503"}}));
  CHECK(o.error.error == "States.Http.StatusCode.503");
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].method == "GET");
  CHECK(seen[0].status_code == 503);
  CHECK(seen[0].status_message == "Service Unavailable");
  CHECK(seen[0].response_body == R"({"why": "asked"})");

  seen.clear();
  std::string down = "http://127.0.0.1:" + std::to_string(FreePort()) + "/x";
  o = Call(*d, traced({{"ApiEndpoint", down}, {"Method", "DELETE"}}));
  CHECK(o.error.error == "States.Http.Socket");
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].url == down);
  CHECK_FALSE(seen[0].answered);
  CHECK(seen[0].response_headers.empty());
}

TEST_CASE("http:invoke to an endpoint that is down is States.Http.Socket") {
  auto d = Dispatcher();
  auto o =
      Call(*d, Request("arn:aws:states:::http:invoke",
                       {{"ApiEndpoint", "http://127.0.0.1:" + std::to_string(FreePort()) + "/x"},
                        {"Method", "GET"}}));
  REQUIRE_FALSE(o.ok);
  CHECK(o.error.error == "States.Http.Socket");
  CHECK_FALSE(o.error.cause->empty());
}
