#include "server/http/wire.h"

#include <catch2/catch.hpp>

#include "common/json.h"

using namespace stepline;
using namespace stepline::http;

TEST_CASE("the region comes from the SigV4 credential scope", "[http][wire]") {
  CHECK(RegionFromAuthorization(
            "AWS4-HMAC-SHA256 Credential=test/20261122/us-east-1/states/aws4_request, "
            "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=abc") ==
        "us-east-1");
  CHECK(RegionFromAuthorization(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261122/eu-west-3/states/aws4_request,"
            "SignedHeaders=host,Signature=abc") == "eu-west-3");
  CHECK(RegionFromAuthorization("aws4-hmac-sha256 credential=k/20261122/ap-south-1/states/"
                                "aws4_request") == "ap-south-1");
}

TEST_CASE("a missing or malformed Authorization gives no region", "[http][wire]") {
  CHECK(RegionFromAuthorization("").empty());
  CHECK(RegionFromAuthorization("Basic dGVzdDp0ZXN0").empty());
  CHECK(RegionFromAuthorization("AWS4-HMAC-SHA256 Credential=test/20261122").empty());
  CHECK(RegionFromAuthorization("AWS4-HMAC-SHA256 Credential=k/d/US_EAST/states/aws4_request")
            .empty());
  CHECK(RegionFromAuthorization("AWS4-HMAC-SHA256 Credential=k/d//states/aws4_request").empty());
  CHECK(RegionFromAuthorization("AWS4-HMAC-SHA256 Credential=k/d/us-east-1/states/other").empty());
}

TEST_CASE("every POST is the API, whatever its path", "[http][wire]") {
  CHECK(RouteRequest("POST", "/") == Route::kApi);
  CHECK(RouteRequest("POST", "/some/base") == Route::kApi);
  CHECK(RouteRequest("POST", "/some/base/") == Route::kApi);
  CHECK(RouteRequest("POST", "/health") == Route::kApi);
}

TEST_CASE("GET or HEAD of / and /health is the health check", "[http][wire]") {
  CHECK(RouteRequest("GET", "/health") == Route::kHealth);
  CHECK(RouteRequest("GET", "/") == Route::kHealth);
  CHECK(RouteRequest("GET", "/health?verbose=1") == Route::kHealth);
  CHECK(RouteRequest("HEAD", "/health") == Route::kHealth);
  CHECK(RouteRequest("GET", "/other") == Route::kNotFound);
  CHECK(RouteRequest("PUT", "/") == Route::kMethodNotAllowed);
  CHECK(RouteRequest("DELETE", "/health") == Route::kMethodNotAllowed);
}

TEST_CASE("header names and tokens compare case-insensitively", "[http][wire]") {
  CHECK(EqualsIgnoreCase("X-Amz-Target", "x-amz-target"));
  CHECK(EqualsIgnoreCase("HOST", "host"));
  CHECK_FALSE(EqualsIgnoreCase("host", "hosts"));
  CHECK(ExpectsContinue("100-continue"));
  CHECK(ExpectsContinue(" 100-Continue "));
  CHECK_FALSE(ExpectsContinue(""));
  CHECK_FALSE(ExpectsContinue("200-ok"));
}

TEST_CASE("an error body carries __type first and a lower-case message", "[http][wire]") {
  std::string body = ErrorBody("InternalFailure", "say \"hi\"");
  CHECK(body == R"({"__type":"InternalFailure","message":"say \"hi\""})");
  Result<Json> parsed = ParseJson(body);
  REQUIRE(parsed.ok());
  CHECK((*parsed)["message"] == "say \"hi\"");
}

TEST_CASE("an answer carries the AWS JSON 1.0 headers with an exact length", "[http][wire]") {
  api::ApiResponse ok{200, R"({"executionArn":"a"})", ""};
  HeaderList headers = ResponseHeaders(ok, "req-1", 1700000000000);
  HeaderList expected = {{"Content-Type", "application/x-amz-json-1.0"},
                         {"Content-Length", "20"},
                         {"x-amzn-RequestId", "req-1"},
                         {"Date", "Tue, 14 Nov 2023 22:13:20 GMT"}};
  CHECK(headers == expected);
}

TEST_CASE("an error answer also names its type in x-amzn-ErrorType", "[http][wire]") {
  api::ApiResponse error = ErrorResponse(400, "StateMachineDoesNotExist", "nope");
  CHECK(error.http_status == 400);
  HeaderList headers = ResponseHeaders(error, "req-2", 1700000000000);
  REQUIRE(headers.size() == 5);
  CHECK(headers.back() ==
        std::pair<std::string, std::string>("x-amzn-ErrorType", "StateMachineDoesNotExist"));
  CHECK(headers[1].second == std::to_string(error.body.size()));
}
