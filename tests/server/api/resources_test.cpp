// Activities, tags and ValidateStateMachineDefinition.
#include <catch2/catch.hpp>

#include "api_test_util.h"

using namespace stepline;
using namespace stepline::api::testing;

namespace {
const std::string kActivity = "arn:aws:states:us-east-1:123456789012:activity:work";
}

TEST_CASE("activities: create (idempotent), describe, list, delete") {
  Harness h;
  Json created = h.Ok("CreateActivity", {{"name", "work"}});
  CHECK(created == Json{{"activityArn", kActivity}, {"creationDate", 1700000000.123}});
  h.clock().Advance(1000);
  CHECK(h.Ok("CreateActivity", {{"name", "work"}}) == created);
  Json described = h.Ok("DescribeActivity", {{"activityArn", kActivity}});
  CHECK(described ==
        Json{{"activityArn", kActivity}, {"name", "work"}, {"creationDate", 1700000000.123}});
  Json list = h.Ok("ListActivities", Json::object());
  CHECK(list["activities"].size() == 1);
  CHECK_FALSE(list.contains("nextToken"));
  h.Ok("DeleteActivity", {{"activityArn", kActivity}});
  auto gone = h.Call("DescribeActivity", {{"activityArn", kActivity}});
  CHECK(gone.type == "ActivityDoesNotExist");
  CHECK(gone.message() == "Activity Does Not Exist: '" + kActivity + "'");
  CHECK(h.Call("CreateActivity", {{"name", "a/b"}}).type == "InvalidName");
}

TEST_CASE("tags: add, list, remove; unknown resources and too many tags") {
  Harness h;
  std::string sm = h.CreateMachine("m");
  h.Ok("TagResource",
       {{"resourceArn", sm},
        {"tags", Json::array({{{"key", "a"}, {"value", "1"}}, {{"key", "b"}, {"value", "2"}}})}});
  Json list = h.Ok("ListTagsForResource", {{"resourceArn", sm}});
  CHECK(list == Json::parse(R"({"tags":[{"key":"a","value":"1"},{"key":"b","value":"2"}]})"));
  h.Ok("UntagResource", {{"resourceArn", sm}, {"tagKeys", Json::array({"a"})}});
  CHECK(h.Ok("ListTagsForResource", {{"resourceArn", sm}})["tags"].size() == 1);
  auto missing = h.Call("ListTagsForResource", {{"resourceArn", SmArn("nope")}});
  CHECK(missing.type == "ResourceNotFound");
  CHECK(missing.body["resourceName"] == SmArn("nope"));
  Json many = Json::array();
  for (int i = 0; i < 50; ++i) many.push_back({{"key", "k" + std::to_string(i)}, {"value", "v"}});
  auto too_many = h.Call("TagResource", {{"resourceArn", sm}, {"tags", many}});
  CHECK(too_many.type == "TooManyTags");
  CHECK(too_many.body["resourceName"] == sm);
  auto long_key = h.Call(
      "TagResource", {{"resourceArn", sm},
                      {"tags", Json::array({{{"key", std::string(129, 'k')}, {"value", "v"}}})}});
  CHECK(long_key.type == "ValidationException");
}

TEST_CASE("tags given at creation are listed") {
  Harness h;
  h.Ok("CreateStateMachine", {{"name", "m"},
                              {"definition", kPassDefinition},
                              {"roleArn", kRole},
                              {"tags", Json::array({{{"key", "team"}, {"value", "x"}}})}});
  CHECK(h.Ok("ListTagsForResource", {{"resourceArn", SmArn("m")}})["tags"][0]["key"] == "team");
}

TEST_CASE("ValidateStateMachineDefinition answers OK or FAIL with HTTP 200") {
  Harness h;
  Json ok = h.Ok("ValidateStateMachineDefinition", {{"definition", kPassDefinition}});
  CHECK(ok["result"] == "OK");
  CHECK(ok["diagnostics"].empty());
  Json fail = h.Ok("ValidateStateMachineDefinition", {{"definition", "{\"StartAt\":1}"}});
  CHECK(fail["result"] == "FAIL");
  REQUIRE_FALSE(fail["diagnostics"].empty());
  CHECK(fail["diagnostics"][0]["severity"] == "ERROR");
  CHECK(fail["diagnostics"][0]["code"].is_string());
}
