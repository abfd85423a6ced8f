// TestState: one state run once, through the API handler.
#include "tests/server/api/api_test_util.h"

using namespace stepline;
using namespace stepline::api::testing;

namespace {

Json Test(Harness& h, const Json& state, const Json& extra = Json::object()) {
  Json body = {{"definition", DumpJson(state)}, {"roleArn", kRole}};
  for (const auto& [k, v] : extra.items()) body[k] = v;
  return h.Ok("TestState", body);
}

}  // namespace

TEST_CASE("TestState of a Pass state applies Parameters, ResultPath and names the next state") {
  Harness h;
  Json state = {
      {"Type", "Pass"}, {"Parameters", {{"v.$", "$.a"}}}, {"ResultPath", "$.r"}, {"Next", "After"}};
  Json out = Test(h, state, {{"input", R"({"a":7})"}, {"inspectionLevel", "DEBUG"}});
  CHECK(out["status"] == "SUCCEEDED");
  CHECK(Json::parse(out["output"].get<std::string>()) == Json::parse(R"({"a":7,"r":{"v":7}})"));
  CHECK(out["nextState"] == "After");
  CHECK(out["inspectionData"]["afterParameters"] == R"({"v":7})");
  CHECK(out["inspectionData"]["input"] == R"({"a":7})");
}

TEST_CASE("TestState of a Task uses the mocked result through ResultSelector and OutputPath") {
  Harness h;
  Json state = {{"Type", "Task"},
                {"Resource", "arn:aws:states:::lambda:invoke"},
                {"ResultSelector", {{"x.$", "$.Payload"}}},
                {"OutputPath", "$.x"},
                {"End", true}};
  Json out = Test(h, state, {{"mock", {{"result", R"({"Payload":{"ok":1}})"}}}});
  CHECK(out["status"] == "SUCCEEDED");
  CHECK(Json::parse(out["output"].get<std::string>()) == Json::parse(R"({"ok":1})"));
  CHECK_FALSE(out.contains("nextState"));
  CHECK_FALSE(out.contains("inspectionData"));
}

TEST_CASE("TestState of a Task error: a Retrier makes it RETRIABLE, a Catcher CAUGHT_ERROR") {
  Harness h;
  Json err = {{"mock", {{"errorOutput", {{"error", "Boom"}, {"cause", "bad"}}}}}};
  Json catcher = {{"ErrorEquals", {"States.ALL"}}, {"Next", "Handler"}, {"ResultPath", "$.e"}};
  Json state = {{"Type", "Task"},
                {"Resource", "arn:aws:states:::lambda:invoke"},
                {"Catch", {catcher}},
                {"End", true}};
  Json caught = Test(h, state, {{"input", R"({"a":1})"}, {"mock", err["mock"]}});
  CHECK(caught["status"] == "CAUGHT_ERROR");
  CHECK(caught["nextState"] == "Handler");
  CHECK(caught["error"] == "Boom");
  CHECK(Json::parse(caught["output"].get<std::string>()) ==
        Json::parse(R"({"a":1,"e":{"Error":"Boom","Cause":"bad"}})"));
  state["Retry"] = Json::array({{{"ErrorEquals", {"Boom"}}}});
  CHECK(Test(h, state, err)["status"] == "RETRIABLE");
  state.erase("Retry");
  state.erase("Catch");
  Json failed = Test(h, state, err);
  CHECK(failed["status"] == "FAILED");
  CHECK(failed["cause"] == "bad");
}

TEST_CASE("TestState of a Choice names the matched branch; of a Fail, its error") {
  Harness h;
  Json choice = {{"Type", "Choice"},
                 {"Choices", {{{"Variable", "$.n"}, {"NumericGreaterThan", 5}, {"Next", "Big"}}}},
                 {"Default", "Small"}};
  CHECK(Test(h, choice, {{"input", R"({"n":9})"}})["nextState"] == "Big");
  CHECK(Test(h, choice, {{"input", R"({"n":1})"}})["nextState"] == "Small");
  Json fail = {{"Type", "Fail"}, {"Error", "E"}, {"Cause", "C"}};
  Json out = Test(h, fail);
  CHECK(out["status"] == "FAILED");
  CHECK(out["error"] == "E");
  CHECK(out["cause"] == "C");
}

TEST_CASE("TestState picks stateName out of a whole machine; Wait returns at once") {
  Harness h;
  std::string machine = R"({"StartAt":"A","States":{"A":{"Type":"Pass","Next":"W"},)"
                        R"("W":{"Type":"Wait","Seconds":3600,"OutputPath":"$.k","End":true}}})";
  Json out = h.Ok(
      "TestState",
      {{"definition", machine}, {"roleArn", kRole}, {"stateName", "W"}, {"input", R"({"k":"v"})"}});
  CHECK(out["status"] == "SUCCEEDED");
  CHECK(out["output"] == R"("v")");
}

TEST_CASE("TestState refuses invalid definitions, bad JSON members and Tasks without mock") {
  Harness h;
  Answer bad = h.Call("TestState", {{"definition", R"({"Type":"Pass","Next":""})"}});
  CHECK(bad.type == "InvalidDefinition");
  Answer input = h.Call("TestState",
                        {{"definition", R"({"Type":"Pass","End":true})"}, {"input", "{not json"}});
  CHECK(input.type == "ValidationException");
  Answer level = h.Call(
      "TestState", {{"definition", R"({"Type":"Pass","End":true})"}, {"inspectionLevel", "LOUD"}});
  CHECK(level.type == "ValidationException");
  Answer task =
      h.Call("TestState", {{"definition", R"({"Type":"Task","Resource":)"
                                          R"("arn:aws:states:::lambda:invoke","End":true})"}});
  CHECK(task.type == "ValidationException");
  Answer typed = h.Call("TestState", {{"definition", 5}});
  CHECK(typed.type == "SerializationException");  // as for every action's wrong types
}
