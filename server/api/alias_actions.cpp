// CreateStateMachineAlias, DescribeStateMachineAlias, UpdateStateMachineAlias,
// DeleteStateMachineAlias, ListStateMachineAliases.
#include <mutex>
#include <set>

#include "common/limits.h"
#include "server/api/actions.h"
#include "server/api/resources.h"

namespace stepline::api {
namespace {

using storage::AliasRecord;

Status RoutingError(const std::string& message) {
  return ValidationError(message, "INVALID_ROUTING_CONFIGURATION");
}

// Checks one routing entry's shape and weight; returns its version ARN.
Result<ParsedArn> ReadRoute(const Json& route, size_t index, ConstraintErrors& errors) {
  if (!route.is_object()) return Status(ErrorCode::kSerialization, "Unexpected routing entry");
  std::string at = "routingConfiguration." + std::to_string(index + 1) + ".member.";
  ASSIGN_OR_RETURN(std::string arn, RequiredString(route, "stateMachineVersionArn", errors));
  ASSIGN_OR_RETURN(std::optional<int64_t> weight, OptInt(route, "weight"));
  if (!weight) errors.NotNull(at + "weight");
  if (weight) errors.Range(at + "weight", *weight, 0, 100);
  RETURN_IF_ERROR(errors.ToStatus());
  return ParseArn(arn, {ArnKind::kVersion});
}

// Validates a routing configuration; returns the state machine it routes to.
Result<std::string> CheckRouting(const ApiContext& ctx, const Json& routing) {
  ConstraintErrors errors;
  if (routing.empty() || routing.size() > 2) {
    errors.Add("", "routingConfiguration",
               "Member must have length less than or equal to 2 and greater than or equal to 1");
    return errors.ToStatus();
  }
  std::set<std::string> versions, machines;
  int64_t total = 0;
  for (size_t i = 0; i < routing.size(); ++i) {
    ASSIGN_OR_RETURN(ParsedArn version, ReadRoute(routing[i], i, errors));
    versions.insert(version.arn);
    machines.insert(version.StateMachineArn());
    total += routing[i].value("weight", int64_t{0});
    ASSIGN_OR_RETURN(std::optional<storage::VersionRecord> stored,
                     ctx.deps.store->GetVersion(version.arn));
    if (!stored) return ResourceNotFound(version.arn);
  }
  if (versions.size() != routing.size()) {
    return RoutingError("Routing configuration must contain distinct state machine version ARNs");
  }
  if (machines.size() != 1) {
    return RoutingError(
        "Routing configuration must contain state machine version ARNs of the same state machine");
  }
  if (total != 100)
    return RoutingError("Sum of routing configuration weights must be equal to 100");
  return *machines.begin();
}

Result<std::optional<std::string>> ReadDescription(const Json& request) {
  ASSIGN_OR_RETURN(std::optional<std::string> description, OptString(request, "description"));
  ConstraintErrors errors;
  if (description) errors.MaxLength("description", *description, 256, true);
  RETURN_IF_ERROR(errors.ToStatus());
  return description;
}

Result<Json> CreateStateMachineAlias(const ApiContext& ctx, const Json& request) {
  ConstraintErrors errors;
  ASSIGN_OR_RETURN(std::string name, RequiredString(request, "name", errors));
  ASSIGN_OR_RETURN(const Json* routing, OptArray(request, "routingConfiguration"));
  if (routing == nullptr) errors.NotNull("routingConfiguration");
  RETURN_IF_ERROR(errors.ToStatus());
  ASSIGN_OR_RETURN(std::optional<std::string> description, ReadDescription(request));
  if (!IsValidAliasName(name)) {
    return Status(ErrorCode::kInvalidName, "Invalid Name: '" + name + "'");
  }
  std::lock_guard<std::mutex> lock(*ctx.control_mu);
  ASSIGN_OR_RETURN(std::string machine_arn, CheckRouting(ctx, *routing));
  ASSIGN_OR_RETURN(storage::StateMachineRecord machine, LoadStateMachine(ctx, machine_arn));
  if (machine.status == "DELETING") {
    return StateMachineDeleting(machine.arn);
  }
  std::string arn = AliasArn(machine_arn, name);
  ASSIGN_OR_RETURN(std::optional<AliasRecord> existing, ctx.deps.store->GetAlias(arn));
  if (existing) {
    if (existing->routing_configuration != *routing ||
        existing->description != description.value_or("")) {
      return Status(ErrorCode::kConflict,
                    "Failed to create alias because an alias with the same name and a different "
                    "routing configuration already exists.");
    }
    return Json{{"stateMachineAliasArn", arn},
                {"creationDate", Timestamp(existing->creation_date)}};
  }
  storage::PageRequest page;
  page.max_results = limits::kMaxAliasesPerStateMachine;
  ASSIGN_OR_RETURN(storage::Page<AliasRecord> aliases,
                   ctx.deps.store->ListAliases(machine_arn, page));
  if (!aliases.next_token.empty() ||
      aliases.items.size() >= static_cast<size_t>(limits::kMaxAliasesPerStateMachine)) {
    return Status(ErrorCode::kServiceQuotaExceeded,
                  "Maximum number of aliases per state machine reached: " +
                      std::to_string(limits::kMaxAliasesPerStateMachine));
  }
  AliasRecord alias;
  alias.arn = arn;
  alias.state_machine_arn = machine_arn;
  alias.name = name;
  alias.description = description.value_or("");
  alias.routing_configuration = *routing;
  alias.creation_date = alias.update_date = ctx.Now();
  storage::WriteBatch batch;
  batch.put_aliases.push_back(alias);
  RETURN_IF_ERROR(ctx.deps.store->CommitAndWait(std::move(batch)));
  return Json{{"stateMachineAliasArn", arn}, {"creationDate", Timestamp(alias.creation_date)}};
}

Result<AliasRecord> LoadAlias(const ApiContext& ctx, const Json& request) {
  ASSIGN_OR_RETURN(ParsedArn arn, RequiredArn(request, "stateMachineAliasArn", {ArnKind::kAlias}));
  ASSIGN_OR_RETURN(std::optional<AliasRecord> alias, ctx.deps.store->GetAlias(arn.arn));
  if (!alias) return ResourceNotFound(arn.arn);
  return std::move(*alias);
}

Result<Json> DescribeStateMachineAlias(const ApiContext& ctx, const Json& request) {
  ASSIGN_OR_RETURN(AliasRecord alias, LoadAlias(ctx, request));
  Json out = {{"stateMachineAliasArn", alias.arn}, {"name", alias.name}};
  if (!alias.description.empty()) out["description"] = alias.description;
  out["routingConfiguration"] = alias.routing_configuration;
  out["creationDate"] = Timestamp(alias.creation_date);
  out["updateDate"] = Timestamp(alias.update_date);
  return out;
}

Result<Json> UpdateStateMachineAlias(const ApiContext& ctx, const Json& request) {
  ASSIGN_OR_RETURN(std::optional<std::string> description, ReadDescription(request));
  ASSIGN_OR_RETURN(const Json* routing, OptArray(request, "routingConfiguration"));
  std::lock_guard<std::mutex> lock(*ctx.control_mu);
  ASSIGN_OR_RETURN(AliasRecord alias, LoadAlias(ctx, request));
  if (!description && routing == nullptr) {
    return ValidationError("Either the description or the RoutingConfiguration must be specified",
                           "MISSING_REQUIRED_PARAMETER");
  }
  if (routing != nullptr) {
    ASSIGN_OR_RETURN(std::string machine_arn, CheckRouting(ctx, *routing));
    if (machine_arn != alias.state_machine_arn) {
      return RoutingError(
          "Routing configuration must contain state machine version ARNs of the alias's state "
          "machine");
    }
    alias.routing_configuration = *routing;
  }
  if (description) alias.description = *description;
  alias.update_date = ctx.Now();
  storage::WriteBatch batch;
  batch.put_aliases.push_back(alias);
  RETURN_IF_ERROR(ctx.deps.store->CommitAndWait(std::move(batch)));
  return Json{{"updateDate", Timestamp(alias.update_date)}};
}

Result<Json> DeleteStateMachineAlias(const ApiContext& ctx, const Json& request) {
  std::lock_guard<std::mutex> lock(*ctx.control_mu);
  ASSIGN_OR_RETURN(AliasRecord alias, LoadAlias(ctx, request));
  storage::WriteBatch batch;
  batch.delete_aliases.push_back(alias.arn);
  RETURN_IF_ERROR(ctx.deps.store->CommitAndWait(std::move(batch)));
  return Json::object();
}

Result<Json> ListStateMachineAliases(const ApiContext& ctx, const Json& request) {
  ASSIGN_OR_RETURN(ParsedArn arn,
                   RequiredArn(request, "stateMachineArn", {ArnKind::kStateMachine}));
  ConstraintErrors errors;
  ASSIGN_OR_RETURN(storage::PageRequest page, ReadPage(request, errors));
  RETURN_IF_ERROR(errors.ToStatus());
  ASSIGN_OR_RETURN(storage::StateMachineRecord machine, LoadStateMachine(ctx, arn.arn));
  ASSIGN_OR_RETURN(storage::Page<AliasRecord> aliases,
                   ctx.deps.store->ListAliases(machine.arn, page));
  Json items = Json::array();
  for (const AliasRecord& alias : aliases.items) {
    items.push_back(
        {{"stateMachineAliasArn", alias.arn}, {"creationDate", Timestamp(alias.creation_date)}});
  }
  Json out = {{"stateMachineAliases", std::move(items)}};
  if (!aliases.next_token.empty()) out["nextToken"] = aliases.next_token;
  return out;
}

}  // namespace

void RegisterAliasActions(ActionTable& table) {
  table["CreateStateMachineAlias"] = Sync(CreateStateMachineAlias);
  table["DescribeStateMachineAlias"] = Sync(DescribeStateMachineAlias);
  table["UpdateStateMachineAlias"] = Sync(UpdateStateMachineAlias);
  table["DeleteStateMachineAlias"] = Sync(DeleteStateMachineAlias);
  table["ListStateMachineAliases"] = Sync(ListStateMachineAliases);
}

}  // namespace stepline::api
