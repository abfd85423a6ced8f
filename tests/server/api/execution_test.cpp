// StartExecution, DescribeExecution, StopExecution, ListExecutions,
// GetExecutionHistory, DescribeStateMachineForExecution.
#include <catch2/catch.hpp>

#include <chrono>
#include <future>
#include <set>

#include "api_test_util.h"

using namespace stepline;
using namespace stepline::api::testing;

TEST_CASE("StartExecution answers the execution ARN and start date") {
  Harness h;
  std::string sm = h.CreateMachine("m");
  Json out = h.Ok("StartExecution", {{"stateMachineArn", sm}, {"name", "run-1"}});
  CHECK(out == Json{{"executionArn", ExecArn("m", "run-1")}, {"startDate", 1700000000.123}});
  auto started = h.engine().started();
  REQUIRE(started.size() == 1);
  CHECK(started[0].input == "{}");
  CHECK(started[0].state_machine_arn == sm);
  CHECK(started[0].role_arn == kRole);
  CHECK(started[0].status == "RUNNING");
  CHECK_FALSE(started[0].revision_id.empty());
}

TEST_CASE("StartExecution without a name uses a UUID") {
  Harness h;
  std::string sm = h.CreateMachine("m");
  std::string arn = h.Ok("StartExecution", {{"stateMachineArn", sm}})["executionArn"];
  std::string name = arn.substr(arn.rfind(':') + 1);
  CHECK(name.size() == 36);
  CHECK(name[8] == '-');
}

TEST_CASE("StartExecution validates name, input and machine") {
  Harness h;
  std::string sm = h.CreateMachine("m");
  auto name = h.Call("StartExecution", {{"stateMachineArn", sm}, {"name", "a:b"}});
  CHECK(name.type == "InvalidName");
  CHECK(name.message() == "Invalid Name: 'a:b'");
  auto input = h.Call("StartExecution", {{"stateMachineArn", sm}, {"input", "{nope"}});
  CHECK(input.type == "InvalidExecutionInput");
  auto empty = h.Call("StartExecution", {{"stateMachineArn", sm}, {"input", ""}});
  CHECK(empty.message() == "Invalid State Machine Execution Input: 'Invalid execution input.'");
  auto big = h.Call("StartExecution",
                    {{"stateMachineArn", sm}, {"input", "\"" + std::string(262144, 'x') + "\""}});
  CHECK(big.type == "InvalidExecutionInput");
  auto missing = h.Call("StartExecution", {{"stateMachineArn", SmArn("nope")}});
  CHECK(missing.type == "StateMachineDoesNotExist");
  CHECK(missing.message() == "State Machine Does Not Exist: '" + SmArn("nope") + "'");
  auto absent = h.Call("StartExecution", Json::object());
  CHECK(absent.type == "ValidationException");
  auto labeled = h.Call("StartExecution", {{"stateMachineArn", sm + "/label"}});
  CHECK(labeled.type == "ValidationException");
  CHECK(labeled.body["reason"] == "API_DOES_NOT_SUPPORT_LABELED_ARNS");
}

TEST_CASE("the same name and input while RUNNING returns the first execution") {
  Harness h;
  std::string sm = h.CreateMachine("m");
  Json first =
      h.Ok("StartExecution", {{"stateMachineArn", sm}, {"name", "x"}, {"input", "{\"a\":1}"}});
  h.clock().Advance(1000);
  Json again =
      h.Ok("StartExecution", {{"stateMachineArn", sm}, {"name", "x"}, {"input", "{ \"a\": 1 }"}});
  CHECK(again == first);
  auto other = h.Call("StartExecution", {{"stateMachineArn", sm}, {"name", "x"}, {"input", "{}"}});
  CHECK(other.type == "ExecutionAlreadyExists");
  CHECK(other.message() == "Execution Already Exists: '" + ExecArn("m", "x") + "'");
  h.engine().Succeed(ExecArn("m", "x"), "{}");
  auto closed =
      h.Call("StartExecution", {{"stateMachineArn", sm}, {"name", "x"}, {"input", "{\"a\":1}"}});
  CHECK(closed.type == "ExecutionAlreadyExists");
  CHECK(h.engine().started().size() == 1);
}

TEST_CASE("EXPRESS executions get express ARNs") {
  Harness h;
  std::string sm = h.CreateMachine("fast", kPassDefinition, "EXPRESS");
  std::string arn = h.Start(sm, "e");
  CHECK(arn.rfind("arn:aws:states:us-east-1:123456789012:express:fast:e:", 0) == 0);
  auto describe = h.Call("DescribeExecution", {{"executionArn", arn}});
  CHECK(describe.type == "InvalidArn");
  CHECK(describe.message() == "Invalid Arn: 'Resource type not valid in this context: express'");
  auto list = h.Call("ListExecutions", {{"stateMachineArn", sm}});
  CHECK(list.type == "StateMachineTypeNotSupported");
  CHECK(list.message() == "This operation is not supported by this type of state machine");
}

TEST_CASE("DescribeExecution of a running execution") {
  Harness h;
  std::string sm = h.CreateMachine("m");
  std::string arn = h.Start(sm, "e", "{\"k\":true}");
  Json out = h.Ok("DescribeExecution", {{"executionArn", arn}});
  CHECK(out ==
        Json::parse(R"({"executionArn":")" + arn + R"(","stateMachineArn":")" + sm +
                    R"(","name":"e","status":"RUNNING","startDate":1700000000.123,)"
                    R"("input":"{\"k\":true}","inputDetails":{"included":true},)"
                    R"("redriveCount":0,"redriveStatus":"NOT_REDRIVABLE",)"
                    R"("redriveStatusReason":"Execution is RUNNING and cannot be redriven"})"));
}

TEST_CASE("DescribeExecution of succeeded and failed executions") {
  Harness h;
  std::string sm = h.CreateMachine("m");
  std::string ok = h.Start(sm, "ok");
  std::string bad = h.Start(sm, "bad");
  h.clock().Advance(2000);
  h.engine().Succeed(ok, "{\"r\":1}");
  h.engine().Fail(bad, "Boom", "it broke");
  Json s = h.Ok("DescribeExecution", {{"executionArn", ok}});
  CHECK(s["status"] == "SUCCEEDED");
  CHECK(s["stopDate"] == 1700000002.123);
  CHECK(s["output"] == "{\"r\":1}");
  CHECK(s["outputDetails"] == Json{{"included", true}});
  CHECK(s["redriveStatusReason"] == "Execution is SUCCEEDED and cannot be redriven");
  Json f = h.Ok("DescribeExecution", {{"executionArn", bad}});
  CHECK(f["status"] == "FAILED");
  CHECK(f["error"] == "Boom");
  CHECK(f["cause"] == "it broke");
  CHECK(f["redriveStatus"] == "REDRIVABLE");
  CHECK_FALSE(f.contains("redriveStatusReason"));
  CHECK_FALSE(f.contains("output"));
}

TEST_CASE("DescribeExecution of an unknown execution") {
  Harness h;
  auto a = h.Call("DescribeExecution", {{"executionArn", ExecArn("m", "nope")}});
  CHECK(a.type == "ExecutionDoesNotExist");
  CHECK(a.message() == "Execution Does Not Exist: '" + ExecArn("m", "nope") + "'");
  auto sm = h.Call("DescribeExecution", {{"executionArn", SmArn("m")}});
  CHECK(sm.message() == "Invalid Arn: 'Resource type not valid in this context: stateMachine'");
}

TEST_CASE("StopExecution aborts through the engine") {
  Harness h;
  std::string sm = h.CreateMachine("m");
  std::string arn = h.Start(sm, "e");
  h.clock().Advance(3000);
  Json out = h.Ok("StopExecution", {{"executionArn", arn}, {"error", "E"}, {"cause", "C"}});
  CHECK(out == Json{{"stopDate", 1700000003.123}});
  Json described = h.Ok("DescribeExecution", {{"executionArn", arn}});
  CHECK(described["status"] == "ABORTED");
  CHECK(described["error"] == "E");
  CHECK(h.Call("StopExecution", {{"executionArn", ExecArn("m", "zz")}}).type ==
        "ExecutionDoesNotExist");
}

TEST_CASE("ListExecutions filters by status and pages newest first") {
  Harness h;
  std::string sm = h.CreateMachine("m");
  for (int i = 0; i < 5; ++i) {
    h.clock().Advance(1000);
    h.Start(sm, "e" + std::to_string(i));
  }
  h.engine().Succeed(ExecArn("m", "e1"), "{}");
  Json succeeded = h.Ok("ListExecutions", {{"stateMachineArn", sm}, {"statusFilter", "SUCCEEDED"}});
  REQUIRE(succeeded["executions"].size() == 1);
  CHECK(succeeded["executions"][0]["name"] == "e1");
  CHECK(succeeded["executions"][0].contains("stopDate"));
  std::vector<std::string> names;
  std::set<std::string> tokens;
  Json request = {{"stateMachineArn", sm}, {"maxResults", 2}};
  while (true) {
    Json page = h.Ok("ListExecutions", request);
    for (const Json& item : page["executions"]) names.push_back(item["name"]);
    if (!page.contains("nextToken")) break;
    CHECK(tokens.insert(page["nextToken"].get<std::string>()).second);
    request["nextToken"] = page["nextToken"];
  }
  CHECK(names == std::vector<std::string>{"e4", "e3", "e2", "e1", "e0"});
  auto bad = h.Call("ListExecutions", {{"stateMachineArn", sm}, {"statusFilter", "DONE"}});
  CHECK(bad.type == "ValidationException");
  CHECK(bad.message() ==
        "1 validation error detected: Value 'DONE' at 'statusFilter' failed to satisfy "
        "constraint: Member must satisfy enum value set: [SUCCEEDED, TIMED_OUT, "
        "PENDING_REDRIVE, ABORTED, FAILED, RUNNING]");
  CHECK(succeeded["executions"][0]["redriveCount"] == 0);
  CHECK(h.Call("ListExecutions", {{"stateMachineArn", SmArn("nope")}}).type ==
        "StateMachineDoesNotExist");
}

TEST_CASE("GetExecutionHistory returns AWS event shapes, reversed and paged") {
  Harness h;
  std::string sm = h.CreateMachine("m");
  std::string arn = h.Start(sm, "e", "{\"a\":1}");
  h.engine().Succeed(arn, "{\"b\":2}");
  Json out = h.Ok("GetExecutionHistory", {{"executionArn", arn}});
  REQUIRE(out["events"].size() == 2);
  Json first = out["events"][0];
  CHECK(first == Json::parse(R"({"timestamp":1700000000.123,"type":"ExecutionStarted","id":1,)"
                             R"("previousEventId":0,"executionStartedEventDetails":{)"
                             R"("input":"{\"a\":1}","inputDetails":{"truncated":false},)"
                             R"("roleArn":")" +
                             std::string(kRole) + R"("}})"));
  CHECK_FALSE(first.contains("engine"));
  CHECK(out["events"][1]["executionSucceededEventDetails"]["output"] == "{\"b\":2}");
  CHECK_FALSE(out.contains("nextToken"));
  Json reversed = h.Ok("GetExecutionHistory", {{"executionArn", arn}, {"reverseOrder", true}});
  CHECK(reversed["events"][0]["id"] == 2);
  Json page = h.Ok("GetExecutionHistory", {{"executionArn", arn}, {"maxResults", 1}});
  REQUIRE(page.contains("nextToken"));
  Json next = h.Ok("GetExecutionHistory",
                   {{"executionArn", arn}, {"maxResults", 1}, {"nextToken", page["nextToken"]}});
  CHECK(next["events"][0]["id"] == 2);
  CHECK_FALSE(next.contains("nextToken"));
  Json stripped =
      h.Ok("GetExecutionHistory", {{"executionArn", arn}, {"includeExecutionData", false}});
  CHECK_FALSE(stripped["events"][0]["executionStartedEventDetails"].contains("input"));
  CHECK(h.Call("GetExecutionHistory", {{"executionArn", ExecArn("m", "no")}}).type ==
        "ExecutionDoesNotExist");
}

TEST_CASE("DescribeStateMachineForExecution returns the revision the execution used") {
  Harness h;
  std::string sm = h.CreateMachine("m");
  std::string arn = h.Start(sm, "e");
  h.Ok("UpdateStateMachine", {{"stateMachineArn", sm}, {"definition", kWaitDefinition}});
  Json out = h.Ok("DescribeStateMachineForExecution", {{"executionArn", arn}});
  CHECK(out["stateMachineArn"] == sm);
  CHECK(out["name"] == "m");
  CHECK(out["definition"] == kPassDefinition);
  CHECK_FALSE(out.contains("revisionId"));  // the initial revision has none
  CHECK(out["loggingConfiguration"]["level"] == "OFF");
}

TEST_CASE("executions through versions and aliases record their ARNs") {
  Harness h;
  std::string sm = h.CreateMachine("m");
  h.Ok("PublishStateMachineVersion", {{"stateMachineArn", sm}});
  h.Ok("CreateStateMachineAlias",
       {{"name", "live"},
        {"routingConfiguration",
         Json::array({{{"stateMachineVersionArn", sm + ":1"}, {"weight", 100}}})}});
  h.Ok("UpdateStateMachine", {{"stateMachineArn", sm}, {"definition", kWaitDefinition}});
  std::string by_version = h.Start(sm + ":1", "v");
  std::string by_alias = h.Start(sm + ":live", "a");
  Json v = h.Ok("DescribeExecution", {{"executionArn", by_version}});
  CHECK(v["stateMachineArn"] == sm);
  CHECK(v["stateMachineVersionArn"] == sm + ":1");
  Json a = h.Ok("DescribeExecution", {{"executionArn", by_alias}});
  CHECK(a["stateMachineAliasArn"] == sm + ":live");
  CHECK(a["stateMachineVersionArn"] == sm + ":1");
  CHECK(h.Ok("DescribeStateMachineForExecution", {{"executionArn", by_alias}})["definition"] ==
        kPassDefinition);
  Json listed = h.Ok("ListExecutions", {{"stateMachineArn", sm + ":live"}});
  REQUIRE(listed["executions"].size() == 1);
  CHECK(listed["executions"][0]["name"] == "a");
}

TEST_CASE("StartSyncExecution answers when the EXPRESS execution closes") {
  Harness h;
  std::string sm = h.CreateMachine("fast", kPassDefinition, "EXPRESS");
  auto pending = h.Send("AWSStepFunctions.StartSyncExecution",
                        DumpJson({{"stateMachineArn", sm}, {"name", "s"}, {"input", "{\"a\":1}"}}));
  REQUIRE(pending.wait_for(std::chrono::milliseconds(50)) == std::future_status::timeout);
  auto started = h.engine().started();
  REQUIRE(started.size() == 1);
  h.clock().Advance(250);
  h.engine().Succeed(started[0].arn, "{\"b\":2}");
  Answer a = Harness::ToAnswer(pending.get());
  REQUIRE(a.status == 200);
  CHECK(a.body["executionArn"] == started[0].arn);
  CHECK(a.body["stateMachineArn"] == sm);
  CHECK(a.body["name"] == "s");
  CHECK(a.body["status"] == "SUCCEEDED");
  CHECK(a.body["startDate"] == 1700000000.123);
  CHECK(a.body["stopDate"] == 1700000000.373);
  CHECK(a.body["input"] == "{\"a\":1}");
  CHECK(a.body["inputDetails"] == Json{{"included", true}});
  CHECK(a.body["output"] == "{\"b\":2}");
  CHECK(a.body["outputDetails"] == Json{{"included", true}});
  CHECK(a.body["billingDetails"] ==
        Json{{"billedMemoryUsedInMB", 64}, {"billedDurationInMilliseconds", 300}});
}

TEST_CASE("StartSyncExecution of a STANDARD machine is StateMachineTypeNotSupported") {
  Harness h;
  std::string sm = h.CreateMachine("m");
  auto a = h.Call("StartSyncExecution", {{"stateMachineArn", sm}});
  CHECK(a.type == "StateMachineTypeNotSupported");
  CHECK(h.engine().started().empty());
}

TEST_CASE("a failed sync execution reports its error and cause") {
  Harness h;
  std::string sm = h.CreateMachine("fast", kPassDefinition, "EXPRESS");
  auto pending = h.Send("AWSStepFunctions.StartSyncExecution", DumpJson({{"stateMachineArn", sm}}));
  h.engine().Fail(h.engine().started().at(0).arn, "E", "C");
  Answer a = Harness::ToAnswer(pending.get());
  CHECK(a.body["status"] == "FAILED");
  CHECK(a.body["error"] == "E");
  CHECK(a.body["cause"] == "C");
  CHECK_FALSE(a.body.contains("output"));
}
