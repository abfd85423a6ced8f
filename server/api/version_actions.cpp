// PublishStateMachineVersion, ListStateMachineVersions,
// DeleteStateMachineVersion, and the version helpers of versions.h.
#include <mutex>

#include "common/limits.h"
#include "server/api/actions.h"
#include "server/api/resources.h"
#include "server/api/versions.h"

namespace stepline::api {

Result<std::optional<storage::VersionRecord>> LatestVersion(const ApiContext& ctx,
                                                            const std::string& state_machine_arn) {
  storage::PageRequest page;
  page.max_results = 1;
  ASSIGN_OR_RETURN(storage::Page<storage::VersionRecord> versions,
                   ctx.deps.store->ListVersions(state_machine_arn, page));
  if (versions.items.empty()) return std::optional<storage::VersionRecord>();
  return std::optional<storage::VersionRecord>(versions.items.front());
}

namespace {

Result<size_t> CountVersions(const ApiContext& ctx, const std::string& state_machine_arn) {
  storage::PageRequest page;
  page.max_results = limits::kMaxResultsPerPage;
  ASSIGN_OR_RETURN(storage::Page<storage::VersionRecord> versions,
                   ctx.deps.store->ListVersions(state_machine_arn, page));
  return versions.next_token.empty() ? versions.items.size() : versions.items.size() + 1;
}

}  // namespace

Result<storage::VersionRecord> AddVersion(const ApiContext& ctx,
                                          storage::StateMachineRecord& machine,
                                          const std::string& description,
                                          storage::WriteBatch& batch) {
  ASSIGN_OR_RETURN(size_t count, CountVersions(ctx, machine.arn));
  if (count >= static_cast<size_t>(limits::kMaxVersionsPerStateMachine)) {
    return Status(ErrorCode::kServiceQuotaExceeded,
                  "Maximum number of versions per state machine reached: " +
                      std::to_string(limits::kMaxVersionsPerStateMachine));
  }
  if (!machine.attributes.is_object()) machine.attributes = Json::object();
  int64_t number = machine.attributes.value("lastVersionNumber", int64_t{0}) + 1;
  machine.attributes["lastVersionNumber"] = number;
  storage::VersionRecord version;
  version.arn = VersionArn(machine.arn, number);
  version.state_machine_arn = machine.arn;
  version.version = number;
  version.revision_id = machine.revision_id;
  version.description = description;
  version.creation_date = ctx.Now();
  batch.put_versions.push_back(version);
  return version;
}

namespace {

Result<Json> PublishStateMachineVersion(const ApiContext& ctx, const Json& request) {
  ASSIGN_OR_RETURN(ParsedArn arn,
                   RequiredArn(request, "stateMachineArn", {ArnKind::kStateMachine}));
  ConstraintErrors errors;
  ASSIGN_OR_RETURN(std::optional<std::string> revision_id, OptString(request, "revisionId"));
  ASSIGN_OR_RETURN(std::optional<std::string> description, OptString(request, "description"));
  if (description) errors.MaxLength("description", *description, 256);
  RETURN_IF_ERROR(errors.ToStatus());
  std::lock_guard<std::mutex> lock(*ctx.control_mu);
  ASSIGN_OR_RETURN(storage::StateMachineRecord machine, LoadStateMachine(ctx, arn.arn));
  if (machine.status == "DELETING") {
    return StateMachineDeleting(machine.arn);
  }
  bool initial = VisibleRevisionId(machine.attributes, machine.revision_id).empty();
  if (revision_id && *revision_id != machine.revision_id &&
      !(initial && *revision_id == "INITIAL")) {
    return Status(ErrorCode::kConflict,
                  "Failed to publish the State Machine version for revision " + *revision_id +
                      ". The current State Machine revision is " + machine.revision_id + ".");
  }
  ASSIGN_OR_RETURN(std::optional<storage::VersionRecord> latest, LatestVersion(ctx, machine.arn));
  if (latest && latest->revision_id == machine.revision_id) {
    return Json{{"creationDate", Timestamp(latest->creation_date)},
                {"stateMachineVersionArn", latest->arn}};
  }
  storage::WriteBatch batch;
  ASSIGN_OR_RETURN(storage::VersionRecord version,
                   AddVersion(ctx, machine, description.value_or(""), batch));
  batch.put_state_machines.push_back(machine);
  RETURN_IF_ERROR(ctx.deps.store->CommitAndWait(std::move(batch)));
  return Json{{"creationDate", Timestamp(version.creation_date)},
              {"stateMachineVersionArn", version.arn}};
}

Result<Json> ListStateMachineVersions(const ApiContext& ctx, const Json& request) {
  ASSIGN_OR_RETURN(ParsedArn arn,
                   RequiredArn(request, "stateMachineArn", {ArnKind::kStateMachine}));
  ConstraintErrors errors;
  ASSIGN_OR_RETURN(storage::PageRequest page, ReadPage(request, errors));
  RETURN_IF_ERROR(errors.ToStatus());
  ASSIGN_OR_RETURN(storage::StateMachineRecord machine, LoadStateMachine(ctx, arn.arn));
  ASSIGN_OR_RETURN(storage::Page<storage::VersionRecord> versions,
                   ctx.deps.store->ListVersions(machine.arn, page));
  Json items = Json::array();
  for (const storage::VersionRecord& version : versions.items) {
    items.push_back({{"stateMachineVersionArn", version.arn},
                     {"creationDate", Timestamp(version.creation_date)}});
  }
  Json out = {{"stateMachineVersions", std::move(items)}};
  if (!versions.next_token.empty()) out["nextToken"] = versions.next_token;
  return out;
}

// Aliases of the version's state machine whose routing names `version_arn`.
Result<std::vector<std::string>> AliasesRouting(const ApiContext& ctx,
                                                const std::string& state_machine_arn,
                                                const std::string& version_arn) {
  std::vector<std::string> names;
  storage::PageRequest page;
  page.max_results = limits::kMaxResultsPerPage;
  ASSIGN_OR_RETURN(storage::Page<storage::AliasRecord> aliases,
                   ctx.deps.store->ListAliases(state_machine_arn, page));
  for (const storage::AliasRecord& alias : aliases.items) {
    for (const Json& route : alias.routing_configuration) {
      if (route.value("stateMachineVersionArn", "") == version_arn) names.push_back(alias.arn);
    }
  }
  return names;
}

Result<Json> DeleteStateMachineVersion(const ApiContext& ctx, const Json& request) {
  ASSIGN_OR_RETURN(ParsedArn arn,
                   RequiredArn(request, "stateMachineVersionArn", {ArnKind::kVersion}, 2000));
  std::lock_guard<std::mutex> lock(*ctx.control_mu);
  ASSIGN_OR_RETURN(std::optional<storage::VersionRecord> version,
                   ctx.deps.store->GetVersion(arn.arn));
  if (!version) return Json::object();
  ASSIGN_OR_RETURN(std::vector<std::string> aliases,
                   AliasesRouting(ctx, version->state_machine_arn, arn.arn));
  if (!aliases.empty()) {
    std::string list;
    for (const std::string& alias : aliases) list += (list.empty() ? "" : ", ") + alias;
    return Status(ErrorCode::kConflict,
                  "Version to be deleted must not be referenced by an alias. Current list of "
                  "aliases referencing this version: [" +
                      list + "]");
  }
  storage::WriteBatch batch;
  batch.delete_versions.push_back(arn.arn);
  RETURN_IF_ERROR(ctx.deps.store->CommitAndWait(std::move(batch)));
  return Json::object();
}

}  // namespace

void RegisterVersionActions(ActionTable& table) {
  table["PublishStateMachineVersion"] = Sync(PublishStateMachineVersion);
  table["ListStateMachineVersions"] = Sync(ListStateMachineVersions);
  table["DeleteStateMachineVersion"] = Sync(DeleteStateMachineVersion);
}

}  // namespace stepline::api
