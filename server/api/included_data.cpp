#include "server/api/included_data.h"

#include <optional>

#include "engine/asl/references.h"
#include "server/api/validation.h"

namespace stepline::api {
namespace {

// True for METADATA_ONLY; false when absent or ALL_DATA.
Result<bool> MetadataOnly(const Json& request) {
  ASSIGN_OR_RETURN(std::optional<std::string> included, OptString(request, "includedData"));
  if (!included) return false;
  ConstraintErrors errors;
  errors.Enum("includedData", *included, {"ALL_DATA", "METADATA_ONLY"});
  RETURN_IF_ERROR(errors.ToStatus());
  return *included == "METADATA_ONLY";
}

}  // namespace

Status ApplyDefinitionData(const ApiContext& ctx, const Json& request,
                           const std::string& state_machine_arn, const std::string& revision_id,
                           bool express, Json& out) {
  ASSIGN_OR_RETURN(bool metadata_only, MetadataOnly(request));
  if (metadata_only) {
    out.erase("definition");
    return Status::Ok();
  }
  auto definition = out.find("definition");
  if (definition == out.end() || !definition->is_string()) return Status::Ok();
  auto machine = ctx.cache->GetOrParse(state_machine_arn, revision_id,
                                       definition->get<std::string>(), express);
  if (!machine.ok()) return Status::Ok();  // stored definitions were valid when stored
  auto references = asl::VariableReferences(**machine);
  if (references.empty()) return Status::Ok();
  Json refs = Json::object();
  for (const auto& [state, names] : references) refs[state] = names;
  out["variableReferences"] = std::move(refs);
  return Status::Ok();
}

Status ApplyExecutionData(const Json& request, Json& out) {
  ASSIGN_OR_RETURN(bool metadata_only, MetadataOnly(request));
  if (!metadata_only) return Status::Ok();
  for (const char* member : {"input", "inputDetails", "output", "outputDetails"}) {
    out.erase(member);
  }
  return Status::Ok();
}

}  // namespace stepline::api
