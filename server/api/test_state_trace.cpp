// TestState's TRACE request and response of an HTTP Task (see test_state_trace.h).
#include "server/api/test_state_trace.h"

#include <algorithm>
#include <cctype>
#include <string>

namespace stepline::api {
namespace {

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool ConnectionOnly(const std::string& name) {
  const std::string lower = Lower(name);
  return std::any_of(std::begin(kConnectionOnlyHeaders), std::end(kConnectionOnlyHeaders),
                     [&lower](const char* h) { return Lower(h) == lower; });
}

// "http" or "https": the URL's scheme, as AWS names the protocol.
std::string Protocol(const std::string& url) {
  size_t end = url.find("://");
  return end == std::string::npos ? "" : Lower(url.substr(0, end));
}

// "[Name: value, Name: value]"; `lower_names` as AWS shows response headers.
std::string HeaderList(const task::HttpExchange::Headers& headers, bool lower_names,
                       bool keep_secrets) {
  std::string out = "[";
  for (const auto& [name, value] : headers) {
    if (!keep_secrets && ConnectionOnly(name)) continue;
    if (out.size() > 1) out += ", ";
    out += (lower_names ? Lower(name) : name) + ": " + value;
  }
  return out + "]";
}

}  // namespace

void AddHttpTrace(const task::HttpExchange& exchange, bool reveal_secrets, Json& inspection) {
  const std::string protocol = Protocol(exchange.url);
  inspection["request"] = {{"protocol", protocol},
                           {"method", exchange.method},
                           {"url", exchange.url},
                           {"headers", HeaderList(exchange.request_headers, false, reveal_secrets)},
                           {"body", exchange.request_body}};
  if (!exchange.answered) return;
  inspection["response"] = {{"protocol", protocol},
                            {"statusCode", std::to_string(exchange.status_code)},
                            {"statusMessage", exchange.status_message},
                            {"headers", HeaderList(exchange.response_headers, true, true)},
                            {"body", exchange.response_body}};
}

}  // namespace stepline::api
