#include "engine/jsonpath/payload.h"

#include <catch2/catch.hpp>

#include "engine/states_error.h"

using stepline::ExprContext;
using stepline::Json;
using stepline::StatesException;
using stepline::VariableScope;
using stepline::jsonpath::PayloadTemplate;
using stepline::jsonpath::ValueExpr;

namespace {

class MapScope : public VariableScope {
 public:
  explicit MapScope(Json vars) : vars_(std::move(vars)) {}
  const Json* Find(std::string_view name) const override {
    auto it = vars_.find(std::string(name));
    return it == vars_.end() ? nullptr : &*it;
  }

 private:
  Json vars_;
};

PayloadTemplate MustCompile(const Json& value) {
  auto t = PayloadTemplate::Compile(value);
  INFO(t.status().message());
  REQUIRE(t.ok());
  return *t;
}

Json Run(const Json& tmpl, const Json& input, const VariableScope* vars = nullptr) {
  Json context = {{"Execution", {{"Name", "exec"}}}, {"Map", {{"Item", {{"Index", 2}}}}}};
  ExprContext ctx{&input, &context, vars};
  return MustCompile(tmpl).Evaluate(ctx);
}

}  // namespace

TEST_CASE("keys ending in .$ are evaluated and lose the suffix; others are copied") {
  Json tmpl = Json::parse(R"j({
    "static": {"x": [1, "two", null], "y.no": "$.a"},
    "a.$": "$.a",
    "ctx.$": "$$.Execution.Name",
    "idx.$": "$$.Map.Item.Index",
    "fn.$": "States.Format('{}-{}', $.a, $$.Execution.Name)",
    "list.$": "$.l[*].v"
  })j");
  Json input = Json::parse(R"j({"a": "A", "l": [{"v": 1}, {"v": 2}]})j");
  CHECK(Run(tmpl, input) == Json::parse(R"j({
    "static": {"x": [1, "two", null], "y.no": "$.a"},
    "a": "A", "ctx": "exec", "idx": 2, "fn": "A-exec", "list": [1, 2]
  })j"));
}

TEST_CASE("templates reach into arrays of objects and keep member order") {
  Json tmpl = Json::parse(R"j({"z": 1, "items": [{"v.$": "$.a"}, 5, [{"w.$": "$.b"}]], "a": 0})j");
  Json out = Run(tmpl, Json{{"a", 1}, {"b", 2}});
  CHECK(out.dump() == R"j({"z":1,"items":[{"v":1},5,[{"w":2}]],"a":0})j");
}

TEST_CASE("a template without dynamic keys is returned as it is") {
  Json tmpl = Json::parse(R"j({"a": {"b": [1, 2.5, "c.$"]}, "n": null})j");
  CHECK(Run(tmpl, Json::object()) == tmpl);
  CHECK(Run(Json("text"), Json::object()) == "text");
  CHECK(Run(Json::array(), Json::object()) == Json::array());
}

TEST_CASE("a path selecting nothing is a States.Runtime failure with AWS's cause") {
  Json tmpl = {{"value.$", "$.no_such_jsonpath"}};
  Json input = {{"int-literal", 0}};
  ExprContext ctx{&input, nullptr, nullptr};
  try {
    MustCompile(tmpl).Evaluate(ctx);
    FAIL("no error");
  } catch (const StatesException& e) {
    CHECK(e.error().error == "States.Runtime");
    CHECK(e.error().cause ==
          std::string("The JSONPath '$.no_such_jsonpath' specified for the field 'value.$' could "
                      "not be found in the input '{\"int-literal\":0}'"));
  }
}

TEST_CASE("an indefinite path selecting nothing yields []") {
  CHECK(Run(Json{{"item.$", "$.items[*]"}}, Json::object()) == Json{{"item", Json::array()}});
}

TEST_CASE("intrinsic failures propagate as States.IntrinsicFailure") {
  Json tmpl = {{"v.$", "States.ArrayGetItem($.a, 9)"}};
  Json input = {{"a", {1}}};
  ExprContext ctx{&input, nullptr, nullptr};
  try {
    MustCompile(tmpl).Evaluate(ctx);
    FAIL("no error");
  } catch (const StatesException& e) {
    CHECK(e.error().error == "States.IntrinsicFailure");
  }
}

TEST_CASE("invalid dynamic values are definition errors with AWS's text") {
  for (const Json& bad :
       {Json{{"a.$", 5}}, Json{{"a.$", "not a path"}}, Json{{"x", {{"a.$", "States.Nope()"}}}},
        Json{{"a.$", "$.b["}}, Json{{"a.$", nullptr}}, Json{{"a.$", Json::object()}}}) {
    INFO(bad.dump());
    auto t = PayloadTemplate::Compile(bad);
    REQUIRE_FALSE(t.ok());
    CHECK(t.status().code() == stepline::ErrorCode::kInvalidDefinition);
    CHECK(t.status().message() ==
          "The value for the field 'a.$' must be a valid JSONPath or a valid intrinsic function "
          "call");
  }
}

TEST_CASE("workflow variables can be read and are listed once") {
  MapScope vars(Json{{"name", "John"}, {"order", {{"id", 7}}}});
  Json tmpl = Json::parse(R"j({
    "n.$": "$name", "id.$": "$order.id",
    "f.$": "States.Format('{} {}', $name, States.JsonToString($order))",
    "deep": [{"again.$": "$order"}]
  })j");
  CHECK(Run(tmpl, Json::object(), &vars) == Json::parse(R"j({
    "n": "John", "id": 7, "f": "John {\"id\":7}", "deep": [{"again": {"id": 7}}]})j"));
  CHECK(MustCompile(tmpl).ReferencedVariables() == std::vector<std::string>{"name", "order"});
  CHECK(MustCompile(Json{{"a.$", "$.x"}}).ReferencedVariables().empty());
  Json filters = {{"a.$", "$.l[?(@.v > $min.value)]"},
                  {"b.$", "States.ArrayLength($.l[?(@.v == $max)])"}};
  CHECK(MustCompile(filters).ReferencedVariables() == std::vector<std::string>{"min", "max"});
}

TEST_CASE("ValueExpr tells paths from intrinsics") {
  auto path = ValueExpr::Parse("$.a");
  REQUIRE(path.ok());
  CHECK_FALSE(path->is_intrinsic());
  CHECK(path->text() == "$.a");
  auto call = ValueExpr::Parse("States.UUID()");
  REQUIRE(call.ok());
  CHECK(call->is_intrinsic());
  CHECK_FALSE(ValueExpr::Parse("States").ok());
  CHECK_FALSE(ValueExpr::Parse("hello").ok());
}

TEST_CASE("an escaped string literal inside a static value is not evaluated") {
  Json tmpl = Json::parse(R"j({"not.$x": "States.StringToJson('{}')"})j");
  CHECK(Run(tmpl, Json::object()) == tmpl);
}

TEST_CASE("a default-constructed ValueExpr is $") {
  ValueExpr e;
  Json input = {{"a", 1}};
  ExprContext ctx{&input, nullptr, nullptr};
  CHECK(e.text() == "$");
  CHECK_FALSE(e.is_intrinsic());
  CHECK(e.Evaluate(ctx, "x.$") == input);
}

TEST_CASE("a default-constructed template evaluates to {}") {
  PayloadTemplate t;
  ExprContext ctx;
  CHECK(t.Evaluate(ctx) == Json::object());
  CHECK(t.ReferencedVariables().empty());
}
