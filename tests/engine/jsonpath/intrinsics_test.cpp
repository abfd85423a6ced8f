#include <catch2/catch.hpp>
#include <set>

#include "engine/jsonpath/java_text.h"
#include "engine/jsonpath/payload.h"
#include "engine/states_error.h"

using stepline::ExprContext;
using stepline::Json;
using stepline::StatesException;
using stepline::jsonpath::JacksonJson;
using stepline::jsonpath::JavaDouble;
using stepline::jsonpath::ValueExpr;

namespace {

Json Call(std::string_view text, const Json& input = Json::object()) {
  auto expr = ValueExpr::Parse(text);
  INFO(text << ": " << expr.status().message());
  REQUIRE(expr.ok());
  CHECK(expr->is_intrinsic());
  Json context = {{"StateMachine", {{"Name", "my-state-machine"}}}};
  ExprContext ctx{&input, &context, nullptr};
  return expr->Evaluate(ctx, "r.$");
}

// The error name and cause of a failing call.
std::pair<std::string, std::string> Failure(std::string_view text,
                                            const Json& input = Json::object()) {
  try {
    Call(text, input);
  } catch (const StatesException& e) {
    return {e.error().error, e.error().cause.value_or("")};
  }
  return {"(none)", ""};
}

bool IsIntrinsicFailure(std::string_view text, const Json& input = Json::object()) {
  return Failure(text, input).first == "States.IntrinsicFailure";
}

bool Rejected(std::string_view text) { return !ValueExpr::Parse(text).ok(); }

}  // namespace

TEST_CASE("States.Format fills {} placeholders with Java renderings") {
  CHECK(Call("States.Format('Hello {}!', $.n)", Json{{"n", "World"}}) == "Hello World!");
  CHECK(Call("States.Format('{} {} {} {}', $.a, $.b, $.c, $.d)",
             Json{{"a", nullptr}, {"b", 1}, {"c", 1.1}, {"d", true}}) == "null 1 1.1 true");
  CHECK(Call("States.Format('x={}', $.o)", Json::parse(R"({"o":{"Arg1":1,"Arg2":[]}})")) ==
        "x={Arg1=1, Arg2=[]}");
  CHECK(Call("States.Format('x={}', $.o)", Json::parse(R"({"o":["a",{"b":"c"},[1,2]]})")) ==
        "x=[a, {b=c}, [1, 2]]");
  CHECK(Call("States.Format('{}', 1e10)") == "1.0E10");
  CHECK(Call("States.Format('no placeholders')") == "no placeholders");
}

TEST_CASE("States.Format escapes: \\{ \\} \\' \\\\ are literal, other backslashes stay") {
  CHECK(Call(R"(States.Format('\{\} {} it\'s \\ \n', 'v'))") == R"({} v it's \ \n)");
  CHECK(Call(R"(States.Format('a\{{}\}', 'b'))") == "a{b}");
}

TEST_CASE("States.Format with a mismatched placeholder count fails") {
  CHECK(IsIntrinsicFailure("States.Format('{} {}', 'a')"));
  CHECK(IsIntrinsicFailure("States.Format('{}', 'a', 'b')"));
  CHECK(IsIntrinsicFailure("States.Format($.n)", Json{{"n", 5}}));
}

TEST_CASE("States.StringToJson parses; blank strings are null") {
  CHECK(Call("States.StringToJson($.s)", Json{{"s", R"({"a": [1, 2.5, "x"]})"}}) ==
        Json::parse(R"({"a":[1,2.5,"x"]})"));
  CHECK(Call("States.StringToJson('')").is_null());
  CHECK(Call("States.StringToJson(' ')").is_null());
  CHECK(Call("States.StringToJson('-0')") == 0);
  CHECK(IsIntrinsicFailure("States.StringToJson('{bad')"));
  CHECK(IsIntrinsicFailure("States.StringToJson($.n)", Json{{"n", 1}}));
}

TEST_CASE("States.JsonToString prints compact JSON as Jackson does") {
  CHECK(Call("States.JsonToString($.v)", Json::parse(R"({"v":{"Arg1":1,"Arg2":[]}})")) ==
        R"({"Arg1":1,"Arg2":[]})");
  CHECK(Call("States.JsonToString($.v)", Json{{"v", nullptr}}) == "null");
  CHECK(Call("States.JsonToString($.v)", Json{{"v", "HelloWorld"}}) == "\"HelloWorld\"");
  CHECK(Call("States.JsonToString($.v)", Json::parse(R"({"v":[1.0,1e10,0.5,"é\u0001"]})")) ==
        "[1.0,1.0E10,0.5,\"é\\u0001\"]");
  CHECK(Call("States.JsonToString($.v)", Json::parse(R"({"v":12345678901234567890})")) ==
        "12345678901234567890");
}

TEST_CASE("Java's Double.toString rendering") {
  CHECK(JavaDouble(1.1) == "1.1");
  CHECK(JavaDouble(100.0) == "100.0");
  CHECK(JavaDouble(-2.5) == "-2.5");
  CHECK(JavaDouble(0.001) == "0.001");
  CHECK(JavaDouble(0.0001) == "1.0E-4");
  CHECK(JavaDouble(1234567.0) == "1234567.0");
  CHECK(JavaDouble(1e7) == "1.0E7");
  CHECK(JavaDouble(1.5e300) == "1.5E300");
  CHECK(JavaDouble(123.456e-10) == "1.23456E-8");
  CHECK(JavaDouble(0.0) == "0.0");
  CHECK(JacksonJson(Json::parse(R"({"a":"\"\\/\n"})")) == R"({"a":"\"\\/\n"})");
}

TEST_CASE("States.Array builds an array of its arguments") {
  CHECK(Call("States.Array()") == Json::array());
  CHECK(Call("States.Array('a', 1, 2.5, true, false, null, $.x)", Json{{"x", {{"k", 1}}}}) ==
        Json::parse(R"(["a",1,2.5,true,false,null,{"k":1}])"));
}

TEST_CASE("States.ArrayPartition chunks an array") {
  CHECK(Call("States.ArrayPartition($.a, 2)", Json{{"a", {0, 1, 2}}}) ==
        Json::parse("[[0,1],[2]]"));
  CHECK(Call("States.ArrayPartition($.a, 5)", Json{{"a", Json::array()}}) == Json::array());
  CHECK(IsIntrinsicFailure("States.ArrayPartition($.a, 0)", Json{{"a", {1}}}));
  CHECK(IsIntrinsicFailure("States.ArrayPartition($.a, 1.5)", Json{{"a", {1}}}));
  CHECK(IsIntrinsicFailure("States.ArrayPartition('x', 1)"));
}

TEST_CASE("States.ArrayContains compares deeply") {
  Json input = Json::parse(R"({"a":[[1,2,3],2,{"k":[1]},1.5]})");
  CHECK(Call("States.ArrayContains($.a, $.b)", Json::parse(R"({"a":[[1,2,3],2],"b":[1,2,3]})")) ==
        true);
  CHECK(Call("States.ArrayContains($.a, 2)", input) == true);
  // Jackson's node equality is type-strict: 2.0 is not 2.
  CHECK(Call("States.ArrayContains($.a, 2.0)", input) == false);
  CHECK(Call("States.ArrayContains($.a, 1.5)", input) == true);
  CHECK(Call("States.ArrayContains($.a, 3)", input) == false);
  CHECK(Call("States.ArrayContains($.a, $.k)", Json::parse(R"({"a":[{"k":[1]}],"k":{"k":[1]}})")) ==
        true);
  CHECK(IsIntrinsicFailure("States.ArrayContains('x', 1)"));
}

TEST_CASE("States.ArrayRange is inclusive and capped at 1000 elements") {
  CHECK(Call("States.ArrayRange(0, 9, 3)") == Json::parse("[0,3,6,9]"));
  CHECK(Call("States.ArrayRange(0, 10, 3)") == Json::parse("[0,3,6,9]"));
  CHECK(Call("States.ArrayRange(5, 1, -2)") == Json::parse("[5,3,1]"));
  CHECK(Call("States.ArrayRange(1, 0, 1)") == Json::array());
  CHECK(Call("States.ArrayRange(1, 1000, 1)").size() == 1000);
  CHECK(IsIntrinsicFailure("States.ArrayRange(0, 1000, 1)"));
  CHECK(IsIntrinsicFailure("States.ArrayRange(0, 10, 0)"));
  CHECK(IsIntrinsicFailure("States.ArrayRange(0, 'x', 1)"));
}

TEST_CASE("States.ArrayGetItem returns one element or fails out of bounds") {
  Json input = {{"a", {1, 2, 3}}};
  CHECK(Call("States.ArrayGetItem($.a, 2)", input) == 3);
  CHECK(IsIntrinsicFailure("States.ArrayGetItem($.a, 3)", input));
  CHECK(IsIntrinsicFailure("States.ArrayGetItem($.a, -1)", input));
}

TEST_CASE("States.ArrayLength and States.ArrayUnique") {
  CHECK(Call("States.ArrayLength($.a)", Json{{"a", {1, 2, 3}}}) == 3);
  CHECK(Call("States.ArrayLength($.a)", Json{{"a", Json::array()}}) == 0);
  CHECK(IsIntrinsicFailure("States.ArrayLength($.a)", Json{{"a", "abc"}}));
  CHECK(Call("States.ArrayUnique($.a)", Json::parse(R"({"a":[1,2,2,"1",{"x":1},{"x":1},1.0]})")) ==
        Json::parse(R"([1,2,"1",{"x":1},1.0])"));
}

TEST_CASE("States.Base64Encode and States.Base64Decode round-trip UTF-8") {
  CHECK(Call("States.Base64Encode('Data to encode')") == "RGF0YSB0byBlbmNvZGU=");
  CHECK(Call("States.Base64Decode('RGF0YSB0byBlbmNvZGU=')") == "Data to encode");
  CHECK(Call("States.Base64Encode('')") == "");
  CHECK(Call("States.Base64Decode('')") == "");
  CHECK(Call("States.Base64Decode(States.Base64Encode('héllo ✓'))") == "héllo ✓");
  CHECK(Call("States.Base64Decode('YQ==')") == "a");
  CHECK(Call("States.Base64Decode('/w==')") == "\xEF\xBF\xBD");  // 0xFF is not UTF-8
  // An encoded surrogate (ED A0 80) is not UTF-8 either: every byte is replaced.
  CHECK(Call("States.Base64Decode('7aCA')") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  CHECK(IsIntrinsicFailure("States.Base64Decode('not base64!')"));
  CHECK(IsIntrinsicFailure("States.Base64Encode($.s)", Json{{"s", std::string(10001, 'a')}}));
}

TEST_CASE("States.Hash supports MD5 and the SHA family") {
  Json input = {{"d", "input data"}};
  CHECK(Call("States.Hash($.d, 'MD5')", input) == "812f45842bc6d66ee14572ce20db8e86");
  CHECK(Call("States.Hash($.d, 'SHA-1')", input) == "aaff4a450a104cd177d28d18d74485e8cae074b7");
  CHECK(Call("States.Hash($.d, 'SHA-256')", input) ==
        "b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3");
  CHECK(Call("States.Hash($.d, 'SHA-384')", input) ==
        "d28a7d5cf25a74f11a50a18452b75e04bb3d70c9dd0510d6123aa008c756511b87525bdc835ebb27e1fb9e93"
        "74a15562");
  CHECK(Call("States.Hash($.d, 'SHA-512')", input) ==
        "6ce4adb348546d4f449c4d25aad9a7c9cb711d9e91982d3f0b29ca2f3f47d4ce2deba23bf2954f0f1d593fc50"
        "283731a533d30d425402d4f91316d871303aac4");
  auto [error, cause] = Failure("States.Hash($.d, 'SHA-3')", input);
  CHECK(error == "States.IntrinsicFailure");
  CHECK(cause.find("SHA-3") != std::string::npos);
}

TEST_CASE("States.JsonMerge is shallow and requires false") {
  Json input = Json::parse(
      R"({"a":{"a":{"a1":1,"a2":2},"b":2,"d":3},"b":{"a":{"a3":1,"a4":2},"c":3,"d":4}})");
  CHECK(Call("States.JsonMerge($.a, $.b, false)", input) ==
        Json::parse(R"({"a":{"a3":1,"a4":2},"b":2,"d":4,"c":3})"));
  CHECK(IsIntrinsicFailure("States.JsonMerge($.a, $.b, true)", input));
  CHECK(IsIntrinsicFailure("States.JsonMerge($.a, 'x', false)", input));
}

TEST_CASE("States.MathRandom stays in [start, end) and is reproducible with a seed") {
  for (int i = 0; i < 50; ++i) {
    int64_t v = Call("States.MathRandom(1, 5)").get<int64_t>();
    CHECK(v >= 1);
    CHECK(v < 5);
  }
  CHECK(Call("States.MathRandom(0, 999, 3)") == Call("States.MathRandom(0, 999, 3)"));
  CHECK(Call("States.MathRandom(12.5, 44.51)").is_number_integer());
  CHECK(IsIntrinsicFailure("States.MathRandom(5, 5)"));
  CHECK(IsIntrinsicFailure("States.MathRandom('a', 5)"));
}

TEST_CASE("States.MathAdd rounds each operand like Java's Math.round") {
  CHECK(Call("States.MathAdd(-9, 3)") == -6);
  CHECK(Call("States.MathAdd(1.49, 1.5)") == 3);
  CHECK(Call("States.MathAdd(-1.49, -1.5)") == -2);
  CHECK(Call("States.MathAdd(-0.5, 0.5)") == 1);
  CHECK(Call("States.MathAdd(-2.5, 0)") == -2);
  CHECK(Call("States.MathAdd(2147483647, 1)") == 2147483648LL);
  CHECK(IsIntrinsicFailure("States.MathAdd(2147483648, 1)"));
  CHECK(IsIntrinsicFailure("States.MathAdd('1', 1)"));
}

TEST_CASE("States.StringSplit splits on any delimiter character and drops empties") {
  CHECK(Call("States.StringSplit('1,2,3', ',')") == Json::parse(R"(["1","2","3"])"));
  CHECK(Call("States.StringSplit(', , ,', ',')") == Json::parse(R"([" "," "])"));
  CHECK(Call("States.StringSplit(',,,,', ',')") == Json::array());
  CHECK(Call("States.StringSplit('This.is+a,test=string', '.+,=')") ==
        Json::parse(R"(["This","is","a","test","string"])"));
  CHECK(Call("States.StringSplit('a✓b✓c', '✓')") == Json::parse(R"(["a","b","c"])"));
  CHECK(IsIntrinsicFailure("States.StringSplit(1, ',')"));
}

TEST_CASE("States.UUID returns distinct version-4 UUIDs") {
  std::set<std::string> seen;
  for (int i = 0; i < 20; ++i) {
    std::string id = Call("States.UUID()");
    REQUIRE(id.size() == 36);
    CHECK(id[14] == '4');
    CHECK(std::string("89ab").find(id[19]) != std::string::npos);
    seen.insert(id);
  }
  CHECK(seen.size() == 20);
}

TEST_CASE("nested calls evaluate inside out") {
  CHECK(Call("States.ArrayGetItem(States.StringSplit($$.StateMachine.Name, '-'), "
             "States.MathAdd(States.ArrayLength(States.StringSplit($$.StateMachine.Name, '-')), "
             "-1))") == "machine");
}

TEST_CASE("nesting deeper than 10 calls is a definition error") {
  std::string ten, eleven;
  for (int i = 0; i < 10; ++i) ten += "States.Array(";
  ten += "1" + std::string(10, ')');
  eleven = "States.Array(" + ten + ")";
  CHECK_FALSE(Rejected(ten));
  CHECK(Rejected(eleven));
  std::string hostile;
  for (int i = 0; i < 100000; ++i) hostile += "States.Array(";
  CHECK(Rejected(hostile));
}

TEST_CASE("intrinsic syntax errors are definition errors") {
  for (const char* text :
       {"States.Nope(1)", "States.Format(", "States.Format('a'", "States.Format('a',)",
        "States.Format('a' 'b')", "States.Array(1) x", "States.UUID(1)", "States.ArrayRange(1, 2)",
        "States.MathRandom(1)", "States.JsonMerge($.a, $.b)", "States.Array(undefined)",
        "States.Array('unterminated)", "States.Array($.a b)", "States.Array(1.2.3)"}) {
    INFO(text);
    auto expr = ValueExpr::Parse(text);
    CHECK_FALSE(expr.ok());
    if (!expr.ok()) CHECK(expr.status().code() == stepline::ErrorCode::kInvalidDefinition);
  }
}

TEST_CASE("arguments may be paths with brackets, filters and context or variable roots") {
  Json input = Json::parse(R"({"l":[{"v":1},{"v":5}],"m":{"a b":"x"}})");
  CHECK(Call("States.ArrayLength($.l[?(@.v > 2)])", input) == 1);
  CHECK(Call("States.Format('{}', $.m['a b'])", input) == "x");
  CHECK(Call("States.Array( $.l[0].v , $.l[-1].v )", input) == Json::parse("[1,5]"));
}

TEST_CASE("a path argument selecting nothing fails like a payload path") {
  auto [error, cause] = Failure("States.Format('{}', $.missing)", Json{{"a", 1}});
  CHECK(error == "States.Runtime");
  CHECK(cause ==
        "The JSONPath '$.missing' specified for the field 'r.$' could not be found in "
        "the input '{\"a\":1}'");
}
