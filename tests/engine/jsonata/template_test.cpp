// Template: "{% %}" strings in ASL fields and AWS's QueryEvaluationError causes.
#include <catch2/catch.hpp>

#include "engine/states_error.h"
#include "tests/engine/jsonata/test_util.h"

using namespace stepline;
using namespace stepline::jsonata;
using namespace stepline::jsonata::testing;

namespace {
MapScope States() {
  MapScope s;
  s.vars["states"] = Json::parse(R"({"input":{"name":"x","n":[1,2,3]},"context":{}})");
  s.vars["total"] = 7;
  return s;
}

StatesError EvaluationFailure(const Template& t, const std::string& field) {
  MapScope s = States();
  try {
    t.Evaluate(field, s);
  } catch (const StatesException& e) {
    return e.error();
  }
  FAIL("expected a StatesException");
  return {};
}
}  // namespace

TEST_CASE("expressions are evaluated at any depth and literals pass through") {
  auto t = Template::Compile(Json::parse(
      R"({"a":"{% $states.input.name %}","b":[1,"{% $sum($states.input.n) %}"],"c":"plain","d":{"e":"{% $total + 1 %}"}})"));
  REQUIRE(t.ok());
  MapScope s = States();
  CHECK(t->Evaluate("Output", s) == Json::parse(R"({"a":"x","b":[1,6],"c":"plain","d":{"e":8}})"));
  CHECK_FALSE(t->is_expression());
  auto vars = t->ReferencedVariables();
  CHECK(vars == std::vector<std::string>{"states", "total"});
}

TEST_CASE("a whole-field expression reports its text without the blanks around it, as AWS") {
  auto t = Template::Compile(Json("{% $states.input.n %}"));
  REQUIRE(t.ok());
  CHECK(t->is_expression());
  CHECK(t->expression_text() == "$states.input.n");
}

TEST_CASE("an undefined result is a QueryEvaluationError with the field location") {
  auto t = Template::Compile(Json::parse(R"({"result":"{%$doesNotExist%}"})"));
  REQUIRE(t.ok());
  StatesError e = EvaluationFailure(*t, "Output");
  CHECK(e.error == "States.QueryEvaluationError");
  CHECK(e.location == "Output/result");
  CHECK(e.cause ==
        "The JSONata expression '$doesNotExist' specified for the field 'Output/result' returned "
        "nothing (undefined).");
}

TEST_CASE("an evaluation error carries the JSONata code and message") {
  auto t = Template::Compile(Json("{%$randomSeeded(1)%}"));
  REQUIRE(t.ok());
  StatesError e = EvaluationFailure(*t, "Output/FunctionResult");
  CHECK(e.cause ==
        "The JSONata expression '$randomSeeded(1)' specified for the field "
        "'Output/FunctionResult' threw an error during evaluation. T1006: Attempted to invoke a "
        "non-function");
}

TEST_CASE("invalid expressions are rejected at compile time") {
  auto bad = Template::Compile(Json("{% $states.input. %}"));
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().code() == ErrorCode::kInvalidDefinition);
  CHECK(bad.status().message().find("INVALID_JSONATA_EXPRESSION") != std::string::npos);
  auto top = Template::Compile(Json("{% phone %}"));
  REQUIRE_FALSE(top.ok());
  CHECK(top.status().message().find("Reference to 'phone' at the top level is not supported.") !=
        std::string::npos);
  auto open = Template::Compile(Json("{% $x"));
  CHECK_FALSE(open.ok());
}

TEST_CASE("state-machine templates reject the JSONata 2.2 fallback operators") {
  for (const char* text : {"{% $x ?? 1 %}", "{% $x ?: 1 %}"}) {
    auto t = Template::Compile(Json(text));
    REQUIRE_FALSE(t.ok());
    CHECK(t.status().code() == ErrorCode::kInvalidDefinition);
    CHECK(t.status().message().rfind("INVALID_JSONATA_EXPRESSION: Syntax error: ", 0) == 0);
  }
}

TEST_CASE("state-machine templates keep the 2.0.6 $string and $contains behaviour") {
  MapScope scope;
  scope.vars["states"] = Json::parse(R"({"input": {"id": 5890840712243076}})");
  auto t = Template::Compile(Json("{% $string($states.input.id) %}"));
  REQUIRE(t.ok());
  CHECK(t->Evaluate("Output", scope) == Json("5890840712243080"));  // 15 digits
  auto c = Template::Compile(Json("{% $contains('abc', $states.input.nothing) %}"));
  REQUIRE(c.ok());
  CHECK_THROWS(c->Evaluate("Output", scope));
}

TEST_CASE("the unexpected-type cause matches AWS's wording") {
  CHECK(UnexpectedTypeCause("$ItemsVar", "Items", "array", Json("string")) ==
        "The JSONata expression '$ItemsVar' specified for the field 'Items' returned an "
        "unexpected result type. Expected 'array', but was 'string' for value: \"string\"");
}
