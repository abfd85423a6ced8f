#include "server/http/message.h"

#include <boost/beast/http/error.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>

#include "server/http/http_server.h"
#include "server/http/wire.h"

namespace stepline::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

std::string_view Sv(beast::string_view s) { return {s.data(), s.size()}; }

// A request the parser rejected (bad method, target, version, field, chunk...).
bool IsHttpSyntaxError(beast::error_code ec) {
  return ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category() &&
         ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message &&
         ec != bhttp::error::need_more && ec != bhttp::error::need_buffer;
}

}  // namespace

std::optional<api::ApiResponse> LocalAnswer(const BeastRequest& request) {
  switch (RouteRequest(Sv(request.method_string()), Sv(request.target()))) {
    case Route::kApi:
      return std::nullopt;
    case Route::kHealth:
      return api::ApiResponse{200, std::string(kHealthBody), ""};
    case Route::kNotFound:
      return ErrorResponse(404, "UnknownOperationException",
                           "Not found; the API is POST with X-Amz-Target (AWS JSON 1.0)");
    case Route::kMethodNotAllowed:
      break;
  }
  return ErrorResponse(405, "UnknownOperationException",
                       "Method not allowed; the API is POST (AWS JSON 1.0)");
}

api::ApiRequest ToApiRequest(BeastRequest& request, std::string request_id) {
  api::ApiRequest api_request;
  api_request.target = std::string(Sv(request["X-Amz-Target"]));
  api_request.body = std::move(request.body());
  api_request.request_id = std::move(request_id);
  api_request.region = RegionFromAuthorization(Sv(request[bhttp::field::authorization]));
  return api_request;
}

std::optional<api::ApiResponse> ReadErrorAnswer(beast::error_code ec, size_t max_body_bytes) {
  if (ec == bhttp::error::body_limit) {
    return ErrorResponse(
        413, "RequestEntityTooLargeException",
        "Request body exceeds the limit of " + std::to_string(max_body_bytes) + " bytes");
  }
  if (ec == bhttp::error::header_limit) {
    return ErrorResponse(
        431, "RequestHeaderFieldsTooLargeException",
        "Request header exceeds the limit of " + std::to_string(kMaxHeaderBytes) + " bytes");
  }
  if (IsHttpSyntaxError(ec)) {
    return ErrorResponse(400, "BadRequestException", "Malformed HTTP request: " + ec.message());
  }
  return std::nullopt;
}

BeastResponse MakeResponse(api::ApiResponse answer, unsigned version, bool keep_alive, bool head,
                           std::string_view request_id, EpochMillis now) {
  BeastResponse response;
  response.version(version);
  response.result(static_cast<unsigned>(answer.http_status));
  for (auto& [name, value] : ResponseHeaders(answer, request_id, now)) {
    response.set(name, value);
  }
  response.keep_alive(keep_alive);
  if (!head) response.body() = std::move(answer.body);
  return response;
}

}  // namespace stepline::http
