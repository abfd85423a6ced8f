// One HTTP exchange of the front end without a socket, on Beast messages:
// what a parsed request becomes (an answer of the HTTP layer itself, or an
// api::ApiRequest), the answer to a failed read, and the Beast response
// written for an api::ApiResponse. The Session in http_server.cpp does its
// socket work around these; tests/fuzz/fuzz_http.cpp drives them on raw
// bytes. Only server/http and that fuzz target include this header (Beast).
//
// Thread-safety: pure functions.
// Invariants: a response carries exactly the fields of ResponseHeaders()
// plus Connection; a HEAD answer has the Content-Length of the body it omits.
#pragma once

#include <utility>  // before Asio (g++ 12 in C++20 needs it for awaitable.hpp)

#include <boost/beast/core/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "server/api/api.h"

namespace stepline::http {

using BeastRequest = boost::beast::http::request<boost::beast::http::string_body>;
using BeastResponse = boost::beast::http::response<boost::beast::http::string_body>;

// The answer of the HTTP layer to a request the API does not see (health
// check, 404, 405), or nullopt for an API request (a POST).
std::optional<api::ApiResponse> LocalAnswer(const BeastRequest& request);

// The API request a POST becomes; moves the body out of `request`.
api::ApiRequest ToApiRequest(BeastRequest& request, std::string request_id);

// The answer to a read that failed with `ec` (413 over `max_body_bytes`,
// 431 over the header limit, 400 for malformed HTTP), or nullopt when the
// connection just closes (end of stream, timeout, reset).
std::optional<api::ApiResponse> ReadErrorAnswer(boost::beast::error_code ec, size_t max_body_bytes);

// The response written for `answer` to a request of HTTP `version` (11 for
// HTTP/1.1); `head`: the body is left out, its headers stay.
BeastResponse MakeResponse(api::ApiResponse answer, unsigned version, bool keep_alive, bool head,
                           std::string_view request_id, EpochMillis now);

}  // namespace stepline::http
