// The HTTP Task (arn:aws:states:::http:invoke): calls Parameters.ApiEndpoint
// with Method, Headers, QueryParameters and RequestBody (Transform:
// RequestBodyEncoding URL_ENCODED with RequestEncodingOptions.ArrayFormat
// INDICES | REPEAT | COMMAS | BRACKETS) and answers AWS's result shape
// {Headers, ResponseBody, StatusCode, StatusText}. A status outside 2xx is
// States.Http.StatusCode.<code> with that shape as cause; a transport failure
// is States.Http.Socket. Authentication.ConnectionArn names an EventBridge
// connection, which a local emulator does not have: it is accepted and not
// used (put credentials into Headers). When the request asks for it
// (on_http_exchange, TestState's TRACE), the exchange as sent and received is
// reported before the outcome.
#include <cctype>
#include <map>

#include "integrations/aws_ops.h"

namespace stepline::integrations {

namespace {

enum class ArrayFormat { kIndices, kRepeat, kCommas, kBrackets };

ArrayFormat ArrayFormatOf(const Json& params) {
  const Json* transform = params.contains("Transform") ? &params["Transform"] : nullptr;
  if (!transform || !transform->is_object()) return ArrayFormat::kIndices;
  const Json& options = transform->value("RequestEncodingOptions", Json::object());
  std::string format = options.is_object() ? options.value("ArrayFormat", "INDICES") : "INDICES";
  if (format == "REPEAT") return ArrayFormat::kRepeat;
  if (format == "COMMAS") return ArrayFormat::kCommas;
  if (format == "BRACKETS") return ArrayFormat::kBrackets;
  return ArrayFormat::kIndices;
}

bool UrlEncodedBody(const Json& params) {
  const Json* transform = params.contains("Transform") ? &params["Transform"] : nullptr;
  return transform && transform->is_object() &&
         transform->value("RequestBodyEncoding", "NONE") == "URL_ENCODED";
}

void AppendPair(std::string& out, const std::string& key, const std::string& value) {
  if (!out.empty()) out += '&';
  out += UriEncode(key, false) + "=" + UriEncode(value, false);
}

// `value` under `key` in application/x-www-form-urlencoded form: objects as
// key[member], arrays as the format says.
void AppendForm(std::string& out, const std::string& key, const Json& value, ArrayFormat format) {
  if (value.is_object()) {
    for (const auto& [k, v] : value.items()) AppendForm(out, key + "[" + k + "]", v, format);
  } else if (value.is_array()) {
    if (format == ArrayFormat::kCommas) {
      std::string joined;
      for (size_t i = 0; i < value.size(); ++i) joined += (i ? "," : "") + AsText(value[i]);
      return AppendPair(out, key, joined);
    }
    for (size_t i = 0; i < value.size(); ++i) {
      std::string item_key = format == ArrayFormat::kIndices ? key + "[" + std::to_string(i) + "]"
                             : format == ArrayFormat::kBrackets ? key + "[]"
                                                                : key;
      AppendForm(out, item_key, value[i], format);
    }
  } else if (!value.is_null()) {
    AppendPair(out, key, AsText(value));
  }
}

std::string Form(const Json& object, ArrayFormat format) {
  std::string out;
  if (!object.is_object()) return out;
  for (const auto& [k, v] : object.items()) AppendForm(out, k, v, format);
  return out;
}

bool HasHeader(const HttpHeaders& headers, const std::string& name) {
  for (const auto& [k, v] : headers) {
    if (k.size() == name.size() && std::equal(k.begin(), k.end(), name.begin(), [](char a, char b) {
          return std::tolower(a) == std::tolower(b);
        })) {
      return true;
    }
  }
  return false;
}

HttpRequest HttpTaskRequest(const Json& parameters) {
  const Json params = parameters.is_object() ? parameters : Json::object();
  HttpRequest http;
  http.method = params.value("Method", "GET");
  http.url = params.value("ApiEndpoint", "");
  std::string query = Form(params.value("QueryParameters", Json::object()), ArrayFormat::kRepeat);
  if (!query.empty()) http.url += (http.url.find('?') == std::string::npos ? "?" : "&") + query;
  const Json& headers = params.value("Headers", Json::object());
  if (headers.is_object()) {
    for (const auto& [k, v] : headers.items()) http.headers.emplace_back(k, AsText(v));
  }
  if (params.contains("RequestBody")) {
    bool form = UrlEncodedBody(params);
    const Json& body = params["RequestBody"];
    http.body = form ? Form(body, ArrayFormatOf(params)) : AsText(body);
    if (!HasHeader(http.headers, "Content-Type")) {
      http.headers.emplace_back("Content-Type", form ? "application/x-www-form-urlencoded"
                                                     : "application/json; charset=UTF-8");
    }
  }
  return http;
}

const char* StatusText(int status) {
  static const std::map<int, const char*> kTexts = {{200, "OK"},
                                                    {201, "Created"},
                                                    {202, "Accepted"},
                                                    {204, "No Content"},
                                                    {301, "Moved Permanently"},
                                                    {302, "Found"},
                                                    {304, "Not Modified"},
                                                    {400, "Bad Request"},
                                                    {401, "Unauthorized"},
                                                    {403, "Forbidden"},
                                                    {404, "Not Found"},
                                                    {405, "Method Not Allowed"},
                                                    {409, "Conflict"},
                                                    {415, "Unsupported Media Type"},
                                                    {422, "Unprocessable Entity"},
                                                    {429, "Too Many Requests"},
                                                    {500, "Internal Server Error"},
                                                    {502, "Bad Gateway"},
                                                    {503, "Service Unavailable"},
                                                    {504, "Gateway Timeout"}};
  auto it = kTexts.find(status);
  return it == kTexts.end() ? "" : it->second;
}

// {Headers: {name: [values]}, ResponseBody, StatusCode, StatusText}.
Json ResultShape(const HttpResponse& res) {
  Json headers = Json::object();
  for (const auto& [k, v] : res.headers) {
    std::string name = k;
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!headers.contains(name)) headers[name] = Json::array();
    headers[name].push_back(v);
  }
  Json body = res.body;
  if (res.Header("Content-Type").find("json") != std::string::npos) {
    auto parsed = ParseJson(res.body);
    if (parsed.ok()) body = *parsed;
  }
  return {{"Headers", headers},
          {"ResponseBody", body},
          {"StatusCode", res.status},
          {"StatusText", StatusText(res.status)}};
}

TaskOutcome HttpOutcome(const HttpResult& r) {
  if (!r.ok()) return Failed({"States.Http.Socket", r.error, std::nullopt});
  Json shape = ResultShape(r.response);
  if (r.response.status < 200 || r.response.status >= 300) {
    return Failed({"States.Http.StatusCode." + std::to_string(r.response.status), DumpJson(shape),
                   std::nullopt});
  }
  return Succeeded(std::move(shape));
}

// The request half of the exchange TestState's TRACE reports.
HttpExchange Sent(const HttpRequest& http) {
  HttpExchange out;
  out.method = http.method;
  out.url = http.url;
  out.request_headers = http.headers;
  out.request_body = http.body;
  return out;
}

void Received(HttpExchange& exchange, const HttpResult& r) {
  if (!r.ok()) return;
  exchange.answered = true;
  exchange.status_code = r.response.status;
  exchange.status_message = StatusText(r.response.status);
  exchange.response_headers = r.response.headers;
  exchange.response_body = r.response.body;
}

}  // namespace

void HttpInvoke(const Ctx& ctx, const TaskRequest& req, OutcomeFn done) {
  HttpRequest http = HttpTaskRequest(req.parameters);
  http.timeout = ctx->timeout;
  if (!req.on_http_exchange) {
    return ctx->http->Send(std::move(http),
                           [done = std::move(done)](HttpResult r) { done(HttpOutcome(r)); });
  }
  auto exchange = Sent(http);
  ctx->http->Send(std::move(http), [done = std::move(done), exchange = std::move(exchange),
                                    report = req.on_http_exchange](HttpResult r) mutable {
    Received(exchange, r);
    report(std::move(exchange));
    done(HttpOutcome(r));
  });
}

}  // namespace stepline::integrations
