// Value::View: the evaluator reads its input in place instead of converting
// it, so these check that views behave exactly like converted values.
#include <catch2/catch.hpp>

#include "engine/jsonata/value.h"
#include "tests/engine/jsonata/test_util.h"

using namespace stepline;
using namespace stepline::jsonata;
using namespace stepline::jsonata::testing;

namespace {
const Json kDoc = Json::parse(R"({"a": {"b": [1, 2.5, "x"], "c": null}, "n": 1.0,
                                  "big": 18014398509481985, "s": "text"})");
}

TEST_CASE("a view reads members in place and turns into a node only when walked") {
  Value v = Value::View(kDoc);
  REQUIRE(v.is_object());
  CHECK(v.view() == &kDoc);
  Value a = v.Member("a");
  CHECK(v.view() == &kDoc);  // Member did not convert the object
  CHECK(a.view() == &kDoc["a"]);
  CHECK(v.Member("s").str() == "text");
  CHECK(v.Member("missing").undefined());
  CHECK(a.Member("c").is_null());
  CHECK(a.obj().size() == 2);  // walking gives it a node
  CHECK(a.view() == nullptr);
  CHECK(a.Member("b").arr().items[2].str() == "x");
}

TEST_CASE("scalars are converted at once; numbers become doubles as FromJson does") {
  CHECK(Value::View(Json(3)).is_number());
  CHECK(Value::View(Json(3)).number() == 3.0);
  CHECK(Value::View(Json(true)).boolean());
  CHECK(Value::View(Json(nullptr)).is_null());
}

TEST_CASE("a view converts back to the same JSON a converted value gives") {
  Value view = Value::View(kDoc);
  Value converted = FromJson(kDoc);
  CHECK(ToJson(view) == ToJson(converted));
  CHECK(ToJson(view)["n"].is_number_integer());            // 1.0 is the integer 1
  CHECK(ToJson(view)["big"] == ToJson(converted)["big"]);  // beyond 2^53: a double
  CHECK(DeepEqual(view, converted));
}

TEST_CASE("expressions over a viewed input leave the input unchanged") {
  Json input = Json::parse(R"({"orders": [{"id": 1, "qty": 2}, {"id": 2, "qty": 5}]})");
  Json before = input;
  CHECK(Eval("($ ~> |orders|{'qty': qty * 10}|).orders.qty", input) == Json::parse("[20, 50]"));
  CHECK(Eval("$sort(orders, function($l, $r) { $l.qty < $r.qty }).id", input) ==
        Json::parse("[2, 1]"));
  CHECK(input == before);
}

TEST_CASE("identity tests see an input object as itself") {
  Json input = Json::parse(R"({"o": {"k": 1}, "list": [{"k": 1}]})");
  CHECK(Eval("o in [o]", input) == Json(true));
  CHECK(Eval("o in list", input) == Json(false));  // equal, but another object
}

TEST_CASE("bindings are read through views too") {
  MapScope scope;
  scope.vars["states"] = Json::parse(R"({"input": {"items": [{"v": 1}, {"v": 2}]}})");
  CHECK(Eval("$sum($states.input.items.v)", nullptr, {}, &scope) == Json(3));
}
