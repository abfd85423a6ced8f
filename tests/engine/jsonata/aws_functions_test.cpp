// AWS Step Functions' extra JSONata functions.
#include <catch2/catch.hpp>

#include <regex>

#include "tests/engine/jsonata/test_util.h"

using namespace stepline;
using namespace stepline::jsonata;
using namespace stepline::jsonata::testing;

namespace {
EvalOptions Aws() {
  EvalOptions o;
  o.aws_functions = true;
  return o;
}
std::optional<Json> AwsEval(const std::string& text) { return Eval(text, nullptr, Aws()); }
}  // namespace

TEST_CASE("$partition splits into chunks, the last one shorter") {
  CHECK(AwsEval("$partition([1,2,3,4,5], 2)") == Json::parse("[[1,2],[3,4],[5]]"));
  CHECK(AwsEval("$partition([1,2,3], 2.9)") == Json::parse("[[1,2],[3]]"));
}

TEST_CASE("$range is inclusive and accepts negative steps") {
  CHECK(AwsEval("$range(0, 10, 2)") == Json::parse("[0,2,4,6,8,10]"));
  CHECK(AwsEval("$range(5, 1, -2)") == Json::parse("[5,3,1]"));
}

TEST_CASE("$hash gives lowercase hex digests") {
  CHECK(AwsEval("$hash('abc', 'MD5')") == Json("900150983cd24fb0d6963f7d28e17f72"));
  CHECK(AwsEval("$hash('abc', 'SHA-1')") == Json("a9993e364706816aba3e25717850c26c9cd0d89d"));
  CHECK(AwsEval("$hash('abc', 'SHA-256')") ==
        Json("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
  CHECK(AwsEval("$length($hash('abc', 'SHA-512'))") == Json(128));
  CHECK(CodeOf("$hash('abc', 'SHA-3')", nullptr, Aws()) == "D3137");
}

TEST_CASE("$random with a seed is deterministic and in [0,1)") {
  auto a = AwsEval("$random(42)");
  auto b = AwsEval("$random(42)");
  REQUIRE(a);
  CHECK(*a == *b);
  CHECK(a->get<double>() >= 0);
  CHECK(a->get<double>() < 1);
  CHECK(AwsEval("$random() < 1") == Json(true));
}

TEST_CASE("$uuid is a version 4 UUID") {
  auto u = AwsEval("$uuid()");
  REQUIRE(u);
  std::regex v4("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  CHECK(std::regex_match(u->get<std::string>(), v4));
  CHECK(AwsEval("$uuid() = $uuid()") == Json(false));
}

TEST_CASE("$parse reads JSON text") {
  CHECK(AwsEval("$parse('{\"a\":[1,2]}').a[1]") == Json(2));
  CHECK(CodeOf("$parse('{oops')", nullptr, Aws()) == "D3137");
}

TEST_CASE("the AWS functions exist only in AWS mode") { CHECK(CodeOf("$uuid()") == "T1006"); }
