// ValidateStateMachineDefinition: the parser's diagnostics, HTTP 200 even
// when the result is FAIL.
#include "common/limits.h"
#include "engine/asl/parser.h"
#include "server/api/actions.h"
#include "server/api/resources.h"

namespace stepline::api {
namespace {

Result<Json> ValidateStateMachineDefinition(const ApiContext& ctx, const Json& request) {
  ConstraintErrors errors;
  ASSIGN_OR_RETURN(std::string definition, RequiredString(request, "definition", errors));
  ASSIGN_OR_RETURN(std::optional<std::string> type, OptString(request, "type"));
  ASSIGN_OR_RETURN(std::optional<std::string> severity, OptString(request, "severity"));
  ASSIGN_OR_RETURN(std::optional<int64_t> max_results, OptInt(request, "maxResults"));
  errors.MaxLength("definition", definition, limits::kMaxDefinitionBytes, true);
  if (type) errors.Enum("type", *type, {"STANDARD", "EXPRESS"});
  if (severity) errors.Enum("severity", *severity, {"ERROR", "WARNING"});
  if (max_results) errors.Range("maxResults", *max_results, 0, 100);
  RETURN_IF_ERROR(errors.ToStatus());
  asl::ParseOptions options;
  options.express = type.value_or("STANDARD") == "EXPRESS";
  std::vector<asl::Diagnostic> diagnostics = asl::ValidateDefinition(definition, options);
  bool warnings = severity.value_or("ERROR") == "WARNING";
  size_t limit = max_results && *max_results > 0 ? static_cast<size_t>(*max_results) : 100;
  Json items = Json::array();
  bool failed = false, truncated = false;
  for (const asl::Diagnostic& diagnostic : diagnostics) {
    bool is_error = diagnostic.severity == "ERROR";
    failed = failed || is_error;
    if (!is_error && !warnings) continue;
    if (items.size() == limit) {
      truncated = true;
      continue;
    }
    Json item = {{"severity", diagnostic.severity},
                 {"code", diagnostic.code},
                 {"message", diagnostic.message}};
    if (!diagnostic.location.empty()) item["location"] = diagnostic.location;
    items.push_back(std::move(item));
  }
  return Json{{"result", failed ? "FAIL" : "OK"},
              {"diagnostics", std::move(items)},
              {"truncated", truncated}};
}

}  // namespace

void RegisterValidateActions(ActionTable& table) {
  table["ValidateStateMachineDefinition"] = Sync(ValidateStateMachineDefinition);
}

}  // namespace stepline::api
