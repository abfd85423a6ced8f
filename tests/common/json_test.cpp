#include "common/json.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <random>
#include <vector>

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

namespace {
std::string NlohmannDump(const Json& j) {
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// A random value of every JSON type, with strings full of what needs
// escaping (quotes, backslashes, control bytes, DEL, non-ASCII, bad UTF-8).
Json RandomValue(std::mt19937& rng, int depth) {
  static const std::vector<std::string> pieces = {"a",
                                                  "\"",
                                                  "\\",
                                                  "\n",
                                                  "\t",
                                                  "\b",
                                                  "\f",
                                                  "\r",
                                                  std::string(1, '\0'),
                                                  "\x01",
                                                  "\x1f",
                                                  "\x7f",
                                                  "/",
                                                  "\xC3\xA9",
                                                  "\xF0\x9F\x98\x80",
                                                  "\xE2\x80\xA8",
                                                  "\xFF",
                                                  "\xC0\xAF",
                                                  "\xED\xA0\x80"};
  switch (rng() % (depth > 3 ? 6 : 8)) {
    case 0:
      return nullptr;
    case 1:
      return rng() % 2 == 0;
    case 2:
      return static_cast<int64_t>(rng()) - static_cast<int64_t>(rng()) * 4096;
    case 3:
      return static_cast<uint64_t>(rng()) << 32 | rng();
    case 4:
      return std::ldexp(static_cast<double>(rng()) - 2e9, static_cast<int>(rng() % 80) - 40);
    case 5: {
      std::string s;
      for (unsigned n = rng() % 8; n > 0; --n) s += pieces[rng() % pieces.size()];
      return s;
    }
    case 6: {
      Json a = Json::array();
      for (unsigned n = rng() % 5; n > 0; --n) a.push_back(RandomValue(rng, depth + 1));
      return a;
    }
    default: {
      Json o = Json::object();
      for (unsigned n = rng() % 5; n > 0; --n) {
        o[NlohmannDump(RandomValue(rng, 9))] = RandomValue(rng, depth + 1);
      }
      return o;
    }
  }
}
}  // namespace

TEST_CASE("DumpJson prints exactly what nlohmann's compact dump prints") {
  CHECK(DumpJson(Json::parse(R"({"k":[1,-2,18446744073709551615,1.5,1e300,"x\u0001y"]})")) ==
        R"({"k":[1,-2,18446744073709551615,1.5,1e+300,"x\u0001y"]})");
  CHECK(DumpJson(Json(std::nan(""))) == "null");
  CHECK(DumpJson(Json::object()) == "{}");
  CHECK(DumpJson(Json::array()) == "[]");
  std::mt19937 rng(20261203);
  for (int i = 0; i < 20000; ++i) {
    Json j = RandomValue(rng, 0);
    REQUIRE(DumpJson(j) == NlohmannDump(j));
  }
}
