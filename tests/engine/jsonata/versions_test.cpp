// Language versions: the JSONata 2.2 additions ("??", "?:", $contains and
// $string changes) are opt-in; 2.0.6, what AWS Step Functions implements and
// what state-machine templates compile, keeps rejecting or ignoring them.
#include <catch2/catch.hpp>

#include "engine/jsonata/jsonata.h"

using namespace stepline;
using namespace stepline::jsonata;

namespace {

constexpr CompileOptions k206{Version::k2_0_6};
constexpr CompileOptions k22{Version::k2_2};

std::variant<std::shared_ptr<const Expression>, Error> CompileAs(const std::string& text,
                                                                 const CompileOptions& options) {
  return Expression::Compile(text, options);
}

// Evaluates in `options`' version; a compile error is thrown as an exception.
std::optional<Json> EvalAs(const CompileOptions& options, const std::string& text,
                           const Json& input = Json::object()) {
  auto compiled = CompileAs(text, options);
  if (auto* e = std::get_if<Error>(&compiled)) throw JsonataException(*e);
  return std::get<std::shared_ptr<const Expression>>(compiled)->Evaluate(&input, nullptr, {});
}

// The compile or evaluation error code, "" when there is none.
std::string CodeAs(const CompileOptions& options, const std::string& text) {
  try {
    EvalAs(options, text);
  } catch (const JsonataException& e) {
    return e.error().code;
  }
  return "";
}

}  // namespace

TEST_CASE("expressions compile as JSONata 2.0.6 unless told otherwise") {
  auto compiled = Expression::Compile("1");
  REQUIRE(std::holds_alternative<std::shared_ptr<const Expression>>(compiled));
  CHECK(std::get<std::shared_ptr<const Expression>>(compiled)->version() == Version::k2_0_6);
  CHECK(CodeAs({}, "a ?? 1") == "S0201");
}

TEST_CASE("in 2.0.6 the coalescing and default operators are syntax errors") {
  for (const char* text : {"a ?? 1", "a ?: 1"}) {
    auto compiled = CompileAs(text, k206);
    REQUIRE(std::holds_alternative<Error>(compiled));
    CHECK(std::get<Error>(compiled).code == "S0201");
  }
  // Inside brackets the parser expects the closing one instead.
  CHECK(CodeAs(k206, "(a ?? 1)") == "S0202");
  CHECK(CodeAs(k206, "[a ?: 1]") == "S0202");
  CHECK(std::get<Error>(CompileAs("a ?? 1", k206)).token == std::string("??"));
  // Text compiled by $eval follows the version of the calling expression.
  CHECK(CodeAs(k206, "$eval('a ?? 1')") == "D3120");
}

TEST_CASE("?? gives the left side when it is defined, else the right side") {
  const Json input = Json::parse(R"({"a": null, "f": false, "z": 0, "o": {"p": ""}})");
  CHECK(EvalAs(k22, "a ?? 1", input) == Json(nullptr));
  CHECK(EvalAs(k22, "f ?? 1", input) == Json(false));
  CHECK(EvalAs(k22, "z ?? 1", input) == Json(0));
  CHECK(EvalAs(k22, "o.p ?? 1", input) == Json(""));
  CHECK(EvalAs(k22, "missing ?? 1", input) == Json(1));
  CHECK(EvalAs(k22, "missing ?? other ?? 'last'", input) == Json("last"));
  CHECK(EvalAs(k22, "missing ?? undefinedToo", input) == std::nullopt);
}

TEST_CASE("?: gives the left side when it is truthy, else the right side") {
  CHECK(EvalAs(k22, "'x' ?: 1") == Json("x"));
  CHECK(EvalAs(k22, "[0, 2] ?: 1") == Json::parse("[0, 2]"));
  for (const char* falsy :
       {"0", "''", "false", "null", "[]", "[0]", "{}", "missing", "function(){true}"}) {
    CAPTURE(falsy);
    CHECK(EvalAs(k22, std::string(falsy) + " ?: 42") == Json(42));
  }
}

TEST_CASE("the fallback operators bind like comparisons and take the rest as right side") {
  CHECK(EvalAs(k22, "1 + missing ?? 5") == Json(5));     // (1 + missing) ?? 5
  CHECK(EvalAs(k22, "missing ?? 1 = 1") == Json(true));  // missing ?? (1 = 1)
  CHECK(EvalAs(k22, "missing = 1 ?? 7") == Json(false));
  CHECK(EvalAs(k22, "(missing ?: 0) + 1") == Json(1));
  CHECK(EvalAs(k22, "missing ? 1 : missing ?? 2") == Json(2));
  CHECK(EvalAs(k22, "-5 ?: 99") == Json(-5));
  CHECK(EvalAs(k22, "[1,2,3][-1] ?: 42") == Json(3));
}

TEST_CASE("the right side of a fallback operator runs only when needed") {
  CHECK(EvalAs(k22, "1 ?? $error('not evaluated')") == Json(1));
  CHECK(EvalAs(k22, "1 ?: $error('not evaluated')") == Json(1));
  CHECK(CodeAs(k22, "missing ?? $error('evaluated')") == "D3137");
}

TEST_CASE("fallback operators work per item in paths, predicates and $eval") {
  const Json input = Json::parse(R"({"items": [{"v": 1}, {}, {"v": 0}]})");
  CHECK(EvalAs(k22, "items.(v ?? -1)", input) == Json::parse("[1, -1, 0]"));
  CHECK(EvalAs(k22, "items.(v ?: -1)", input) == Json::parse("[1, -1, -1]"));
  CHECK(EvalAs(k22, "items[(v ?: 0) > 0].v", input) == Json(1));
  CHECK(EvalAs(k22, "$eval('a ?? 1')") == Json(1));
}

TEST_CASE("$contains with an undefined pattern is undefined from 2.2 on") {
  CHECK(EvalAs(k22, "$contains('Hello World', nothing)") == std::nullopt);
  CHECK(EvalAs(k22, "$contains('Hello World', 'World')") == Json(true));
  CHECK(CodeAs(k206, "$contains('Hello World', nothing)") == "T1006");
}

TEST_CASE("$string and & print integers with all their digits from 2.2 on") {
  CHECK(EvalAs(k22, "$string(5890840712243076)") == Json("5890840712243076"));
  CHECK(EvalAs(k206, "$string(5890840712243076)") == Json("5890840712243080"));
  CHECK(EvalAs(k22, "'id-' & 5890840712243076") == Json("id-5890840712243076"));
  CHECK(EvalAs(k206, "'id-' & 5890840712243076") == Json("id-5890840712243080"));
  CHECK(EvalAs(k22, "$string({'n': [1234567890123456]})") == Json(R"({"n":[1234567890123456]})"));
  // Beyond integers, both versions round to 15 significant digits.
  for (const auto& options : {k206, k22}) {
    CHECK(EvalAs(options, "$string(0.1 + 0.2)") == Json("0.3"));
    CHECK(EvalAs(options, "$string(1e21)") == Json("1e+21"));
  }
}
