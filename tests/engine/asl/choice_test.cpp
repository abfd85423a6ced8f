// Choice rule evaluation (engine/asl/choice.h).
#include <catch2/catch.hpp>

#include "engine/asl/choice.h"
#include "engine/asl/parser.h"
#include "engine/states_error.h"

namespace stepline::asl {
namespace {

class MapScope : public VariableScope {
 public:
  explicit MapScope(Json values) : values_(std::move(values)) {}
  const Json* Find(std::string_view name) const override {
    auto it = values_.find(std::string(name));
    return it == values_.end() ? nullptr : &*it;
  }

 private:
  Json values_;
};

// Parses a machine whose only Choice has `rule` (plus "Next":"N") and evaluates it.
bool Matches(const std::string& rule, const Json& input, const Json& variables = Json::object()) {
  std::string text = R"({"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[)" +
                     rule.substr(0, rule.size() - 1) + R"(,"Next":"N"}]},"N":{"Type":"Succeed"}}})";
  auto machine = ParseDefinition(text);
  INFO(machine.status().message());
  REQUIRE(machine.ok());
  const ChoiceRule& parsed = (*machine)->root.Find("C")->as<ChoiceSpec>().choices.at(0);
  Json context = {{"Execution", {{"Name", "exec"}}}};
  MapScope scope(variables);
  ExprContext ctx;
  ctx.input = &input;
  ctx.context = &context;
  ctx.variables = &scope;
  return EvaluateChoiceRule(parsed, ctx);
}

}  // namespace

TEST_CASE("numeric comparisons work across integers and floats", "[choice]") {
  CHECK(Matches(R"({"Variable":"$.v","NumericEquals":1})", {{"v", 1.0}}));
  CHECK(Matches(R"({"Variable":"$.v","NumericEquals":1.0})", {{"v", 1}}));
  CHECK_FALSE(Matches(R"({"Variable":"$.v","NumericEquals":1})", {{"v", 1.1}}));
  CHECK(Matches(R"({"Variable":"$.v","NumericGreaterThan":1})", {{"v", 1.5}}));
  CHECK(Matches(R"({"Variable":"$.v","NumericLessThanEquals":-2})", {{"v", -2}}));
  CHECK(Matches(R"({"Variable":"$.v","NumericLessThan":18446744073709551615})", {{"v", -1}}));
  CHECK(Matches(R"({"Variable":"$.v","NumericGreaterThanEquals":9007199254740993})",
                {{"v", 9007199254740993LL}}));
  CHECK_FALSE(Matches(R"({"Variable":"$.v","NumericGreaterThan":9007199254740993})",
                      {{"v", 9007199254740993LL}}));
}

TEST_CASE("a comparison on the wrong type is false, not an error", "[choice]") {
  CHECK_FALSE(Matches(R"({"Variable":"$.v","NumericEquals":1})", {{"v", "1"}}));
  CHECK_FALSE(Matches(R"({"Variable":"$.v","StringEquals":"1"})", {{"v", 1}}));
  CHECK_FALSE(Matches(R"({"Variable":"$.v","BooleanEquals":true})", {{"v", "true"}}));
  CHECK_FALSE(
      Matches(R"({"Variable":"$.v","TimestampEquals":"2016-03-14T01:59:00Z"})", {{"v", 5}}));
  CHECK_FALSE(Matches(R"({"Variable":"$.v","NumericEqualsPath":"$.w"})", {{"v", 1}, {"w", "1"}}));
  CHECK_FALSE(Matches(R"({"Variable":"$.v","StringMatches":"*"})", {{"v", nullptr}}));
}

TEST_CASE("string comparisons are lexicographic by code unit", "[choice]") {
  CHECK(Matches(R"({"Variable":"$.v","StringLessThan":"b"})", {{"v", "a"}}));
  CHECK(Matches(R"({"Variable":"$.v","StringGreaterThanEquals":"ab"})", {{"v", "ab"}}));
  CHECK_FALSE(Matches(R"({"Variable":"$.v","StringGreaterThan":"ab"})", {{"v", "a"}}));
  CHECK(Matches(R"({"Variable":"$.v","StringEqualsPath":"$.w"})", {{"v", "é"}, {"w", "é"}}));
}

TEST_CASE("StringMatches supports wildcards and escapes", "[choice]") {
  CHECK(StringMatchesPattern("log-2024.txt", "log-*.txt"));
  CHECK(StringMatchesPattern("anything", "*"));
  CHECK(StringMatchesPattern("", "*"));
  CHECK_FALSE(StringMatchesPattern("log.txt", "log-*.txt"));
  CHECK(StringMatchesPattern("a*b", "a\\*b"));
  CHECK_FALSE(StringMatchesPattern("axb", "a\\*b"));
  CHECK(StringMatchesPattern("a\\b", "a\\\\b"));
  CHECK(StringMatchesPattern("xaaab", "*a*b"));
  CHECK(StringMatchesPattern("abcabd", "*abd"));
  CHECK_FALSE(StringMatchesPattern("abc", "ab"));
  CHECK(Matches(R"({"Variable":"$.v","StringMatches":"*.log"})", {{"v", "x.log"}}));
  CHECK(Matches(R"({"Variable":"$.v","StringMatches":"a\\*"})", {{"v", "a*"}}));
}

TEST_CASE("timestamps compare as instants", "[choice]") {
  CHECK(Matches(R"({"Variable":"$.v","TimestampEquals":"2016-03-14T01:59:00Z"})",
                {{"v", "2016-03-14T02:59:00+01:00"}}));
  CHECK(Matches(R"({"Variable":"$.v","TimestampLessThan":"2016-03-14T01:59:00.001Z"})",
                {{"v", "2016-03-14T01:59:00Z"}}));
  CHECK_FALSE(Matches(R"({"Variable":"$.v","TimestampEquals":"2016-03-14T01:59:00Z"})",
                      {{"v", "2016-03-14t01:59:00z"}}));
  CHECK(Matches(R"({"Variable":"$.v","TimestampGreaterThanPath":"$.w"})",
                {{"v", "2020-01-01T00:00:00Z"}, {"w", "2019-12-31T23:59:59Z"}}));
}

TEST_CASE("type tests follow AWS's notion of each type", "[choice]") {
  CHECK(Matches(R"({"Variable":"$.v","IsNull":true})", {{"v", nullptr}}));
  CHECK(Matches(R"({"Variable":"$.v","IsNumeric":true})", {{"v", 1.5}}));
  CHECK(Matches(R"({"Variable":"$.v","IsNumeric":false})", {{"v", "1"}}));
  CHECK(Matches(R"({"Variable":"$.v","IsString":true})", {{"v", ""}}));
  CHECK(Matches(R"({"Variable":"$.v","IsBoolean":true})", {{"v", false}}));
  CHECK(Matches(R"({"Variable":"$.v","IsTimestamp":true})", {{"v", "2016-03-14T01:59:00Z"}}));
  CHECK(Matches(R"({"Variable":"$.v","IsTimestamp":false})", {{"v", "2016-03-14"}}));
  CHECK(Matches(R"({"Variable":"$.v","IsTimestamp":false})", {{"v", 1457920740}}));
}

TEST_CASE("IsPresent is the one test on a missing Variable", "[choice]") {
  CHECK(Matches(R"({"Variable":"$.v","IsPresent":false})", Json::object()));
  CHECK(Matches(R"({"Variable":"$.v","IsPresent":true})", {{"v", nullptr}}));
  CHECK_FALSE(Matches(R"({"Variable":"$.v","IsPresent":true})", Json::object()));
}

TEST_CASE("a missing Variable is a States.Runtime error with AWS's cause", "[choice]") {
  try {
    Matches(R"({"Variable":"$.missing","IsNull":true})", Json::object());
    FAIL("no exception");
  } catch (const StatesException& e) {
    CHECK(e.error().error == "States.Runtime");
    CHECK(e.error().cause ==
          "Invalid path '$.missing': The choice state's condition path references an invalid "
          "value.");
  }
  CHECK_THROWS_AS(Matches(R"({"Variable":"$.v","StringEqualsPath":"$.w"})", {{"v", "x"}}),
                  StatesException);
}

TEST_CASE("And, Or and Not combine rules", "[choice]") {
  Json input = {{"a", 1}, {"b", "x"}};
  CHECK(Matches(
      R"({"And":[{"Variable":"$.a","NumericEquals":1},{"Variable":"$.b","StringEquals":"x"}]})",
      input));
  CHECK_FALSE(Matches(
      R"({"And":[{"Variable":"$.a","NumericEquals":1},{"Variable":"$.b","StringEquals":"y"}]})",
      input));
  CHECK(Matches(
      R"({"Or":[{"Variable":"$.a","NumericEquals":2},{"Variable":"$.b","StringEquals":"x"}]})",
      input));
  CHECK(Matches(R"({"Not":{"Variable":"$.a","NumericEquals":2}})", input));
  // Or stops at the first match: the missing path after it is never read.
  CHECK(Matches(
      R"({"Or":[{"Variable":"$.a","NumericEquals":1},{"Variable":"$.zz","IsNull":true}]})", input));
}

TEST_CASE("Variables may read the context object and workflow variables", "[choice]") {
  CHECK(Matches(R"({"Variable":"$$.Execution.Name","StringEquals":"exec"})", Json::object()));
  CHECK(Matches(R"({"Variable":"$count","NumericGreaterThan":2})", Json::object(), {{"count", 3}}));
  CHECK(Matches(R"({"Variable":"$.v","NumericEqualsPath":"$limit.max"})", {{"v", 7}},
                {{"limit", {{"max", 7}}}}));
}

}  // namespace stepline::asl
