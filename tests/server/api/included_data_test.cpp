// includedData (ALL_DATA / METADATA_ONLY) and variableReferences of the
// Describe actions.
#include <catch2/catch.hpp>

#include "api_test_util.h"

using namespace stepline;
using namespace stepline::api::testing;

namespace {

const char* kVariables = R"({"StartAt":"A","States":{
    "A":{"Type":"Pass","Assign":{"x":1,"y":2},"Next":"B"},
    "B":{"Type":"Pass","Parameters":{"v.$":"$x","w.$":"$y"},"End":true}}})";

}  // namespace

TEST_CASE("DescribeStateMachine reports variableReferences and leaves data out on METADATA_ONLY") {
  Harness h;
  std::string sm = h.CreateMachine("vars", kVariables);
  Json all = h.Ok("DescribeStateMachine", {{"stateMachineArn", sm}});
  CHECK(all["variableReferences"] == Json::parse(R"({"B":["x","y"]})"));
  CHECK(all["definition"] == kVariables);
  Json explicit_all =
      h.Ok("DescribeStateMachine", {{"stateMachineArn", sm}, {"includedData", "ALL_DATA"}});
  CHECK(explicit_all == all);
  Json meta =
      h.Ok("DescribeStateMachine", {{"stateMachineArn", sm}, {"includedData", "METADATA_ONLY"}});
  CHECK_FALSE(meta.contains("definition"));
  CHECK_FALSE(meta.contains("variableReferences"));
  CHECK(meta["name"] == "vars");
  CHECK(meta["roleArn"] == kRole);
  // A definition without variables has no variableReferences.
  std::string plain = h.CreateMachine("plain");
  CHECK_FALSE(
      h.Ok("DescribeStateMachine", {{"stateMachineArn", plain}}).contains("variableReferences"));
  auto bad = h.Call("DescribeStateMachine", {{"stateMachineArn", sm}, {"includedData", "SOME"}});
  CHECK(bad.type == "ValidationException");
  CHECK(bad.message() ==
        "1 validation error detected: Value 'SOME' at 'includedData' failed to satisfy "
        "constraint: Member must satisfy enum value set: [ALL_DATA, METADATA_ONLY]");
}

TEST_CASE("DescribeExecution and DescribeStateMachineForExecution honour includedData") {
  Harness h;
  std::string sm = h.CreateMachine("vars", kVariables);
  std::string ex = h.Start(sm, "e1", R"({"k":1})");
  h.engine().Succeed(ex, R"({"r":2})");
  Json all = h.Ok("DescribeExecution", {{"executionArn", ex}});
  CHECK(all["input"] == R"({"k":1})");
  CHECK(all["output"] == R"({"r":2})");
  Json meta = h.Ok("DescribeExecution", {{"executionArn", ex}, {"includedData", "METADATA_ONLY"}});
  CHECK_FALSE(meta.contains("input"));
  CHECK_FALSE(meta.contains("inputDetails"));
  CHECK_FALSE(meta.contains("output"));
  CHECK(meta["status"] == "SUCCEEDED");
  CHECK(meta["redriveStatus"] == "NOT_REDRIVABLE");
  CHECK(h.Call("DescribeExecution", {{"executionArn", ex}, {"includedData", 1}}).type ==
        "SerializationException");  // a number where a string belongs, as AWS answers

  Json for_ex = h.Ok("DescribeStateMachineForExecution", {{"executionArn", ex}});
  CHECK(for_ex["variableReferences"] == Json::parse(R"({"B":["x","y"]})"));
  Json for_meta = h.Ok("DescribeStateMachineForExecution",
                       {{"executionArn", ex}, {"includedData", "METADATA_ONLY"}});
  CHECK_FALSE(for_meta.contains("definition"));
  CHECK(for_meta["stateMachineArn"] == sm);
}
