// Random and hostile inputs: parsing and evaluating must end in a value, a
// Status or a StatesException, never a crash (run under sanitizers too).
#include <catch2/catch.hpp>
#include <random>

#include "engine/jsonpath/path.h"
#include "engine/jsonpath/payload.h"
#include "engine/states_error.h"

using stepline::ExprContext;
using stepline::Json;
using stepline::StatesException;
using stepline::jsonpath::Path;
using stepline::jsonpath::ValueExpr;

namespace {

const Json kDoc = Json::parse(R"({"a":[1,{"b":"x","c":[true,null,2.5]},"s"],"d":{"e":{"f":-1}},
                                  "g":"a,b","h":[[1,2],[3]],"n":null})");

std::string RandomText(std::mt19937& rng, const std::vector<std::string>& atoms, int length) {
  std::uniform_int_distribution<size_t> pick(0, atoms.size() - 1);
  std::string out;
  for (int i = 0; i < length; ++i) out += atoms[pick(rng)];
  return out;
}

void EvaluateSafely(std::string_view text) {
  ExprContext ctx{&kDoc, &kDoc, nullptr};
  auto expr = ValueExpr::Parse(text);
  if (!expr.ok()) return;
  try {
    expr->Evaluate(ctx, "f.$");
  } catch (const StatesException&) {
  }
}

}  // namespace

TEST_CASE("random path text never crashes the parser or the evaluator") {
  std::mt19937 rng(12345);
  const std::vector<std::string> atoms = {
      "$",  "$$",   "@",     ".",     "..",  "[",   "]",        "*",   "?",  "(",    ")",
      "'",  "\"",   ",",     ":",     "-",   "0",   "1",        "-1",  "a",  "b",    "c",
      "==", "!=",   "<",     ">=",    "&&",  "||",  "!",        " ",   "\\", "true", "null",
      "in", "size", "empty", "['a']", "[0]", "[*]", "[?(@.b)]", "[1:]"};
  for (int i = 0; i < 20000; ++i) {
    std::string text = "$" + RandomText(rng, atoms, 1 + static_cast<int>(rng() % 12));
    EvaluateSafely(text);
  }
  SUCCEED();
}

TEST_CASE("random intrinsic text never crashes the parser or the evaluator") {
  std::mt19937 rng(54321);
  const std::vector<std::string> atoms = {"States.Format(",
                                          "States.Array(",
                                          "States.ArrayGetItem(",
                                          "States.StringSplit(",
                                          "States.MathAdd(",
                                          "States.ArrayRange(",
                                          "States.JsonToString(",
                                          "States.StringToJson(",
                                          "States.Hash(",
                                          "States.Base64Decode(",
                                          "States.ArrayPartition(",
                                          "States.JsonMerge(",
                                          ")",
                                          ",",
                                          " ",
                                          "'x'",
                                          "'{}'",
                                          "'\\{'",
                                          "'a,b'",
                                          "1",
                                          "-1",
                                          "2.5",
                                          "true",
                                          "false",
                                          "null",
                                          "$.a",
                                          "$.g",
                                          "$.h",
                                          "$.d",
                                          "$$.n",
                                          "$.a[*]",
                                          "'MD5'",
                                          "'SHA-256'",
                                          "'e30='",
                                          "1000"};
  for (int i = 0; i < 20000; ++i) {
    EvaluateSafely(RandomText(rng, atoms, 1 + static_cast<int>(rng() % 10)));
  }
  SUCCEED();
}

TEST_CASE("huge inputs are handled without recursion trouble") {
  Json big = Json::array();
  for (int i = 0; i < 200000; ++i) big.push_back({{"i", i}, {"even", i % 2 == 0}});
  Json input = {{"big", big}};
  ExprContext ctx{&input, nullptr, nullptr};
  auto p = Path::Parse("$.big[?(@.even == true && @.i >= 199990)].i");
  REQUIRE(p.ok());
  CHECK(*p->Evaluate(ctx) == Json::parse("[199990,199992,199994,199996,199998]"));
  auto all = Path::Parse("$..i");
  REQUIRE(all.ok());
  CHECK(all->Evaluate(ctx)->size() == 200000);
}
