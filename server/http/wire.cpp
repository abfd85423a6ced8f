#include "server/http/wire.h"

#include <algorithm>
#include <cctype>

#include "common/json.h"
#include "common/timefmt.h"

namespace stepline::http {
namespace {

std::string_view PathOf(std::string_view target) {
  return target.substr(0, std::min(target.find('?'), target.size()));
}

bool IsRegionChar(char c) {
  return std::islower(static_cast<unsigned char>(c)) ||
         std::isdigit(static_cast<unsigned char>(c)) || c == '-';
}

// Splits "a/b/c" into its parts.
std::vector<std::string_view> SplitSlashes(std::string_view text) {
  std::vector<std::string_view> parts;
  for (size_t start = 0;;) {
    size_t slash = text.find('/', start);
    parts.push_back(text.substr(start, slash - start));
    if (slash == std::string_view::npos) return parts;
    start = slash + 1;
  }
}

// The text after "Credential=" up to the next ',' or whitespace, or "".
std::string_view CredentialScope(std::string_view authorization) {
  static constexpr std::string_view kKey = "credential=";
  for (size_t i = 0; i + kKey.size() <= authorization.size(); ++i) {
    if (!EqualsIgnoreCase(authorization.substr(i, kKey.size()), kKey)) continue;
    std::string_view rest = authorization.substr(i + kKey.size());
    return rest.substr(0, std::min(rest.find_first_of(", \t"), rest.size()));
  }
  return {};
}

}  // namespace

Route RouteRequest(std::string_view method, std::string_view target) {
  if (method == "POST") return Route::kApi;
  if (method != "GET" && method != "HEAD") return Route::kMethodNotAllowed;
  std::string_view path = PathOf(target);
  return (path == "/" || path == "/health") ? Route::kHealth : Route::kNotFound;
}

std::string RegionFromAuthorization(std::string_view authorization) {
  std::vector<std::string_view> parts = SplitSlashes(CredentialScope(authorization));
  if (parts.size() < 5 || parts.back() != "aws4_request") return "";
  std::string_view region = parts[parts.size() - 3];
  if (region.empty() || !std::all_of(region.begin(), region.end(), IsRegionChar)) return "";
  return std::string(region);
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool ExpectsContinue(std::string_view expect) {
  while (!expect.empty() && (expect.front() == ' ' || expect.front() == '\t'))
    expect.remove_prefix(1);
  while (!expect.empty() && (expect.back() == ' ' || expect.back() == '\t'))
    expect.remove_suffix(1);
  return EqualsIgnoreCase(expect, "100-continue");
}

std::string ErrorBody(std::string_view type, std::string_view message) {
  Json body = Json::object();
  body["__type"] = type;
  body["message"] = message;
  return DumpJson(body);
}

api::ApiResponse ErrorResponse(int http_status, std::string_view type, std::string_view message) {
  return api::ApiResponse{http_status, ErrorBody(type, message), std::string(type)};
}

HeaderList ResponseHeaders(const api::ApiResponse& response, std::string_view request_id,
                           EpochMillis now) {
  HeaderList headers = {
      {"Content-Type", std::string(kAmzJsonContentType)},
      {"Content-Length", std::to_string(response.body.size())},
      {"x-amzn-RequestId", std::string(request_id)},
      {"Date", FormatHttpDate(now)},
  };
  if (!response.error_type.empty()) headers.emplace_back("x-amzn-ErrorType", response.error_type);
  return headers;
}

}  // namespace stepline::http
