// Parser: syntax errors carry the reference codes, positions and tokens.
#include <catch2/catch.hpp>

#include "tests/engine/jsonata/test_util.h"

using namespace stepline;
using namespace stepline::jsonata;
using namespace stepline::jsonata::testing;

namespace {
Error CompileError(const std::string& text) {
  auto r = Expression::Compile(text);
  REQUIRE(std::holds_alternative<Error>(r));
  return std::get<Error>(r);
}
}  // namespace

TEST_CASE("a trailing token after a complete expression is S0201") {
  Error e = CompileError("1 2");
  CHECK(e.code == "S0201");
  CHECK(e.token == "2");
}

TEST_CASE("a missing closing bracket is S0203 at the end of the expression") {
  Error e = CompileError("[1,2");
  CHECK(e.code == "S0203");
  CHECK(e.position == 4);
}

TEST_CASE("the wrong closing bracket is S0202 naming what was expected") {
  Error e = CompileError("[1:2]");
  CHECK(e.code == "S0202");
  CHECK(e.message == "Expected \"]\", got \":\"");
}

TEST_CASE("lexical errors have their own codes") {
  CHECK(CompileError("\"abc").code == "S0101");
  CHECK(CompileError("\"\\q\"").code == "S0103");
  CHECK(CompileError("\"\\u12\"").code == "S0104");
  CHECK(CompileError("`abc").code == "S0105");
  CHECK(CompileError("1 /* open").code == "S0106");
  CHECK(CompileError("1 ! 2").code == "S0204");
}

TEST_CASE("structural errors found after parsing") {
  CHECK(CompileError("1 := 2").code == "S0212");
  CHECK(CompileError("a@b").code == "S0214");
  CHECK(CompileError("%").code == "S0217");
  CHECK(CompileError("function(a){1}").code == "S0208");
  CHECK(CompileError("a.\"b\".2").code == "S0213");
  CHECK(CompileError(")").code == "S0211");
}

TEST_CASE("comments, backtick names and regex literals parse") {
  CHECK(Eval("/* c */ `a b` /* d */", Json{{"a b", 5}}) == Json(5));
  CHECK(Eval("$contains('abc', /B/i)") == Json(true));
}

TEST_CASE("deeply nested parentheses fail cleanly instead of overflowing") {
  std::string text(5000, '(');
  text += "1";
  text += std::string(5000, ')');
  CHECK(CompileError(text).code == "U1001");
}

TEST_CASE("free variables exclude built-ins and local bindings") {
  auto e = MustCompile("($x := 1; $map($states.input, function($v){$v + $x + $other}))");
  std::vector<std::string> vars = e->free_variables();
  std::sort(vars.begin(), vars.end());
  CHECK(vars == std::vector<std::string>{"other", "states"});
}

TEST_CASE("a bare field at the top level is reported") {
  CHECK(MustCompile("phone")->has_top_level_field_reference());
  CHECK(MustCompile("phone")->top_level_field() == "phone");
  CHECK_FALSE(MustCompile("$states.input.phone")->has_top_level_field_reference());
  CHECK_FALSE(MustCompile("$map($x, function($v){ $v.a })")->has_top_level_field_reference());
}
