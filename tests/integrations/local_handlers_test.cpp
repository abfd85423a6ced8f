#include <fcntl.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <chrono>
#include <future>

#include "integrations/local_handlers.h"

using namespace stepline;
using namespace stepline::integrations;

namespace {

LocalHandlerConfig Config() {
  auto c = LocalHandlerConfig::Parse(Json::parse(R"J({
    "Concurrency": 4,
    "Handlers": {
      "echo": {"Command": ["python3", "-c", "import json,sys; e=json.load(sys.stdin); print(json.dumps({'got': e}))"]},
      "fails": {"Command": "echo oops >&2; exit 3"},
      "raises": {"Command": "echo '{\"errorType\": \"CustomException\", \"errorMessage\": \"bad\"}'"},
      "sleeps": {"Command": "sleep 30", "TimeoutSeconds": 60},
      "slow": {"Command": "sleep 1; echo '\"done\"'"},
      "envy": {"Command": "printf '\"%s\"' \"$GREETING\"", "Env": {"GREETING": "hi"}},
      "sqs:sendMessage": {"Command": "cat"}
    }})J"),
                                     "/tmp");
  REQUIRE(c.ok());
  return *c;
}

TaskRequest Legacy(const std::string& fn, Json params) {
  TaskRequest r;
  r.spec = *ParseResource("arn:aws:lambda:us-east-1:123456789012:function:" + fn);
  r.parameters = std::move(params);
  r.state_name = "S";
  return r;
}

TaskOutcome Run(LocalHandlerDispatcher& d, TaskRequest r) {
  std::promise<TaskOutcome> p;
  auto f = p.get_future();
  d.Dispatch(std::move(r), [&p](TaskOutcome o) { p.set_value(std::move(o)); });
  REQUIRE(f.wait_for(std::chrono::seconds(20)) == std::future_status::ready);
  return f.get();
}

class Fallback : public TaskDispatcher {
 public:
  void Dispatch(TaskRequest, std::function<void(TaskOutcome)> done) override {
    TaskOutcome o;
    o.ok = true;
    o.result = "fallback";
    done(o);
  }
};

}  // namespace

TEST_CASE("a legacy Lambda handler reads the event on stdin and its stdout is the result") {
  LocalHandlerDispatcher d(Config(), nullptr);
  auto o = Run(d, Legacy("echo", Json{{"a", 1}}));
  REQUIRE(o.ok);
  CHECK(o.result == Json::parse(R"({"got": {"a": 1}})"));
}

TEST_CASE("lambda:invoke handlers get the Payload and answer in the invoke result shape") {
  LocalHandlerDispatcher d(Config(), nullptr);
  TaskRequest r;
  r.spec = *ParseResource("arn:aws:states:::lambda:invoke");
  r.parameters = Json{{"FunctionName", "arn:aws:lambda:us-east-1:123456789012:function:echo:prod"},
                      {"Payload", {{"x", "y"}}}};
  auto o = Run(d, r);
  REQUIRE(o.ok);
  CHECK(o.result["Payload"] == Json::parse(R"({"got": {"x": "y"}})"));
  CHECK(o.result["StatusCode"] == 200);
  CHECK(o.result["ExecutedVersion"] == "$LATEST");
  CHECK(o.result["SdkHttpMetadata"]["HttpStatusCode"] == 200);
  CHECK(o.result.contains("SdkResponseMetadata"));
}

TEST_CASE("a non-zero exit is Lambda.Unknown with the stderr in the cause") {
  LocalHandlerDispatcher d(Config(), nullptr);
  auto o = Run(d, Legacy("fails", Json::object()));
  CHECK_FALSE(o.ok);
  CHECK(o.error.error == "Lambda.Unknown");
  REQUIRE(o.error.cause);
  CHECK(o.error.cause->find("exited with status 3") != std::string::npos);
  CHECK(o.error.cause->find("oops") != std::string::npos);
}

TEST_CASE("an errorType answer is the task error, with the payload as cause") {
  LocalHandlerDispatcher d(Config(), nullptr);
  auto o = Run(d, Legacy("raises", Json::object()));
  CHECK_FALSE(o.ok);
  CHECK(o.error.error == "CustomException");
  CHECK(Json::parse(*o.error.cause)["errorMessage"] == "bad");
  // A function ARN keeps the handler's text; lambda:invoke re-serialises it compactly.
  CHECK(*o.error.cause == R"({"errorType": "CustomException", "errorMessage": "bad"})");
  TaskRequest r;
  r.spec = *ParseResource("arn:aws:states:::lambda:invoke");
  r.parameters = Json{{"FunctionName", "raises"}};
  o = Run(d, r);
  CHECK(o.error.error == "CustomException");
  CHECK(*o.error.cause == R"({"errorType":"CustomException","errorMessage":"bad"})");
}

TEST_CASE("a handler past the request timeout is killed and reports States.Timeout") {
  LocalHandlerDispatcher d(Config(), nullptr);
  auto r = Legacy("sleeps", Json::object());
  r.timeout_seconds = 1;
  auto start = std::chrono::steady_clock::now();
  auto o = Run(d, r);
  auto took = std::chrono::steady_clock::now() - start;
  CHECK_FALSE(o.ok);
  CHECK(o.error.error == "States.Timeout");
  CHECK(took < std::chrono::seconds(5));
}

TEST_CASE("handlers run concurrently without blocking the caller") {
  LocalHandlerDispatcher d(Config(), nullptr);
  std::vector<std::future<TaskOutcome>> results;
  std::vector<std::shared_ptr<std::promise<TaskOutcome>>> promises;
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 4; ++i) {
    auto p = std::make_shared<std::promise<TaskOutcome>>();
    results.push_back(p->get_future());
    d.Dispatch(Legacy("slow", Json::object()), [p](TaskOutcome o) { p->set_value(o); });
  }
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::milliseconds(500));
  for (auto& f : results) CHECK(f.get().result == "done");
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::milliseconds(2500));
}

TEST_CASE("handler keys match resources, environment is passed, the rest falls through") {
  LocalHandlerDispatcher d(Config(), std::make_shared<Fallback>());
  CHECK(Run(d, Legacy("envy", Json::object())).result == "hi");
  TaskRequest sqs;
  sqs.spec = *ParseResource("arn:aws:states:::sqs:sendMessage");
  sqs.parameters = Json{{"MessageBody", "m"}};
  CHECK(Run(d, sqs).result == sqs.parameters);
  CHECK(Run(d, Legacy("unknown", Json::object())).result == "fallback");
}

TEST_CASE("a missing command is a task failure, not a crash") {
  auto c = LocalHandlerConfig::Parse(
      Json::parse(R"({"Handlers": {"f": {"Command": ["/nonexistent/cmd"]}}})"), "/tmp");
  REQUIRE(c.ok());
  LocalHandlerDispatcher d(*c, nullptr);
  auto o = Run(d, Legacy("f", Json::object()));
  CHECK_FALSE(o.ok);
  CHECK(o.error.error == "States.TaskFailed");
}

// A handler that outlived a killed server held its listening port: Asio's
// sockets are not FD_CLOEXEC, so the spawn must close them itself.
TEST_CASE("a handler inherits no file descriptor beyond stdin, stdout and stderr") {
  int fd = ::open("/dev/null", O_RDONLY);  // no O_CLOEXEC, like Asio's sockets
  REQUIRE(fd > 2);
  std::string probe = "if [ -e /proc/self/fd/" + std::to_string(fd) +
                      " ]; then echo '\"inherited\"'; else echo '\"closed\"'; fi";
  auto c = LocalHandlerConfig::Parse(Json{{"Handlers", {{"probe", {{"Command", probe}}}}}}, "/tmp");
  REQUIRE(c.ok());
  LocalHandlerDispatcher d(*c, nullptr);
  auto o = Run(d, Legacy("probe", Json::object()));
  ::close(fd);
  REQUIRE(o.ok);
  CHECK(o.result == "closed");
}

TEST_CASE("Lambda function names are found in names and ARNs") {
  CHECK(LambdaFunctionName("f") == "f");
  CHECK(LambdaFunctionName("f:alias") == "f");
  CHECK(LambdaFunctionName("123456789012:function:f") == "f");
  CHECK(LambdaFunctionName("arn:aws:lambda:us-east-1:123456789012:function:f:1") == "f");
}
