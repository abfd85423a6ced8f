// SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat and GetActivityTask at
// the API layer: AWS's model constraints and InvalidOutput are checked here,
// valid requests reach the engine (a fake) and its answers are the replies.
#include <catch2/catch.hpp>

#include <string>

#include "api_test_util.h"
#include "engine/runtime/task_token.h"

using namespace stepline;
using namespace stepline::api::testing;

namespace {
const char* kActivity = "arn:aws:states:us-east-1:123456789012:activity:work";
}

TEST_CASE("SendTaskSuccess needs JSON output; valid calls reach the engine") {
  Harness h;
  std::string token =
      runtime::MakeTaskToken("arn:aws:states:us-east-1:123456789012:execution:sm:e", 5);
  auto bad = h.Call("SendTaskSuccess", {{"taskToken", token}, {"output", "{nope"}});
  CHECK(bad.type == "InvalidOutput");
  // A malformed token is reported before the output.
  auto bad_token = h.Call("SendTaskSuccess", {{"taskToken", "t"}, {"output", "{nope"}});
  CHECK(bad_token.type == "InvalidToken");
  CHECK(bad_token.message() == "Invalid Token: 'Invalid token'");
  CHECK(h.engine().answers.empty());
  auto answered = h.Call("SendTaskSuccess", {{"taskToken", "t"}, {"output", R"({"a":1})"}});
  CHECK(answered.type == "TaskTimedOut");  // what the fake engine answers
  CHECK(answered.message() == "Task Timed Out: 'Provided task does not exist anymore'");
  REQUIRE(h.engine().answers.size() == 1);
  CHECK(h.engine().answers[0].first == "t");
  CHECK(h.engine().answers[0].second.output == Json{{"a", 1}});
}

TEST_CASE("SendTask* members are checked against AWS's constraints") {
  Harness h;
  CHECK(h.Call("SendTaskSuccess", {{"output", "{}"}}).type == "ValidationException");
  auto long_token = h.Call("SendTaskHeartbeat", {{"taskToken", std::string(2049, 'x')}});
  CHECK(long_token.type == "ValidationException");
  CHECK(long_token.message().find("Member must have length less than or equal to 2048") !=
        std::string::npos);
  auto big = h.Call("SendTaskSuccess", {{"taskToken", "t"}, {"output", std::string(262145, ' ')}});
  CHECK(big.type == "ValidationException");
  auto error = h.Call("SendTaskFailure", {{"taskToken", "t"}, {"error", std::string(257, 'e')}});
  CHECK(error.type == "ValidationException");
  auto cause = h.Call("SendTaskFailure", {{"taskToken", "t"}, {"cause", std::string(32769, 'c')}});
  CHECK(cause.type == "ValidationException");
  CHECK(h.engine().answers.empty());
  h.Call("SendTaskFailure", {{"taskToken", "t"}, {"error", "E"}});
  REQUIRE(h.engine().answers.size() == 1);
  CHECK(h.engine().answers[0].second.error == "E");
  CHECK_FALSE(h.engine().answers[0].second.cause);
}

TEST_CASE("GetActivityTask needs an existing activity and answers the engine's task or {}") {
  Harness h;
  auto missing = h.Call("GetActivityTask", {{"activityArn", kActivity}});
  CHECK(missing.type == "ActivityDoesNotExist");
  CHECK(missing.message() == std::string("Activity Does Not Exist: '") + kActivity + "'");
  h.Ok("CreateActivity", {{"name", "work"}});
  CHECK(h.Ok("GetActivityTask", {{"activityArn", kActivity}}) == Json::object());
  h.engine().next_activity_task = runtime::ActivityTask{"tok", R"({"x":1})"};
  Json task = h.Ok("GetActivityTask", {{"activityArn", kActivity}, {"workerName", "w"}});
  CHECK(task == Json{{"taskToken", "tok"}, {"input", R"({"x":1})"}});
  REQUIRE(h.engine().polls.size() == 2);
  CHECK(h.engine().polls[1] == std::pair<std::string, std::string>{kActivity, "w"});
}
