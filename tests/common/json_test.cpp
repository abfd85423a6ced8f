#include "common/json.h"

#include <catch2/catch.hpp>

#include "common/limits.h"

using stepline::DumpJson;
using stepline::Json;
using stepline::ParseJson;

TEST_CASE("objects keep their member order through parse and dump") {
  auto r = ParseJson(R"({"b":1,"a":{"z":true,"y":null}})");
  REQUIRE(r.ok());
  CHECK(DumpJson(*r) == R"({"b":1,"a":{"z":true,"y":null}})");
}

TEST_CASE("invalid JSON is a serialization error, not an exception") {
  auto r = ParseJson("{\"a\": ");
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == stepline::ErrorCode::kSerialization);
  CHECK_FALSE(ParseJson("{} trailing").ok());
  CHECK_FALSE(ParseJson("").ok());
}

TEST_CASE("nesting beyond the limit is refused before the recursive parser sees it") {
  std::string deep(100000, '[');
  auto r = ParseJson(deep);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message().find("depth") != std::string::npos);
  std::string ok_depth = std::string(stepline::limits::kMaxJsonDepth, '[') +
                         std::string(stepline::limits::kMaxJsonDepth, ']');
  CHECK(ParseJson(ok_depth).ok());
}

TEST_CASE("brackets inside strings do not count toward nesting") {
  std::string s = "\"" + std::string(10000, '[') + "\\\"\"";
  CHECK(ParseJson(s).ok());
}

TEST_CASE("unicode escapes and surrogate pairs decode to UTF-8 and dump raw") {
  auto r = ParseJson(R"("h\u00e9llo \ud83d\ude00")");
  REQUIRE(r.ok());
  CHECK(DumpJson(*r) == "\"h\xC3\xA9llo \xF0\x9F\x98\x80\"");
}

TEST_CASE("invalid UTF-8 is replaced when dumping instead of throwing") {
  Json j = std::string(
      "a\xFF"
      "b");
  CHECK(DumpJson(j) ==
        "\"a\xEF\xBF\xBD"
        "b\"");
}

TEST_CASE("JsonDepth counts containers") {
  CHECK(stepline::JsonDepth(Json(1)) == 0);
  CHECK(stepline::JsonDepth(Json::parse("[[1],{\"a\":[2]}]")) == 3);
}
