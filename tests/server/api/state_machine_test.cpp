// Dispatch, CreateStateMachine, DescribeStateMachine, UpdateStateMachine,
// DeleteStateMachine, ListStateMachines, versions and aliases.
#include <catch2/catch.hpp>

#include <set>

#include "api_test_util.h"
#include "server/api/actions.h"

using namespace stepline;
using namespace stepline::api::testing;

TEST_CASE("an unknown target is UnknownOperationException") {
  Harness h;
  auto a = h.CallRaw("Other.CreateStateMachine", "{}");
  CHECK(a.status == 400);
  CHECK(a.type == "UnknownOperationException");
  CHECK(h.CallRaw("AWSStepFunctions.Nope", "{}").type == "UnknownOperationException");
}

TEST_CASE("an action not implemented yet answers a clear 400") {
  Harness h;
  for (const char* const* name = api::kNotImplementedActions; *name != nullptr; ++name) {
    auto a = h.CallRaw(std::string("AWSStepFunctions.") + *name, "{}");
    CHECK(a.status == 400);
    CHECK(a.type == "UnknownOperationException");
    CHECK(a.message() == "Operation " + std::string(*name) + " is not implemented by Stepline yet");
  }
}

TEST_CASE("a body that is not a JSON object is a SerializationException") {
  Harness h;
  CHECK(h.CallRaw("AWSStepFunctions.ListStateMachines", "[1]").type == "SerializationException");
  CHECK(h.CallRaw("AWSStepFunctions.ListStateMachines", "{oops").type == "SerializationException");
  CHECK(h.CallRaw("AWSStepFunctions.ListStateMachines", "").status == 200);  // empty is {}
}

TEST_CASE("CreateStateMachine answers the ARN and creation date") {
  Harness h;
  Json out = h.Ok("CreateStateMachine",
                  {{"name", "m"}, {"definition", kPassDefinition}, {"roleArn", kRole}});
  CHECK(out == Json{{"stateMachineArn", SmArn("m")}, {"creationDate", 1700000000.123}});
}

TEST_CASE("CreateStateMachine with missing members lists every violation") {
  Harness h;
  auto a = h.Call("CreateStateMachine", {{"name", "m"}});
  CHECK(a.type == "ValidationException");
  CHECK(a.message() ==
        "2 validation errors detected: Value null at 'definition' failed to satisfy constraint: "
        "Member must not be null; Value null at 'roleArn' failed to satisfy constraint: Member "
        "must not be null");
}

TEST_CASE("CreateStateMachine rejects bad names, roles, types and definitions") {
  Harness h;
  auto name = h.Call("CreateStateMachine",
                     {{"name", "a b"}, {"definition", kPassDefinition}, {"roleArn", kRole}});
  CHECK(name.type == "InvalidName");
  CHECK(name.message() == "Invalid Name: 'a b'");
  auto role = h.Call("CreateStateMachine",
                     {{"name", "m"}, {"definition", kPassDefinition}, {"roleArn", "nope"}});
  CHECK(role.type == "InvalidArn");
  CHECK(role.message() == "Invalid Role Arn: 'nope'");
  auto type = h.Call(
      "CreateStateMachine",
      {{"name", "m"}, {"definition", kPassDefinition}, {"roleArn", kRole}, {"type", "FAST"}});
  CHECK(type.type == "ValidationException");
  auto def =
      h.Call("CreateStateMachine", {{"name", "m"}, {"definition", "{}"}, {"roleArn", kRole}});
  CHECK(def.type == "InvalidDefinition");
  CHECK(def.message().rfind("Invalid State Machine Definition: ", 0) == 0);
  auto wrong = h.Call("CreateStateMachine", {{"name", 5}});
  CHECK(wrong.type == "SerializationException");
  auto description = h.Call("CreateStateMachine", {{"name", "m"},
                                                   {"definition", kPassDefinition},
                                                   {"roleArn", kRole},
                                                   {"versionDescription", "v"}});
  CHECK(description.type == "ValidationException");
  CHECK(description.message() == "Version description can only be set when publish is true");
}

TEST_CASE("CreateStateMachine is idempotent, else StateMachineAlreadyExists") {
  Harness h;
  std::string arn = h.CreateMachine("m");
  h.clock().Advance(5000);
  Json again = h.Ok("CreateStateMachine",
                    {{"name", "m"}, {"definition", kPassDefinition}, {"roleArn", kRole}});
  CHECK(again["stateMachineArn"] == arn);
  CHECK(again["creationDate"] == 1700000000.123);
  auto other = h.Call("CreateStateMachine",
                      {{"name", "m"}, {"definition", kWaitDefinition}, {"roleArn", kRole}});
  CHECK(other.type == "StateMachineAlreadyExists");
  CHECK(other.message() == "State Machine Already Exists: '" + arn + "'");
}

TEST_CASE("DescribeStateMachine returns AWS's members with default configurations") {
  Harness h;
  std::string arn = h.CreateMachine("m");
  Json out = h.Ok("DescribeStateMachine", {{"stateMachineArn", arn}});
  CHECK(out["stateMachineArn"] == arn);
  CHECK(out["name"] == "m");
  CHECK(out["status"] == "ACTIVE");
  CHECK(out["definition"] == kPassDefinition);
  CHECK(out["roleArn"] == kRole);
  CHECK(out["type"] == "STANDARD");
  CHECK(out["creationDate"] == 1700000000.123);
  CHECK(out["loggingConfiguration"] ==
        Json::parse(R"({"level":"OFF","includeExecutionData":false})"));
  CHECK(out["tracingConfiguration"] == Json::parse(R"({"enabled":false})"));
  CHECK_FALSE(out.contains("revisionId"));  // AWS shows none before the first update
  CHECK_FALSE(out.contains("encryptionConfiguration"));
}

TEST_CASE("DescribeStateMachine of an unknown machine is StateMachineDoesNotExist") {
  Harness h;
  auto a = h.Call("DescribeStateMachine", {{"stateMachineArn", SmArn("nope")}});
  CHECK(a.type == "StateMachineDoesNotExist");
  CHECK(a.message() == "State Machine Does Not Exist: '" + SmArn("nope") + "'");
  auto bad = h.Call("DescribeStateMachine", {{"stateMachineArn", "nope"}});
  CHECK(bad.type == "InvalidArn");
  CHECK(bad.message() == "Invalid Arn: 'Invalid ARN prefix: nope'");
}

TEST_CASE("a logging level other than OFF needs one destination") {
  Harness h;
  auto a = h.Call("CreateStateMachine", {{"name", "m"},
                                         {"definition", kPassDefinition},
                                         {"roleArn", kRole},
                                         {"loggingConfiguration", {{"level", "ALL"}}}});
  CHECK(a.type == "InvalidLoggingConfiguration");
}

TEST_CASE("UpdateStateMachine needs something to update") {
  Harness h;
  std::string arn = h.CreateMachine("m");
  auto a = h.Call("UpdateStateMachine", {{"stateMachineArn", arn}});
  CHECK(a.type == "MissingRequiredParameter");
  CHECK(a.message() ==
        "Either the definition, the role ARN, the LoggingConfiguration, or the "
        "TracingConfiguration must be specified");
}

TEST_CASE("UpdateStateMachine makes a new revision and can publish") {
  Harness h;
  std::string arn = h.CreateMachine("m");
  h.clock().Advance(1000);
  Json out = h.Ok("UpdateStateMachine",
                  {{"stateMachineArn", arn}, {"definition", kWaitDefinition}, {"publish", true}});
  CHECK(out["updateDate"] == 1700000001.123);
  CHECK(out["revisionId"].get<std::string>().size() == 36);
  CHECK(out["stateMachineVersionArn"] == arn + ":1");
  Json described = h.Ok("DescribeStateMachine", {{"stateMachineArn", arn}});
  CHECK(described["definition"] == kWaitDefinition);
  CHECK(described["revisionId"] == out["revisionId"]);
  // PublishStateMachineVersion checks the revision it is given.
  auto stale =
      h.Call("PublishStateMachineVersion", {{"stateMachineArn", arn}, {"revisionId", "INITIAL"}});
  CHECK(stale.type == "ConflictException");
  auto missing = h.Call("UpdateStateMachine",
                        {{"stateMachineArn", SmArn("nope")}, {"definition", kPassDefinition}});
  CHECK(missing.type == "StateMachineDoesNotExist");
}

TEST_CASE("DeleteStateMachine removes the machine and is idempotent") {
  Harness h;
  std::string arn = h.CreateMachine("m");
  CHECK(h.Ok("DeleteStateMachine", {{"stateMachineArn", arn}}) == Json::object());
  CHECK(h.Call("DescribeStateMachine", {{"stateMachineArn", arn}}).type ==
        "StateMachineDoesNotExist");
  CHECK(h.Ok("DeleteStateMachine", {{"stateMachineArn", arn}}) == Json::object());
}

TEST_CASE("a machine with running executions stays DELETING until they close") {
  Harness h;
  std::string arn = h.CreateMachine("m");
  std::string exec = h.Start(arn, "e1");
  h.Ok("DeleteStateMachine", {{"stateMachineArn", arn}});
  CHECK(h.Ok("DescribeStateMachine", {{"stateMachineArn", arn}})["status"] == "DELETING");
  CHECK(h.Call("StartExecution", {{"stateMachineArn", arn}}).type == "StateMachineDeleting");
  h.engine().Succeed(exec, "{}");
  CHECK(h.Call("DescribeStateMachine", {{"stateMachineArn", arn}}).type ==
        "StateMachineDoesNotExist");
}

TEST_CASE("ListStateMachines pages without repeating a token") {
  Harness h;
  for (int i = 0; i < 5; ++i) h.CreateMachine("m" + std::to_string(i));
  std::set<std::string> seen, tokens;
  Json request = {{"maxResults", 2}};
  int pages = 0;
  while (true) {
    Json page = h.Ok("ListStateMachines", request);
    ++pages;
    for (const Json& item : page["stateMachines"]) {
      CHECK(item.contains("stateMachineArn"));
      CHECK(item["type"] == "STANDARD");
      CHECK(item["creationDate"].is_number());
      seen.insert(item["name"].get<std::string>());
    }
    if (!page.contains("nextToken")) break;
    CHECK(tokens.insert(page["nextToken"].get<std::string>()).second);
    request["nextToken"] = page["nextToken"];
  }
  CHECK(pages == 3);
  CHECK(seen.size() == 5);
}

TEST_CASE("maxResults over 1000 and bad tokens are rejected") {
  Harness h;
  auto a = h.Call("ListStateMachines", {{"maxResults", 1001}});
  CHECK(a.type == "ValidationException");
  CHECK(a.message() ==
        "1 validation error detected: Value '1001' at 'maxResults' failed to satisfy constraint: "
        "Member must have value less than or equal to 1000");
  CHECK(h.Call("ListStateMachines", {{"nextToken", "garbage"}}).type == "InvalidToken");
}

TEST_CASE("versions: publish, describe, list newest first, delete") {
  Harness h;
  std::string arn = h.CreateMachine("m");
  Json v1 = h.Ok("PublishStateMachineVersion",
                 {{"stateMachineArn", arn}, {"description", "one"}, {"revisionId", "INITIAL"}});
  CHECK(v1["stateMachineVersionArn"] == arn + ":1");
  // Same revision: the same version comes back.
  CHECK(h.Ok("PublishStateMachineVersion", {{"stateMachineArn", arn}})["stateMachineVersionArn"] ==
        arn + ":1");
  h.Ok("UpdateStateMachine", {{"stateMachineArn", arn}, {"definition", kWaitDefinition}});
  Json v2 = h.Ok("PublishStateMachineVersion", {{"stateMachineArn", arn}});
  CHECK(v2["stateMachineVersionArn"] == arn + ":2");
  Json described = h.Ok("DescribeStateMachine", {{"stateMachineArn", arn + ":1"}});
  CHECK(described["stateMachineArn"] == arn + ":1");
  CHECK(described["definition"] == kPassDefinition);
  CHECK(described["description"] == "one");
  Json list = h.Ok("ListStateMachineVersions", {{"stateMachineArn", arn}});
  REQUIRE(list["stateMachineVersions"].size() == 2);
  CHECK(list["stateMachineVersions"][0]["stateMachineVersionArn"] == arn + ":2");
  h.Ok("DeleteStateMachineVersion", {{"stateMachineVersionArn", arn + ":2"}});
  CHECK(h.Call("DescribeStateMachine", {{"stateMachineArn", arn + ":2"}}).type ==
        "StateMachineDoesNotExist");
  // Numbers are never reused.
  h.Ok("UpdateStateMachine", {{"stateMachineArn", arn}, {"definition", kPassDefinition}});
  CHECK(h.Ok("PublishStateMachineVersion", {{"stateMachineArn", arn}})["stateMachineVersionArn"] ==
        arn + ":3");
}

TEST_CASE("aliases: create, describe, route, update, delete") {
  Harness h;
  std::string arn = h.CreateMachine("m");
  h.Ok("PublishStateMachineVersion", {{"stateMachineArn", arn}});
  Json routing = Json::array({{{"stateMachineVersionArn", arn + ":1"}, {"weight", 100}}});
  Json created =
      h.Ok("CreateStateMachineAlias", {{"name", "prod"}, {"routingConfiguration", routing}});
  CHECK(created["stateMachineAliasArn"] == arn + ":prod");
  // Idempotent with the same routing.
  h.Ok("CreateStateMachineAlias", {{"name", "prod"}, {"routingConfiguration", routing}});
  Json described = h.Ok("DescribeStateMachineAlias", {{"stateMachineAliasArn", arn + ":prod"}});
  CHECK(described["name"] == "prod");
  CHECK(described["routingConfiguration"] == routing);
  // A version an alias routes to cannot be deleted.
  CHECK(h.Call("DeleteStateMachineVersion", {{"stateMachineVersionArn", arn + ":1"}}).type ==
        "ConflictException");
  auto bad = h.Call("UpdateStateMachineAlias",
                    {{"stateMachineAliasArn", arn + ":prod"},
                     {"routingConfiguration",
                      Json::array({{{"stateMachineVersionArn", arn + ":1"}, {"weight", 50}}})}});
  CHECK(bad.type == "ValidationException");
  CHECK(bad.body["reason"] == "INVALID_ROUTING_CONFIGURATION");
  h.Ok("UpdateStateMachineAlias", {{"stateMachineAliasArn", arn + ":prod"}, {"description", "d"}});
  Json list = h.Ok("ListStateMachineAliases", {{"stateMachineArn", arn}});
  CHECK(list["stateMachineAliases"].size() == 1);
  h.Ok("DeleteStateMachineAlias", {{"stateMachineAliasArn", arn + ":prod"}});
  auto gone = h.Call("DescribeStateMachineAlias", {{"stateMachineAliasArn", arn + ":prod"}});
  CHECK(gone.type == "ResourceNotFound");
  CHECK(gone.body["resourceName"] == arn + ":prod");
}
