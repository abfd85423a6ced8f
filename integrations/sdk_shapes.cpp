#include "integrations/sdk_shapes.h"

#include <algorithm>
#include <cctype>

namespace stepline::integrations {

Json SdkHttpMetadata(int status, const HeaderList& headers) {
  Json all = Json::object();
  Json single = Json::object();
  for (const auto& [name, value] : headers) {
    all[name] = Json::array({value});
    single[name] = value;
  }
  return Json{{"AllHttpHeaders", all}, {"HttpHeaders", single}, {"HttpStatusCode", status}};
}

Json OptimizedResult(const Json& members, int status, const HeaderList& headers,
                     const std::string& request_id) {
  std::vector<std::pair<std::string, Json>> sorted;
  if (members.is_object()) {
    for (const auto& [k, v] : members.items()) sorted.emplace_back(k, v);
  }
  sorted.emplace_back("SdkHttpMetadata", SdkHttpMetadata(status, headers));
  sorted.emplace_back("SdkResponseMetadata", Json{{"RequestId", request_id}});
  std::sort(sorted.begin(), sorted.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  Json out = Json::object();
  for (auto& [k, v] : sorted) out[k] = std::move(v);
  return out;
}

std::pair<std::string, std::string> LambdaFunctionError(const std::string& payload,
                                                        LambdaCause form) {
  auto parsed = ParseJson(payload);
  std::string cause =
      parsed.ok() && form == LambdaCause::kReserialized ? DumpJson(*parsed) : payload;
  if (parsed.ok() && parsed->is_object() && parsed->contains("errorType") &&
      (*parsed)["errorType"].is_string()) {
    return {(*parsed)["errorType"].get<std::string>(), std::move(cause)};
  }
  return {"Lambda.Unknown", std::move(cause)};
}

Json RenameKeys(const Json& value, bool to_pascal) {
  if (value.is_array()) {
    Json out = Json::array();
    for (const Json& v : value) out.push_back(RenameKeys(v, to_pascal));
    return out;
  }
  if (!value.is_object()) return value;
  Json out = Json::object();
  for (const auto& [k, v] : value.items()) {
    std::string key = k;
    if (!key.empty()) {
      unsigned char c = static_cast<unsigned char>(key[0]);
      key[0] = static_cast<char>(to_pascal ? std::toupper(c) : std::tolower(c));
    }
    out[key] = RenameKeys(v, to_pascal);
  }
  return out;
}

}  // namespace stepline::integrations
