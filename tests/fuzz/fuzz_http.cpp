// libFuzzer target: the HTTP request path of server/http, without a socket.
// The input is what a client sends on one connection. Beast's request_parser,
// with the server's limits, reads requests from it one after another as the
// session does (the header, then the body); each request then goes the
// session's way (server/http/message.h): LocalAnswer, or ToApiRequest -> an
// ApiHandler -> MakeResponse; a failed read gets ReadErrorAnswer and ends the
// connection, as does a request without keep-alive. Every response, written
// out by Beast, must parse back to the same status, fields and body.
#include <utility>  // before Asio (g++ 12 in C++20 needs it for awaitable.hpp)

#include <boost/asio/buffer.hpp>
#include <boost/beast/http.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

#include "common/limits.h"
#include "server/api/api.h"
#include "server/http/http_server.h"
#include "server/http/message.h"
#include "server/http/wire.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace http = stepline::http;
namespace api = stepline::api;

// Requests read from one input at most (pipelined keep-alive requests).
constexpr int kMaxRequests = 32;
constexpr stepline::EpochMillis kNow = 1700000000123;

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

std::string_view Sv(beast::string_view s) { return {s.data(), s.size()}; }

// Answers like the API handler does before it looks at the body: unknown
// targets are named back in the message (arbitrary bytes), others echo.
api::ApiResponse Answer(const api::ApiRequest& request) {
  constexpr std::string_view kPrefix = "AWSStepFunctions.";
  if (request.target.substr(0, kPrefix.size()) != kPrefix) {
    return http::ErrorResponse(400, "UnknownOperationException",
                               "Unknown operation: '" + request.target + "'");
  }
  return api::ApiResponse{200, R"({"region":")" + request.region + "\"}", ""};
}

// Feeds `rest` to `parser` until it has the header (or the whole message),
// as async_read_header / async_read do; the end of the input is the end of
// the stream. Consumes what the parser used.
beast::error_code Read(bhttp::request_parser<bhttp::string_body>& parser, std::string_view& rest,
                       bool header_only) {
  parser.eager(!header_only);
  beast::error_code ec;
  while (!(header_only ? parser.is_header_done() : parser.is_done())) {
    size_t used = rest.empty() ? 0 : parser.put(boost::asio::buffer(rest.data(), rest.size()), ec);
    rest.remove_prefix(used);
    if (ec == bhttp::error::need_more) ec = {};
    if (ec) return ec;
    if (used == 0) {
      parser.put_eof(ec);
      return ec ? ec : beast::error_code(bhttp::error::partial_message);
    }
  }
  return ec;
}

// Writes `response` as Beast does on the socket and parses it back.
void CheckRoundTrip(const http::BeastResponse& response, const api::ApiResponse& answer,
                    bool head) {
  std::ostringstream out;
  out << response;
  std::string wire = out.str();
  bhttp::response_parser<bhttp::string_body> parser;
  parser.skip(head);
  parser.eager(true);
  parser.body_limit(wire.size());
  beast::error_code ec;
  size_t used = parser.put(boost::asio::buffer(wire), ec);
  Check(!ec && parser.is_done() && used == wire.size());
  const auto& back = parser.get();
  Check(back.result_int() == static_cast<unsigned>(answer.http_status));
  Check(back.body() == (head ? std::string() : answer.body));
  Check(Sv(back[bhttp::field::content_length]) == std::to_string(answer.body.size()));
  Check(Sv(back[bhttp::field::content_type]) == http::kAmzJsonContentType);
  Check(Sv(back["x-amzn-ErrorType"]) == answer.error_type);
}

// One request from `rest`; false when the connection ends after it.
bool ServeOne(std::string_view& rest) {
  bhttp::request_parser<bhttp::string_body> parser;
  parser.body_limit(stepline::limits::kMaxHttpBodyBytes);
  parser.header_limit(http::kMaxHeaderBytes);
  beast::error_code ec = Read(parser, rest, true);
  if (!ec) ec = Read(parser, rest, false);
  std::optional<api::ApiResponse> answer;
  bool keep_alive = false, head = false;
  unsigned version = 11;
  if (ec) {
    answer = http::ReadErrorAnswer(ec, stepline::limits::kMaxHttpBodyBytes);
    if (parser.is_header_done()) version = parser.get().version();
  } else {
    http::BeastRequest& request = parser.get();
    keep_alive = request.keep_alive();
    head = request.method() == bhttp::verb::head;
    version = request.version();
    answer = http::LocalAnswer(request);
    if (!answer) {
      std::string target(Sv(request["X-Amz-Target"]));
      std::string body = request.body();
      api::ApiRequest api_request = http::ToApiRequest(request, "req-1");
      Check(api_request.target == target && api_request.body == body);
      answer = Answer(api_request);
    }
  }
  if (!answer) return false;  // the session closes without an answer
  api::ApiResponse copy = *answer;
  http::BeastResponse response =
      http::MakeResponse(std::move(copy), version, keep_alive, head, "req-1", kNow);
  CheckRoundTrip(response, *answer, head);
  return keep_alive && !ec;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view rest = stepline::fuzz::Text(data, size);
  for (int i = 0; i < kMaxRequests && !rest.empty(); ++i) {
    if (!ServeOne(rest)) break;
  }
  return 0;
}
