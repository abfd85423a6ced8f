#include "common/status.h"

#include <catch2/catch.hpp>

using stepline::ErrorCode;
using stepline::Result;
using stepline::Status;

namespace {

Result<int> Half(int v) {
  if (v % 2) return Status(ErrorCode::kValidation, "odd");
  return v / 2;
}

Result<int> Quarter(int v) {
  ASSIGN_OR_RETURN(int h, Half(v));
  ASSIGN_OR_RETURN(int q, Half(h));
  return q;
}

Status CheckEven(int v) {
  RETURN_IF_ERROR(Half(v).status());
  return Status::Ok();
}

}  // namespace

TEST_CASE("an OK status has no code and no message") {
  Status s;
  CHECK(s.ok());
  CHECK(s.code() == ErrorCode::kOk);
  CHECK(s.ToString() == "OK");
}

TEST_CASE("a failed status carries its code, message and detail") {
  Status s = Status(ErrorCode::kValidation, "bad").WithDetail("MISSING_REQUIRED_PARAMETER");
  CHECK_FALSE(s.ok());
  CHECK(s.message() == "bad");
  CHECK(s.detail() == "MISSING_REQUIRED_PARAMETER");
  CHECK(s.ToString() == "ValidationException: bad");
}

TEST_CASE("ASSIGN_OR_RETURN propagates the first error and RETURN_IF_ERROR stops early") {
  CHECK(Quarter(8).value() == 2);
  Result<int> r = Quarter(6);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message() == "odd");
  CHECK(CheckEven(4).ok());
  CHECK(CheckEven(3).code() == ErrorCode::kValidation);
}
