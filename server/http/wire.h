// Wire helpers of the HTTP front end that need no socket and no Beast:
// routing by method and path, the SigV4 region, header-value tests, the
// AWS JSON 1.0 response header set and error bodies. The session in
// http_server.cpp calls these; tests call them directly.
//
// Thread-safety: pure functions.
// Invariants: every error body is a JSON object with `__type` first and a
// lower-case `message` (what botocore and the JS SDK read, wire-protocol §3).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "server/api/api.h"

namespace stepline::http {

inline constexpr std::string_view kAmzJsonContentType = "application/x-amz-json-1.0";
inline constexpr std::string_view kHealthBody = R"({"status":"ok"})";

// What the server does with a request, decided on its method and path alone.
// Host is never looked at: SDKs prefix `sync-` to it (wire-protocol §6).
enum class Route {
  kApi,               // POST, any path: the AWS JSON 1.0 API.
  kHealth,            // GET or HEAD of "/" or "/health" (query ignored).
  kNotFound,          // GET or HEAD of any other path.
  kMethodNotAllowed,  // anything else.
};
Route RouteRequest(std::string_view method, std::string_view target);

// The region of a SigV4 `Authorization` header's credential scope
// (`Credential=<key>/<date>/<region>/<service>/aws4_request`), or "" when
// the header is absent, of another scheme or malformed.
std::string RegionFromAuthorization(std::string_view authorization);

// ASCII case-insensitive equality, for header names and tokens.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// True when an `Expect` header value asks for `100-continue`.
bool ExpectsContinue(std::string_view expect);

// `{"__type":"<type>","message":"<message>"}`.
std::string ErrorBody(std::string_view type, std::string_view message);

// An ApiResponse for a failure found by the HTTP layer itself.
api::ApiResponse ErrorResponse(int http_status, std::string_view type, std::string_view message);

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// Every header field of an answer: Content-Type, exact Content-Length,
// x-amzn-RequestId, Date, and x-amzn-ErrorType when `response.error_type`
// is set (it matches the body's `__type`, as the JS SDK wants).
HeaderList ResponseHeaders(const api::ApiResponse& response, std::string_view request_id,
                           EpochMillis now);

}  // namespace stepline::http
