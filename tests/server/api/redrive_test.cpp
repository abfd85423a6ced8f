// RedriveExecution through the API (fake engine): conditions and AWS's
// errors, clientToken idempotency, the redrive fields of DescribeExecution
// and ListExecutions' redriveFilter.
#include <catch2/catch.hpp>

#include "api_test_util.h"

using namespace stepline;
using namespace stepline::api::testing;

TEST_CASE("RedriveExecution of a failed execution answers the redrive date and shows it") {
  Harness h;
  std::string sm = h.CreateMachine("m");
  std::string bad = h.Start(sm, "bad");
  std::string ok = h.Start(sm, "ok");
  h.engine().Fail(bad, "Boom", "it broke");
  h.engine().Succeed(ok, "{}");
  h.clock().Advance(5000);
  Json out = h.Ok("RedriveExecution", {{"executionArn", bad}, {"clientToken", "t-1"}});
  CHECK(out == Json{{"redriveDate", 1700000005.123}});
  CHECK(h.engine().redrives == std::vector<std::string>{bad});

  Json d = h.Ok("DescribeExecution", {{"executionArn", bad}});
  CHECK(d["status"] == "RUNNING");
  CHECK(d["redriveCount"] == 1);
  CHECK(d["redriveDate"] == 1700000005.123);
  CHECK(d["redriveStatus"] == "NOT_REDRIVABLE");
  CHECK(d["redriveStatusReason"] == "Execution is RUNNING and cannot be redriven");
  CHECK_FALSE(d.contains("stopDate"));
  CHECK_FALSE(d.contains("error"));

  Json redriven = h.Ok("ListExecutions", {{"stateMachineArn", sm}, {"redriveFilter", "REDRIVEN"}});
  REQUIRE(redriven["executions"].size() == 1);
  CHECK(redriven["executions"][0]["executionArn"] == bad);
  CHECK(redriven["executions"][0]["redriveCount"] == 1);
  CHECK(redriven["executions"][0]["redriveDate"] == 1700000005.123);
  Json not_redriven =
      h.Ok("ListExecutions", {{"stateMachineArn", sm}, {"redriveFilter", "NOT_REDRIVEN"}});
  REQUIRE(not_redriven["executions"].size() == 1);
  CHECK(not_redriven["executions"][0]["executionArn"] == ok);
}

TEST_CASE("RedriveExecution with a clientToken already used answers that redrive again") {
  Harness h;
  std::string sm = h.CreateMachine("m");
  std::string bad = h.Start(sm, "bad");
  h.engine().Fail(bad, "Boom", "it broke");
  Json first = h.Ok("RedriveExecution", {{"executionArn", bad}, {"clientToken", "same"}});
  h.clock().Advance(60 * 1000);
  Json again = h.Ok("RedriveExecution", {{"executionArn", bad}, {"clientToken", "same"}});
  CHECK(again == first);
  CHECK(h.engine().redrives.size() == 1);
  // Another token while it runs is refused.
  auto other = h.Call("RedriveExecution", {{"executionArn", bad}, {"clientToken", "other"}});
  CHECK(other.type == "ExecutionNotRedrivable");
  CHECK(other.message() == "Execution is RUNNING and cannot be redriven");
  // After 15 minutes the token no longer counts.
  h.clock().Advance(15 * 60 * 1000);
  auto late = h.Call("RedriveExecution", {{"executionArn", bad}, {"clientToken", "same"}});
  CHECK(late.type == "ExecutionNotRedrivable");
}

TEST_CASE("RedriveExecution refuses what AWS refuses") {
  Harness h;
  std::string sm = h.CreateMachine("m");
  std::string ok = h.Start(sm, "ok");
  std::string running = h.Start(sm, "running");
  std::string old = h.Start(sm, "old");
  h.engine().Succeed(ok, "{}");
  h.engine().Fail(old, "Boom", "x");

  auto succeeded = h.Call("RedriveExecution", {{"executionArn", ok}});
  CHECK(succeeded.status == 400);
  CHECK(succeeded.type == "ExecutionNotRedrivable");
  CHECK(succeeded.message() == "Execution is SUCCEEDED and cannot be redriven");
  auto run = h.Call("RedriveExecution", {{"executionArn", running}});
  CHECK(run.message() == "Execution is RUNNING and cannot be redriven");

  auto missing = h.Call("RedriveExecution", {{"executionArn", ExecArn("m", "nope")}});
  CHECK(missing.type == "ExecutionDoesNotExist");
  auto express = h.Call("RedriveExecution", {{"executionArn",
                                              "arn:aws:states:us-east-1:123456789012:express:m:e:"
                                              "0b4e1bb8-5c0a-4a2b-9a38-1d6d2d1d2c00"}});
  CHECK(express.type == "ExecutionNotRedrivable");
  CHECK(h.Call("RedriveExecution", Json::object()).type == "ValidationException");
  CHECK(h.Call("RedriveExecution", {{"executionArn", "nope"}}).type == "InvalidArn");
  auto token = h.Call("RedriveExecution", {{"executionArn", old}, {"clientToken", "a b"}});
  CHECK(token.type == "ValidationException");
  CHECK(token.message().find("clientToken") != std::string::npos);
  auto long_token =
      h.Call("RedriveExecution", {{"executionArn", old}, {"clientToken", std::string(65, 'x')}});
  CHECK(long_token.type == "ValidationException");

  h.clock().Advance(15LL * 24 * 3600 * 1000);
  auto expired = h.Call("RedriveExecution", {{"executionArn", old}});
  CHECK(expired.type == "ExecutionNotRedrivable");
  CHECK(expired.message() == "Execution redrivable period exceeded.");
  Json d = h.Ok("DescribeExecution", {{"executionArn", old}});
  CHECK(d["redriveStatus"] == "NOT_REDRIVABLE");
  CHECK(d["redriveStatusReason"] == "Execution redrivable period exceeded.");
  CHECK(h.engine().redrives.empty());
}
