#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <future>

#include "integrations/mock_dispatcher.h"

using namespace stepline;
using namespace stepline::integrations;

namespace {

const char* kConfig = R"({
  "StateMachines": {
    "LambdaSQSIntegration": {
      "TestCases": {
        "HappyPath": {"LambdaState": "MockedLambdaSuccess", "SQSState": "MockedSQSSuccess"},
        "RetryPath": {"LambdaState": "MockedLambdaRetry", "SQSState": "MockedSQSSuccess"},
        "HybridPath": {"LambdaState": "MockedLambdaSuccess"}
      }
    }
  },
  "MockedResponses": {
    "MockedLambdaSuccess": {"0": {"Return": {"StatusCode": 200, "Payload": {"body": "hi"}}}},
    "MockedSQSSuccess": {"0": {"Return": {"MessageId": "m-1"}}},
    "MockedLambdaRetry": {
      "0": {"Throw": {"Error": "Lambda.ResourceNotReadyException", "Cause": "not ready"}},
      "1-2": {"Throw": {"Error": "Lambda.TimeoutException", "Cause": "timed out"}},
      "3": {"Return": {"StatusCode": 200, "Payload": {"body": "finally"}}}
    }
  }
})";

MockConfig Config() {
  auto c = MockConfig::Parse(Json::parse(kConfig));
  REQUIRE(c.ok());
  return *c;
}

class Recorder : public TaskDispatcher {
 public:
  int calls = 0;
  void Dispatch(TaskRequest, std::function<void(TaskOutcome)> done) override {
    ++calls;
    TaskOutcome o;
    o.ok = true;
    o.result = "real";
    done(o);
  }
};

TaskRequest Request(const std::string& test_case, const std::string& state, int64_t invocation) {
  TaskRequest r;
  r.state_machine_arn = "arn:aws:states:us-east-1:123456789012:stateMachine:LambdaSQSIntegration";
  r.test_case = test_case;
  r.state_name = state;
  r.invocation = invocation;
  return r;
}

}  // namespace

TEST_CASE("a mocked Return answers the state of the test case") {
  auto o = Config().Lookup("LambdaSQSIntegration", "HappyPath", "SQSState", 0);
  REQUIRE(o);
  CHECK(o->ok);
  CHECK(o->result == Json::parse(R"({"MessageId": "m-1"})"));
}

TEST_CASE("invocation ranges pick the entry, and the last entry repeats") {
  MockConfig c = Config();
  auto at = [&](int64_t i) {
    return *c.Lookup("LambdaSQSIntegration", "RetryPath", "LambdaState", i);
  };
  CHECK_FALSE(at(0).ok);
  CHECK(at(0).error.error == "Lambda.ResourceNotReadyException");
  CHECK(at(0).error.cause == std::optional<std::string>("not ready"));
  CHECK(at(1).error.error == "Lambda.TimeoutException");
  CHECK(at(2).error.error == "Lambda.TimeoutException");
  CHECK(at(3).ok);
  CHECK(at(3).result["Payload"]["body"] == "finally");
  CHECK(at(7).ok);
}

TEST_CASE("states, test cases and machines not in the file are not mocked") {
  MockConfig c = Config();
  CHECK_FALSE(c.Lookup("LambdaSQSIntegration", "HybridPath", "SQSState", 0));
  CHECK_FALSE(c.Lookup("LambdaSQSIntegration", "NoSuchCase", "LambdaState", 0));
  CHECK_FALSE(c.Lookup("Other", "HappyPath", "LambdaState", 0));
  CHECK(c.HasTestCase("LambdaSQSIntegration", "HybridPath"));
}

TEST_CASE("MockDispatcher answers mocked states and falls through for the rest") {
  auto real = std::make_shared<Recorder>();
  MockDispatcher d(std::make_shared<MockConfig>(Config()), real);
  TaskOutcome got;
  d.Dispatch(
      Request("arn:aws:states:us-east-1:123456789012:stateMachine:LambdaSQSIntegration#HybridPath",
              "LambdaState", 0),
      [&](TaskOutcome o) { got = o; });
  CHECK(got.ok);
  CHECK(got.result["Payload"]["body"] == "hi");
  CHECK(real->calls == 0);
  d.Dispatch(Request("HybridPath", "SQSState", 0), [&](TaskOutcome o) { got = o; });
  CHECK(got.result == "real");
  CHECK(real->calls == 1);
  d.Dispatch(Request("", "LambdaState", 0), [&](TaskOutcome o) { got = o; });
  CHECK(real->calls == 2);
}

TEST_CASE("a mock configuration file is loaded from a path") {
  std::string path = "/tmp/stepline_mock_test_" + std::to_string(::getpid()) + ".json";
  std::ofstream(path) << kConfig;
  auto c = MockConfig::LoadFile(path);
  std::remove(path.c_str());
  REQUIRE(c.ok());
  CHECK(c->Lookup("LambdaSQSIntegration", "HappyPath", "LambdaState", 0));
  CHECK_FALSE(MockConfig::LoadFile("/nonexistent/mock.json").ok());
}

TEST_CASE("malformed mock configurations are rejected with a reason") {
  auto bad = [](const char* text) {
    auto c = MockConfig::Parse(Json::parse(text));
    REQUIRE_FALSE(c.ok());
    return c.status().message();
  };
  CHECK(bad(R"({"MockedResponses": {"M": {"x": {"Return": 1}}}})").find("invocation key") !=
        std::string::npos);
  CHECK(bad(R"({"MockedResponses": {"M": {"0": {"Return": 1, "Throw": {"Error": "E"}}}}})")
            .find("exactly one") != std::string::npos);
  CHECK(bad(R"({"MockedResponses": {"M": {"0": {"Throw": {"Cause": "c"}}}}})").find("Error") !=
        std::string::npos);
  CHECK(bad(R"({"MockedResponses": {"M": {"0-2": {"Return": 1}, "1": {"Return": 2}}}})")
            .find("overlapping") != std::string::npos);
  CHECK(bad(R"({"StateMachines": {"S": {"TestCases": {"T": {"A": "Missing"}}}}})")
            .find("names no mocked response") != std::string::npos);
}

#include "integrations/default_dispatcher.h"

TEST_CASE("the default dispatcher answers mocks first, then local handlers") {
  std::string dir = "/tmp/stepline_default_" + std::to_string(::getpid());
  std::string mocks = dir + "_mocks.json", handlers = dir + "_handlers.json";
  std::ofstream(mocks) << kConfig;
  std::ofstream(handlers) << R"({"Handlers": {"fn": {"Command": "echo '\"local\"'"}}})";
  IntegrationsConfig config;
  config.mock_config_path = mocks;
  config.handlers_config_path = handlers;
  auto d = MakeDefaultDispatcher(config);
  std::remove(mocks.c_str());
  std::remove(handlers.c_str());
  REQUIRE(d.ok());
  auto run = [&](TaskRequest r) {
    std::promise<TaskOutcome> p;
    auto f = p.get_future();
    (*d)->Dispatch(std::move(r), [&p](TaskOutcome o) { p.set_value(std::move(o)); });
    return f.get();
  };
  TaskRequest r = Request("HappyPath", "SQSState", 0);
  r.spec = *ParseResource("arn:aws:states:::sqs:sendMessage");
  CHECK(run(r).result["MessageId"] == "m-1");
  r = Request("", "Other", 0);
  r.spec = *ParseResource("arn:aws:lambda:us-east-1:123456789012:function:fn");
  CHECK(run(r).result == "local");
  config.mock_config_path = "/nonexistent.json";
  CHECK_FALSE(MakeDefaultDispatcher(config).ok());
}

TEST_CASE("a task result over 256 KiB is States.DataLimitExceeded naming the resource") {
  std::string path = "/tmp/stepline_big_" + std::to_string(::getpid()) + ".json";
  std::ofstream(path)
      << R"({"Handlers": {"big": {"Command": "python3 -c \"print('\\\"' + 'x' * 300000 + '\\\"')\""}}})";
  IntegrationsConfig config;
  config.handlers_config_path = path;
  auto d = MakeDefaultDispatcher(config);
  std::remove(path.c_str());
  REQUIRE(d.ok());
  TaskRequest r;
  r.spec = *ParseResource("arn:aws:states:::lambda:invoke");
  r.parameters = {{"FunctionName", "big"}};
  std::promise<TaskOutcome> p;
  (*d)->Dispatch(r, [&p](TaskOutcome o) { p.set_value(std::move(o)); });
  TaskOutcome o = p.get_future().get();
  CHECK(o.error.error == "States.DataLimitExceeded");
  CHECK(o.error.cause ==
        std::optional<std::string>("The state/task 'lambda' returned a result with a size "
                                   "exceeding the maximum number of bytes service limit."));
}
