// Validation helpers: names, constraint messages, ARNs, the error table.
#include <catch2/catch.hpp>

#include "server/api/arn.h"
#include "server/api/error_table.h"
#include "server/api/validation.h"

using namespace stepline;
using namespace stepline::api;

TEST_CASE("names of 1 to 80 ordinary characters are valid") {
  CHECK(IsValidName("a"));
  CHECK(IsValidName("my-machine_1.v2"));
  CHECK(IsValidName(std::string(80, 'x')));
  CHECK(IsValidName("h\xC3\xA9llo"));  // non-ASCII letters are allowed
  CHECK_FALSE(IsValidName(""));
  CHECK_FALSE(IsValidName(std::string(81, 'x')));
}

TEST_CASE("whitespace, brackets, wildcards, special and control characters are invalid names") {
  for (std::string bad :
       {"a b",    "a\tb",   "a<b",        "a>b",        "a{b",           "a}b",  "a[b", "a]b",
        "a?b",    "a*b",    "a\"b",       "a#b",        "a%b",           "a\\b", "a^b", "a|b",
        "a~b",    "a`b",    "a$b",        "a&b",        "a,b",           "a;b",  "a:b", "a/b",
        "a\x01z", "a\x7Fz", "a\xC2\x85z", "a\xC2\xA0z", "a\xE2\x80\x83z"}) {
    INFO(bad);
    CHECK_FALSE(IsValidName(bad));
  }
  Status st = CheckName("bad name");
  CHECK(st.code() == ErrorCode::kInvalidName);
  CHECK(st.message() == "Invalid Name: 'bad name'");
}

TEST_CASE("one constraint violation uses AWS's singular message") {
  ConstraintErrors errors;
  errors.Range("maxResults", 1001, 0, 1000);
  Status st = errors.ToStatus();
  CHECK(st.code() == ErrorCode::kValidation);
  CHECK(st.message() ==
        "1 validation error detected: Value '1001' at 'maxResults' failed to satisfy constraint: "
        "Member must have value less than or equal to 1000");
}

TEST_CASE("several constraint violations are joined with semicolons") {
  ConstraintErrors errors;
  errors.NotNull("name");
  errors.Enum("type", "FAST", {"STANDARD", "EXPRESS"});
  errors.MaxLength("definition", std::string(5, 'x'), 4, true);
  CHECK(errors.ToStatus().message() ==
        "3 validation errors detected: Value null at 'name' failed to satisfy constraint: Member "
        "must not be null; Value 'FAST' at 'type' failed to satisfy constraint: Member must "
        "satisfy enum value set: [STANDARD, EXPRESS]; Value at 'definition' failed to satisfy "
        "constraint: Member must have length less than or equal to 4");
}

TEST_CASE("no violation is OK") { CHECK(ConstraintErrors().ToStatus().ok()); }

TEST_CASE("maxResults 0 means the default page size") {
  ConstraintErrors errors;
  auto page = ReadPage(Json{{"maxResults", 0}, {"nextToken", "t"}}, errors);
  REQUIRE(page.ok());
  CHECK(errors.empty());
  CHECK(page->max_results == 100);
  CHECK(page->next_token == "t");
}

TEST_CASE("a member of the wrong type is a SerializationException") {
  auto st = OptInt(Json{{"maxResults", "ten"}}, "maxResults");
  CHECK(st.status().code() == ErrorCode::kSerialization);
  CHECK(st.status().message() == "STRING_VALUE can not be converted to Integer");
  CHECK(OptString(Json{{"name", Json::object()}}, "name").status().code() ==
        ErrorCode::kSerialization);
  CHECK(OptString(Json{{"name", nullptr}}, "name").ok());  // null counts as absent
}

TEST_CASE("state machine, version, alias and labeled ARNs parse") {
  const std::string sm = "arn:aws:states:us-east-1:123456789012:stateMachine:M";
  auto all = {ArnKind::kStateMachine, ArnKind::kVersion, ArnKind::kAlias, ArnKind::kLabeled};
  auto a = ParseArn(sm, all);
  REQUIRE(a.ok());
  CHECK(a->kind == ArnKind::kStateMachine);
  CHECK(a->name == "M");
  auto v = ParseArn(sm + ":12", all);
  REQUIRE(v.ok());
  CHECK(v->kind == ArnKind::kVersion);
  CHECK(v->version == 12);
  CHECK(v->StateMachineArn() == sm);
  auto al = ParseArn(sm + ":prod", all);
  REQUIRE(al.ok());
  CHECK(al->kind == ArnKind::kAlias);
  CHECK(al->qualifier == "prod");
  auto l = ParseArn(sm + "/label", all);
  REQUIRE(l.ok());
  CHECK(l->kind == ArnKind::kLabeled);
}

TEST_CASE("execution and express ARNs parse; minting round-trips") {
  auto sm =
      ParseArn("arn:aws:states:us-east-1:123456789012:stateMachine:M", {ArnKind::kStateMachine});
  REQUIRE(sm.ok());
  std::string exec = ExecutionArn(*sm, "run-1");
  CHECK(exec == "arn:aws:states:us-east-1:123456789012:execution:M:run-1");
  auto e = ParseArn(exec, {ArnKind::kExecution});
  REQUIRE(e.ok());
  CHECK(e->execution_name == "run-1");
  CHECK(e->StateMachineArn() == sm->arn);
  std::string express = ExpressExecutionArn(*sm, "run-1", "u-u-i-d");
  CHECK(ParseArn(express, {ArnKind::kExpressExecution}).ok());
  CHECK(VersionArn(sm->arn, 3) == sm->arn + ":3");
  CHECK(ActivityArn("us-east-1", "123456789012", "act") ==
        "arn:aws:states:us-east-1:123456789012:activity:act");
}

TEST_CASE("bad ARNs give AWS's InvalidArn texts") {
  auto prefix = ParseArn("abc", {ArnKind::kStateMachine});
  CHECK(prefix.status().code() == ErrorCode::kInvalidArn);
  CHECK(prefix.status().message() == "Invalid Arn: 'Invalid ARN prefix: abc'");
  auto express =
      ParseArn("arn:aws:states:us-east-1:123456789012:express:M:e:1234", {ArnKind::kExecution});
  CHECK(express.status().message() ==
        "Invalid Arn: 'Resource type not valid in this context: express'");
  auto sm = ParseArn("arn:aws:states:us-east-1:123456789012:stateMachine:M", {ArnKind::kExecution});
  CHECK(sm.status().message() ==
        "Invalid Arn: 'Resource type not valid in this context: stateMachine'");
  auto malformed =
      ParseArn("arn:aws:states:us-east-1:123456789012:execution:M", {ArnKind::kExecution});
  CHECK(malformed.status().message() ==
        "Invalid Arn: 'arn:aws:states:us-east-1:123456789012:execution:M'");
}

TEST_CASE("role ARNs must name an IAM role") {
  CHECK(IsValidRoleArn("arn:aws:iam::123456789012:role/r"));
  CHECK(IsValidRoleArn("arn:aws:iam::123456789012:role/service-role/x"));
  CHECK_FALSE(IsValidRoleArn("arn:aws:iam::aws:policy/AWSBatchFullAccess"));
  CHECK_FALSE(IsValidRoleArn("role"));
}

TEST_CASE("the error table maps codes to __type and HTTP status") {
  CHECK(std::string(LookupError(ErrorCode::kStateMachineDoesNotExist).type) ==
        "StateMachineDoesNotExist");
  CHECK(LookupError(ErrorCode::kConflict).http_status == 409);
  CHECK(LookupError(ErrorCode::kInternal).http_status == 500);
  ApiResponse response =
      ErrorResponse(Status(ErrorCode::kTooManyTags, "too many").WithDetail("arn:x"));
  CHECK(response.http_status == 400);
  CHECK(response.error_type == "TooManyTags");
  CHECK(Json::parse(response.body) ==
        Json::parse(R"({"__type":"TooManyTags","message":"too many","resourceName":"arn:x"})"));
  ApiResponse internal = ErrorResponse(Status(ErrorCode::kStorage, "disk I/O error at /x"));
  CHECK(internal.http_status == 500);
  CHECK(Json::parse(internal.body)["__type"] == "InternalFailure");
}
