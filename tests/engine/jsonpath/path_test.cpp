#include "engine/jsonpath/path.h"

#include <catch2/catch.hpp>

#include "engine/states_error.h"

using stepline::ExprContext;
using stepline::Json;
using stepline::StatesException;
using stepline::VariableScope;
using stepline::jsonpath::AssignAt;
using stepline::jsonpath::Path;

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

Path MustParse(std::string_view text) {
  auto p = Path::Parse(text);
  INFO(text << ": " << p.status().message());
  REQUIRE(p.ok());
  return *p;
}

std::optional<Json> Eval(std::string_view text, const Json& input) {
  ExprContext ctx{&input, nullptr, nullptr};
  return MustParse(text).Evaluate(ctx);
}

std::string MissCause(std::string_view text, const Json& input) {
  ExprContext ctx{&input, nullptr, nullptr};
  try {
    MustParse(text).EvaluateOrThrow(ctx);
  } catch (const StatesException& e) {
    CHECK(e.error().error == "States.Runtime");
    return e.error().cause.value_or("");
  }
  return "(no error)";
}

const Json kStore = Json::parse(R"({
  "store": {
    "book": [
      {"category": "reference", "author": "Nigel Rees", "price": 8.95, "isbn": "0-553"},
      {"category": "fiction", "author": "Evelyn Waugh", "price": 12.99},
      {"category": "fiction", "author": "Herman Melville", "price": 8.99, "isbn": "0-395"},
      {"category": "fiction", "author": "J. R. R. Tolkien", "price": 22.99, "isbn": "0-395-19"}
    ],
    "bicycle": {"color": "red", "price": 19.95}
  },
  "expensive": 10
})");

}  // namespace

TEST_CASE("a bare $ selects the whole input") {
  CHECK(*Eval("$", kStore) == kStore);
  Path p = MustParse("$");
  CHECK(p.is_definite());
  CHECK(p.root() == Path::Root::kInput);
}

TEST_CASE("dot and bracket member access select the same node") {
  CHECK(*Eval("$.store.bicycle.color", kStore) == "red");
  CHECK(*Eval("$['store']['bicycle']['color']", kStore) == "red");
  CHECK(*Eval("$[\"store\"].bicycle[\"color\"]", kStore) == "red");
}

TEST_CASE("quoted names may hold spaces, dots, brackets and unicode") {
  Json input = {{"a b", 1}, {"x.y", 2}, {"[z]", 3}, {"héllo ✓", 4}, {"it's", 5}};
  CHECK(*Eval("$['a b']", input) == 1);
  CHECK(*Eval("$['x.y']", input) == 2);
  CHECK(*Eval("$['[z]']", input) == 3);
  CHECK(*Eval("$['héllo ✓']", input) == 4);
}

TEST_CASE("a backslash in a quoted name is literal unless it escapes the quote") {
  Json input = Json::parse(R"({"Test\\\"\"Name\"": "Value\"\\", "it's": 5})");
  CHECK(*Eval(R"($['Test\""Name"'])", input) == "Value\"\\");
  CHECK(*Eval(R"($['it\'s'])", input) == 5);
}

TEST_CASE("surrounding whitespace is ignored, as Jayway trims paths") {
  CHECK(*Eval("  $.a ", Json{{"a", 1}}) == 1);
  CHECK(MustParse(" $.a ").text() == " $.a ");
}

TEST_CASE("a context path miss is explained on the context object") {
  Json input = Json::object();
  Json context = {{"Execution", Json::object()}};
  ExprContext ctx{&input, &context, nullptr};
  try {
    MustParse("$$.Execution.Nope").EvaluateOrThrow(ctx);
    FAIL("no error");
  } catch (const StatesException& e) {
    CHECK(e.error().cause == std::string("Invalid path '$$.Execution.Nope' : No results for path: "
                                         "$['Execution']['Nope']"));
  }
}

TEST_CASE("dot notation refuses blanks") {
  CHECK_FALSE(Path::Parse("$.a b").ok());
  CHECK(Path::Parse("$.a b").status().code() == stepline::ErrorCode::kInvalidDefinition);
}

TEST_CASE("array indexes count from the end when negative") {
  CHECK(*Eval("$.store.book[0].author", kStore) == "Nigel Rees");
  CHECK(*Eval("$.store.book[-1].author", kStore) == "J. R. R. Tolkien");
  CHECK(*Eval("$.store.book[-4].author", kStore) == "Nigel Rees");
  CHECK(Eval("$.store.book[4]", kStore) == std::nullopt);
  CHECK(Eval("$.store.book[-5]", kStore) == std::nullopt);
}

TEST_CASE("wildcards select every member or element as an array") {
  CHECK(*Eval("$.store.book[*].price", kStore) == Json::parse("[8.95,12.99,8.99,22.99]"));
  CHECK(*Eval("$.store.bicycle.*", kStore) == Json::parse(R"(["red",19.95])"));
  CHECK(*Eval("$.store.bicycle[*]", kStore) == Json::parse(R"(["red",19.95])"));
  CHECK_FALSE(MustParse("$.a[*]").is_definite());
}

TEST_CASE("slices follow start:end:step with negative bounds") {
  Json input = {{"a", {0, 1, 2, 3, 4, 5}}};
  CHECK(*Eval("$.a[1:3]", input) == Json::parse("[1,2]"));
  CHECK(*Eval("$.a[:2]", input) == Json::parse("[0,1]"));
  CHECK(*Eval("$.a[4:]", input) == Json::parse("[4,5]"));
  CHECK(*Eval("$.a[-2:]", input) == Json::parse("[4,5]"));
  CHECK(*Eval("$.a[::2]", input) == Json::parse("[0,2,4]"));
  CHECK(*Eval("$.a[::-1]", input) == Json::parse("[5,4,3,2,1,0]"));
  CHECK(*Eval("$.a[10:20]", input) == Json::array());
  CHECK_FALSE(Path::Parse("$.a[::0]").ok());
}

TEST_CASE("unions of indexes and names") {
  CHECK(*Eval("$.store.book[0,2].author", kStore) ==
        Json::parse(R"(["Nigel Rees","Herman Melville"])"));
  // Jayway merges a union of names ending the path into one object per parent.
  CHECK(*Eval("$.store.bicycle['color','price']", kStore) ==
        Json::parse(R"([{"color":"red","price":19.95}])"));
  CHECK(*Eval("$.store.book[*]['author','isbn']", kStore) ==
        Json::parse(R"([{"author":"Nigel Rees","isbn":"0-553"},{"author":"Evelyn Waugh"},
                        {"author":"Herman Melville","isbn":"0-395"},
                        {"author":"J. R. R. Tolkien","isbn":"0-395-19"}])"));
  Json nested = Json::parse(R"({"a":{"x":{"v":1},"y":{"v":2},"z":{"v":3}}})");
  CHECK(*Eval("$.a['x','z'].v", nested) == Json::parse("[1,3]"));
  CHECK_FALSE(MustParse("$.a[0,1]").is_definite());
}

TEST_CASE("recursive descent collects matches at any depth in document order") {
  CHECK(*Eval("$..author", kStore) ==
        Json::parse(R"(["Nigel Rees","Evelyn Waugh","Herman Melville","J. R. R. Tolkien"])"));
  CHECK(*Eval("$.store..price", kStore) == Json::parse("[8.95,12.99,8.99,22.99,19.95]"));
  CHECK(*Eval("$..book[2].author", kStore) == Json::parse(R"(["Herman Melville"])"));
  CHECK(Eval("$..*", kStore)->size() == 25);
  CHECK(*Eval("$..nothing", kStore) == Json::array());
}

TEST_CASE("filters compare numbers, strings, booleans and null") {
  CHECK(*Eval("$.store.book[?(@.price < 10)].author", kStore) ==
        Json::parse(R"(["Nigel Rees","Herman Melville"])"));
  CHECK(*Eval("$.store.book[?(@.price >= 12.99)].price", kStore) == Json::parse("[12.99,22.99]"));
  CHECK(*Eval("$.store.book[?(@.category == 'reference')].price", kStore) == Json::parse("[8.95]"));
  CHECK(*Eval("$.store.book[?(@.category != \"fiction\")].price", kStore) == Json::parse("[8.95]"));
  CHECK(*Eval("$.store.book[?(@.price > $.expensive)].price", kStore) ==
        Json::parse("[12.99,22.99]"));
  Json items = Json::parse(R"({"x":[{"a":true},{"a":false},{"a":null},{"a":1},{"b":2}]})");
  CHECK(*Eval("$.x[?(@.a == true)]", items) == Json::parse(R"([{"a":true}])"));
  CHECK(*Eval("$.x[?(@.a == null)]", items) == Json::parse(R"([{"a":null}])"));
  CHECK(*Eval("$.x[?(@.a == 1.0)]", items) == Json::parse(R"([{"a":1}])"));
  CHECK(*Eval("$.x[?(@.a <= 'z')]", items) == Json::array());
}

TEST_CASE("filters combine with &&, || and ! and test existence") {
  CHECK(*Eval("$.store.book[?(@.isbn)].price", kStore) == Json::parse("[8.95,8.99,22.99]"));
  CHECK(*Eval("$.store.book[?(!@.isbn)].price", kStore) == Json::parse("[12.99]"));
  CHECK(*Eval("$.store.book[?(@.price < 10 && @.category == 'fiction')].price", kStore) ==
        Json::parse("[8.99]"));
  CHECK(*Eval("$.store.book[?(@.price > 20 || @.category == 'reference')].price", kStore) ==
        Json::parse("[8.95,22.99]"));
  CHECK(*Eval("$.store.book[?(!(@.price > 20 || @.isbn))].price", kStore) ==
        Json::parse("[12.99]"));
}

TEST_CASE("filters support Jayway's in, nin, size and empty") {
  CHECK(*Eval("$.store.book[?(@.category in ['reference', 'poetry'])].price", kStore) ==
        Json::parse("[8.95]"));
  CHECK(*Eval("$.store.book[?(@.price nin [8.95, 8.99])].price", kStore) ==
        Json::parse("[12.99,22.99]"));
  CHECK(*Eval("$.store.book[?(@.isbn size 5)].price", kStore) == Json::parse("[8.95,8.99]"));
  Json lists = Json::parse(R"({"l":[{"t":[]},{"t":[1]},{"t":""}]})");
  CHECK(*Eval("$.l[?(@.t empty true)]", lists) == Json::parse(R"([{"t":[]},{"t":""}])"));
  CHECK(*Eval("$.l[?(@.t empty false)]", lists) == Json::parse(R"([{"t":[1]}])"));
  CHECK(*Eval("$.l[?(@.t size 1)]", lists) == Json::parse(R"([{"t":[1]}])"));
  CHECK_FALSE(Path::Parse("$.l[?(@.t in [@.x])]").ok());
}

TEST_CASE("a filter matching nothing yields an empty array") {
  CHECK(*Eval("$.store.book[?(@.price > 100)]", kStore) == Json::array());
  CHECK(*Eval("$.nothing[?(@.a)]", kStore) == Json::array());
}

TEST_CASE("indefinite paths over missing input yield [] (AWS corpus)") {
  Json empty = Json::object();
  for (const char* p : {"$.items[*]", "$.items[1:]", "$.items[:1]", "$.item.items[1:5]", "$[*]",
                        "$.items[*].itemValue", "$.items[1:].itemValue"}) {
    INFO(p);
    CHECK(*Eval(p, empty) == Json::array());
  }
}

TEST_CASE("a definite path that selects nothing explains the miss as AWS does") {
  Json input = {{"int-literal", 0}};
  CHECK(MissCause("$.NoSuchInputPath", input) ==
        "Invalid path '$.NoSuchInputPath' : No results for path: $['NoSuchInputPath']");
  CHECK(MissCause("$.no.such.result.path", Json::object()) ==
        "Invalid path '$.no.such.result.path' : Missing property in path $['no']");
  CHECK(MissCause("$.a.b.c", Json{{"a", Json::object()}}) ==
        "Invalid path '$.a.b.c' : Missing property in path $['a']['b']");
  CHECK(MissCause("$.a[3]", Json{{"a", {1}}}) ==
        "Invalid path '$.a[3]' : No results for path: $['a'][3]");
  CHECK(MissCause("$.a.b", Json{{"a", "text"}})
            .find("Expected to find an object with property "
                  "['b'] in path $['a']") != std::string::npos);
}

TEST_CASE("context and variable roots") {
  Json input = Json::object();
  Json context = {{"Execution", {{"Name", "exec-1"}}}};
  MapScope vars(Json{{"order", {{"id", 7}, {"lines", {10, 20}}}}});
  ExprContext ctx{&input, &context, &vars};
  Path c = MustParse("$$.Execution.Name");
  CHECK(c.root() == Path::Root::kContext);
  CHECK(*c.Evaluate(ctx) == "exec-1");
  Path v = MustParse("$order.id");
  CHECK(v.root() == Path::Root::kVariable);
  CHECK(v.variable() == "order");
  CHECK(*v.Evaluate(ctx) == 7);
  CHECK(*MustParse("$order.lines[1]").Evaluate(ctx) == 20);
  CHECK(*MustParse("$order").Evaluate(ctx) == vars.Find("order")[0]);
  CHECK(MustParse("$missing.x").Evaluate(ctx) == std::nullopt);
  CHECK(*MustParse("$$").Evaluate(ctx) == context);
}

TEST_CASE("EvaluateOn uses the given value as $") {
  Json input = {{"a", 1}};
  Json result = {{"a", 2}};
  ExprContext ctx{&input, nullptr, nullptr};
  CHECK(*MustParse("$.a").EvaluateOn(result, ctx) == 2);
}

TEST_CASE("big numbers, floats and nulls come back unchanged") {
  Json input = Json::parse(R"({"big": 9007199254740993, "u": 18446744073709551615,
                               "f": 1.5e300, "n": null, "e": []})");
  CHECK(Eval("$.big", input)->get<int64_t>() == 9007199254740993LL);
  CHECK(Eval("$.u", input)->is_number_unsigned());
  CHECK(Eval("$.f", input)->get<double>() == 1.5e300);
  CHECK(Eval("$.n", input)->is_null());
  CHECK(*Eval("$.e", input) == Json::array());
  CHECK(*Eval("$.e[*]", input) == Json::array());
}

TEST_CASE("malformed paths are definition errors, not crashes") {
  for (const char* text : {"", "a", "$.", "$..", "$[", "$[1", "$['a", "$[?(@.a", "$[?(@.a ==)]",
                           "$[abc]", "$$$", "$[?(@.a === 1)]", "$.a[1:2:3:4]", "@.a"}) {
    INFO(text);
    auto p = Path::Parse(text);
    CHECK_FALSE(p.ok());
    if (!p.ok()) CHECK(p.status().code() == stepline::ErrorCode::kInvalidDefinition);
  }
}

TEST_CASE("hostile nesting is refused cleanly") {
  std::string deep = "$[?(" + std::string(5000, '(') + "@.a" + std::string(5000, ')') + ")]";
  CHECK_FALSE(Path::Parse(deep).ok());
  std::string bangs = "$[?(" + std::string(5000, '!') + "@.a)]";
  CHECK_FALSE(Path::Parse(bangs).ok());
  std::string long_path = "$";
  for (int i = 0; i < 10000; ++i) long_path += ".a";
  CHECK(Path::Parse(long_path).ok());
}

TEST_CASE("recursive descent over a deep document does not recurse on the stack") {
  Json doc = Json::object();
  Json* node = &doc;
  for (int i = 0; i < 100000; ++i) node = &((*node)["a"] = Json::object());
  (*node)["leaf"] = 1;
  CHECK(*Eval("$..leaf", doc) == Json::parse("[1]"));
  // Release the deep document iteratively, since its destructor recurses.
  while (doc.contains("a")) {
    Json child = std::move(doc["a"]);
    doc = std::move(child);
  }
}

TEST_CASE("AssignAt writes at a reference path, creating objects on the way") {
  Json target = {{"a", 1}};
  AssignAt(MustParse("$.b.c"), target, 5);
  CHECK(target == Json::parse(R"({"a":1,"b":{"c":5}})"));
  AssignAt(MustParse("$.a"), target, Json{{"x", true}});
  CHECK(target["a"] == Json{{"x", true}});
  AssignAt(MustParse("$['with space']"), target, nullptr);
  CHECK(target["with space"].is_null());
  Json list = {{"l", {1, 2, 3}}};
  AssignAt(MustParse("$.l[1]"), list, "two");
  CHECK(list["l"] == Json::parse(R"([1,"two",3])"));
}

TEST_CASE("AssignAt with $ replaces the whole target") {
  Json target = {{"a", 1}};
  AssignAt(MustParse("$"), target, "x");
  CHECK(target == "x");
}

TEST_CASE("AssignAt through a non-object is a ResultPathMatchFailure") {
  Json target = {{"a", "text"}};
  try {
    AssignAt(MustParse("$.a.b"), target, 1);
    FAIL("no error");
  } catch (const StatesException& e) {
    CHECK(e.error().error == "States.ResultPathMatchFailure");
    CHECK(e.error().cause == std::string("Unable to apply step \"b\" to input \"text\""));
  }
  Json scalar = "s";
  CHECK_THROWS_AS(AssignAt(MustParse("$.x"), scalar, 1), StatesException);
  Json list = {{"l", {1}}};
  CHECK_THROWS_AS(AssignAt(MustParse("$.l[3]"), list, 1), StatesException);
  CHECK_THROWS_AS(AssignAt(MustParse("$.l[*]"), list, 1), StatesException);
}

TEST_CASE("a default-constructed Path is $") {
  Path p;
  Json input = {{"a", 1}};
  ExprContext ctx{&input, nullptr, nullptr};
  CHECK(p.text() == "$");
  CHECK(*p.Evaluate(ctx) == input);
}
