// CreateStateMachine, DescribeStateMachine, UpdateStateMachine,
// DeleteStateMachine, ListStateMachines.
#include <mutex>

#include "common/ids.h"
#include "common/limits.h"
#include "engine/asl/parser.h"
#include "server/api/actions.h"
#include "server/api/included_data.h"
#include "server/api/resources.h"
#include "server/api/versions.h"

namespace stepline::api {
namespace {

using storage::StateMachineRecord;

// Everything CreateStateMachine reads from its request.
struct CreateRequest {
  std::string name, definition, role_arn, type = "STANDARD";
  std::optional<std::string> version_description;
  bool publish = false;
  Json attributes = Json::object();  // normalised configurations
  std::map<std::string, std::string> tags;
};

Status CheckRoleArn(const std::string& role_arn) {
  if (IsValidRoleArn(role_arn)) return Status::Ok();
  return Status(ErrorCode::kInvalidArn, "Invalid Role Arn: '" + role_arn + "'");
}

// Reads logging/tracing/encryption into `attributes` (only those given).
Status ReadConfigurations(const Json& request, Json& attributes) {
  ASSIGN_OR_RETURN(Json logging, ReadLoggingConfiguration(request));
  ASSIGN_OR_RETURN(Json tracing, ReadTracingConfiguration(request));
  ASSIGN_OR_RETURN(Json encryption, ReadEncryptionConfiguration(request));
  if (!logging.is_null()) attributes["loggingConfiguration"] = logging;
  if (!tracing.is_null()) attributes["tracingConfiguration"] = tracing;
  if (!encryption.is_null()) attributes["encryptionConfiguration"] = encryption;
  return Status::Ok();
}

Status CheckVersionDescription(const std::optional<std::string>& description, bool publish) {
  if (description && !publish) {
    return ValidationError("Version description can only be set when publish is true");
  }
  return Status::Ok();
}

Result<CreateRequest> ReadCreateRequest(const Json& request) {
  CreateRequest out;
  ConstraintErrors errors;
  ASSIGN_OR_RETURN(out.name, RequiredString(request, "name", errors));
  ASSIGN_OR_RETURN(out.definition, RequiredString(request, "definition", errors));
  ASSIGN_OR_RETURN(out.role_arn, RequiredString(request, "roleArn", errors));
  ASSIGN_OR_RETURN(std::optional<std::string> type, OptString(request, "type"));
  ASSIGN_OR_RETURN(std::optional<bool> publish, OptBool(request, "publish"));
  ASSIGN_OR_RETURN(out.version_description, OptString(request, "versionDescription"));
  errors.MaxLength("definition", out.definition, limits::kMaxDefinitionBytes, true);
  errors.MaxLength("roleArn", out.role_arn, limits::kMaxArnLength);
  if (type) errors.Enum("type", *type, {"STANDARD", "EXPRESS"});
  if (out.version_description) {
    errors.MaxLength("versionDescription", *out.version_description, 256);
  }
  RETURN_IF_ERROR(errors.ToStatus());
  if (type) out.type = *type;
  out.publish = publish.value_or(false);
  RETURN_IF_ERROR(CheckName(out.name));
  RETURN_IF_ERROR(CheckRoleArn(out.role_arn));
  RETURN_IF_ERROR(CheckVersionDescription(out.version_description, out.publish));
  RETURN_IF_ERROR(ReadConfigurations(request, out.attributes));
  return out;
}

Result<DefinitionCache::Machine> ParseFor(const std::string& definition, const std::string& type) {
  asl::ParseOptions options;
  options.express = type == "EXPRESS";
  return asl::ParseDefinition(definition, options);
}

// Configuration members that make two state machines "the same" for idempotency.
bool SameConfiguration(const StateMachineRecord& existing, const CreateRequest& request) {
  auto encryption = [](const Json& attributes) {
    return attributes.is_object() && attributes.contains("encryptionConfiguration")
               ? attributes["encryptionConfiguration"]
               : Json();
  };
  return existing.definition == request.definition && existing.role_arn == request.role_arn &&
         existing.type == request.type &&
         LoggingConfigurationOf(existing.attributes) ==
             LoggingConfigurationOf(request.attributes) &&
         TracingConfigurationOf(existing.attributes) ==
             TracingConfigurationOf(request.attributes) &&
         encryption(existing.attributes) == encryption(request.attributes);
}

// The idempotent answer to a repeated CreateStateMachine, or the conflict.
Result<Json> RepeatedCreate(const ApiContext& ctx, const StateMachineRecord& existing,
                            const CreateRequest& request) {
  if (existing.status == "DELETING") return StateMachineDeleting(existing.arn);
  if (!SameConfiguration(existing, request)) {
    return Status(ErrorCode::kStateMachineAlreadyExists,
                  "State Machine Already Exists: '" + existing.arn + "'");
  }
  Json out = {{"stateMachineArn", existing.arn},
              {"creationDate", Timestamp(existing.creation_date)}};
  if (request.publish) {
    ASSIGN_OR_RETURN(std::optional<storage::VersionRecord> latest,
                     LatestVersion(ctx, existing.arn));
    if (latest) out["stateMachineVersionArn"] = latest->arn;
  }
  return out;
}

storage::RevisionRecord RevisionOf(const StateMachineRecord& machine, EpochMillis now) {
  storage::RevisionRecord revision;
  revision.state_machine_arn = machine.arn;
  revision.revision_id = machine.revision_id;
  revision.definition = machine.definition;
  revision.role_arn = machine.role_arn;
  revision.creation_date = now;
  revision.attributes = machine.attributes;
  return revision;
}

Result<Json> CreateStateMachine(const ApiContext& ctx, const Json& request) {
  ASSIGN_OR_RETURN(CreateRequest create, ReadCreateRequest(request));
  std::string arn = StateMachineArn(ctx.deps.region, ctx.deps.account, create.name);
  ASSIGN_OR_RETURN(create.tags, ReadTags(request, arn));
  ASSIGN_OR_RETURN(DefinitionCache::Machine parsed, ParseFor(create.definition, create.type));
  std::lock_guard<std::mutex> lock(*ctx.control_mu);
  ASSIGN_OR_RETURN(std::optional<StateMachineRecord> existing,
                   ctx.deps.store->GetStateMachine(arn));
  if (existing) return RepeatedCreate(ctx, *existing, create);

  StateMachineRecord machine;
  machine.arn = arn;
  machine.name = create.name;
  machine.type = create.type;
  machine.definition = create.definition;
  machine.role_arn = create.role_arn;
  machine.revision_id = NewUuid();
  machine.creation_date = machine.update_date = ctx.Now();
  machine.attributes = create.attributes;
  machine.attributes["initialRevisionId"] = machine.revision_id;
  storage::WriteBatch batch;
  batch.put_revisions.push_back(RevisionOf(machine, machine.creation_date));
  Json out = {{"stateMachineArn", arn}, {"creationDate", Timestamp(machine.creation_date)}};
  if (create.publish) {
    ASSIGN_OR_RETURN(storage::VersionRecord version,
                     AddVersion(ctx, machine, create.version_description.value_or(""), batch));
    out["stateMachineVersionArn"] = version.arn;
  }
  batch.put_state_machines.push_back(machine);
  if (!create.tags.empty()) batch.put_tags[arn] = create.tags;
  RETURN_IF_ERROR(ctx.deps.store->CommitAndWait(std::move(batch)));
  ctx.cache->Put(arn, machine.revision_id, parsed);
  return out;
}

// Rejects version, alias and labeled ARNs where only a state machine ARN is taken.
Status RequireUnqualified(const ParsedArn& arn) {
  if (arn.kind == ArnKind::kLabeled) {
    return ValidationError("Invalid Arn: 'This API does not support labeled ARNs: " + arn.arn + "'",
                           "API_DOES_NOT_SUPPORT_LABELED_ARNS");
  }
  if (arn.kind != ArnKind::kStateMachine) {
    return Status(ErrorCode::kInvalidArn,
                  "Invalid Arn: 'Qualified state machine ARNs are not valid in this context: " +
                      arn.arn + "'");
  }
  return Status::Ok();
}

Json DescribeBody(const std::string& arn, const StateMachineRecord& machine,
                  const std::string& definition, const std::string& role_arn,
                  const Json& attributes, EpochMillis creation_date,
                  const std::string& revision_id) {
  Json out = {{"stateMachineArn", arn},
              {"name", machine.name},
              {"status", machine.status},
              {"definition", definition},
              {"roleArn", role_arn},
              {"type", machine.type},
              {"creationDate", Timestamp(creation_date)},
              {"loggingConfiguration", LoggingConfigurationOf(attributes)},
              {"tracingConfiguration", TracingConfigurationOf(attributes)}};
  if (!revision_id.empty()) out["revisionId"] = revision_id;
  if (attributes.is_object() && attributes.contains("encryptionConfiguration")) {
    out["encryptionConfiguration"] = attributes["encryptionConfiguration"];
  }
  return out;
}

Result<Json> DescribeVersion(const ApiContext& ctx, const Json& request, const ParsedArn& arn) {
  ASSIGN_OR_RETURN(std::optional<storage::VersionRecord> version,
                   ctx.deps.store->GetVersion(arn.arn));
  if (!version) return StateMachineDoesNotExist(arn.arn);
  ASSIGN_OR_RETURN(StateMachineRecord machine, LoadStateMachine(ctx, arn.StateMachineArn()));
  ASSIGN_OR_RETURN(std::optional<storage::RevisionRecord> revision,
                   ctx.deps.store->GetRevision(machine.arn, version->revision_id));
  if (!revision) return Status(ErrorCode::kInternal, "revision of " + arn.arn + " is missing");
  Json out = DescribeBody(arn.arn, machine, revision->definition, revision->role_arn,
                          revision->attributes, version->creation_date,
                          VisibleRevisionId(machine.attributes, version->revision_id));
  if (!version->description.empty()) out["description"] = version->description;
  RETURN_IF_ERROR(ApplyDefinitionData(ctx, request, machine.arn, version->revision_id,
                                      machine.type == "EXPRESS", out));
  return out;
}

Result<Json> DescribeStateMachine(const ApiContext& ctx, const Json& request) {
  ASSIGN_OR_RETURN(ParsedArn arn, RequiredArn(request, "stateMachineArn",
                                              {ArnKind::kStateMachine, ArnKind::kVersion,
                                               ArnKind::kAlias, ArnKind::kLabeled}));
  if (arn.kind == ArnKind::kVersion) return DescribeVersion(ctx, request, arn);
  if (arn.kind == ArnKind::kLabeled) RETURN_IF_ERROR(RequireUnqualified(arn));
  if (arn.kind == ArnKind::kAlias) return StateMachineDoesNotExist(arn.arn);
  ASSIGN_OR_RETURN(StateMachineRecord machine, LoadStateMachine(ctx, arn.arn));
  Json out = DescribeBody(machine.arn, machine, machine.definition, machine.role_arn,
                          machine.attributes, machine.creation_date,
                          VisibleRevisionId(machine.attributes, machine.revision_id));
  RETURN_IF_ERROR(ApplyDefinitionData(ctx, request, machine.arn, machine.revision_id,
                                      machine.type == "EXPRESS", out));
  return out;
}

// The members UpdateStateMachine may change.
struct UpdateRequest {
  std::optional<std::string> definition, role_arn, version_description;
  bool publish = false;
  Json attributes = Json::object();
};

Result<UpdateRequest> ReadUpdateRequest(const Json& request) {
  UpdateRequest out;
  ConstraintErrors errors;
  ASSIGN_OR_RETURN(out.definition, OptString(request, "definition"));
  ASSIGN_OR_RETURN(out.role_arn, OptString(request, "roleArn"));
  ASSIGN_OR_RETURN(std::optional<bool> publish, OptBool(request, "publish"));
  ASSIGN_OR_RETURN(out.version_description, OptString(request, "versionDescription"));
  if (out.definition)
    errors.MaxLength("definition", *out.definition, limits::kMaxDefinitionBytes, true);
  if (out.role_arn) errors.MaxLength("roleArn", *out.role_arn, limits::kMaxArnLength);
  if (out.version_description) {
    errors.MaxLength("versionDescription", *out.version_description, 256);
  }
  RETURN_IF_ERROR(errors.ToStatus());
  out.publish = publish.value_or(false);
  RETURN_IF_ERROR(ReadConfigurations(request, out.attributes));
  if (!out.definition && !out.role_arn && !out.attributes.contains("loggingConfiguration") &&
      !out.attributes.contains("tracingConfiguration") &&
      !out.attributes.contains("encryptionConfiguration")) {
    return Status(ErrorCode::kMissingRequiredParameter,
                  "Either the definition, the role ARN, the LoggingConfiguration, or the "
                  "TracingConfiguration must be specified");
  }
  if (out.role_arn) RETURN_IF_ERROR(CheckRoleArn(*out.role_arn));
  RETURN_IF_ERROR(CheckVersionDescription(out.version_description, out.publish));
  return out;
}

// Applies `update` to `machine`; true when anything changed.
bool ApplyUpdate(const UpdateRequest& update, StateMachineRecord& machine) {
  StateMachineRecord before = machine;
  if (update.definition) machine.definition = *update.definition;
  if (update.role_arn) machine.role_arn = *update.role_arn;
  if (!machine.attributes.is_object()) machine.attributes = Json::object();
  for (const auto& [key, value] : update.attributes.items()) machine.attributes[key] = value;
  return machine.definition != before.definition || machine.role_arn != before.role_arn ||
         machine.attributes != before.attributes;
}

Result<Json> UpdateStateMachine(const ApiContext& ctx, const Json& request) {
  ASSIGN_OR_RETURN(ParsedArn arn, RequiredArn(request, "stateMachineArn",
                                              {ArnKind::kStateMachine, ArnKind::kVersion,
                                               ArnKind::kAlias, ArnKind::kLabeled}));
  RETURN_IF_ERROR(RequireUnqualified(arn));
  ASSIGN_OR_RETURN(UpdateRequest update, ReadUpdateRequest(request));
  std::lock_guard<std::mutex> lock(*ctx.control_mu);
  ASSIGN_OR_RETURN(StateMachineRecord machine, LoadStateMachine(ctx, arn.arn));
  if (machine.status == "DELETING") return StateMachineDeleting(machine.arn);
  DefinitionCache::Machine parsed;
  if (update.definition) {
    ASSIGN_OR_RETURN(parsed, ParseFor(*update.definition, machine.type));
  }
  storage::WriteBatch batch;
  machine.update_date = ctx.Now();
  if (ApplyUpdate(update, machine)) {
    machine.revision_id = NewUuid();
    batch.put_revisions.push_back(RevisionOf(machine, machine.update_date));
  }
  Json out = {{"updateDate", Timestamp(machine.update_date)}, {"revisionId", machine.revision_id}};
  if (update.publish) {
    ASSIGN_OR_RETURN(std::optional<storage::VersionRecord> latest, LatestVersion(ctx, machine.arn));
    if (latest && latest->revision_id == machine.revision_id) {
      out["stateMachineVersionArn"] = latest->arn;
    } else {
      ASSIGN_OR_RETURN(storage::VersionRecord version,
                       AddVersion(ctx, machine, update.version_description.value_or(""), batch));
      out["stateMachineVersionArn"] = version.arn;
    }
  }
  batch.put_state_machines.push_back(machine);
  RETURN_IF_ERROR(ctx.deps.store->CommitAndWait(std::move(batch)));
  if (parsed) ctx.cache->Put(machine.arn, machine.revision_id, parsed);
  return out;
}

Result<Json> DeleteStateMachine(const ApiContext& ctx, const Json& request) {
  ASSIGN_OR_RETURN(ParsedArn arn, RequiredArn(request, "stateMachineArn",
                                              {ArnKind::kStateMachine, ArnKind::kVersion,
                                               ArnKind::kAlias, ArnKind::kLabeled}));
  RETURN_IF_ERROR(RequireUnqualified(arn));
  std::lock_guard<std::mutex> lock(*ctx.control_mu);
  ASSIGN_OR_RETURN(std::optional<StateMachineRecord> machine,
                   ctx.deps.store->GetStateMachine(arn.arn));
  if (!machine) return Json::object();  // deleting twice succeeds, as on AWS
  ASSIGN_OR_RETURN(int64_t open, ctx.deps.store->CountOpenExecutions(arn.arn));
  storage::WriteBatch batch;
  if (open > 0) {
    // AWS keeps the machine DELETING until its executions close; see
    // FinishPendingDelete.
    machine->status = "DELETING";
    batch.put_state_machines.push_back(*machine);
  } else {
    batch.delete_state_machines.push_back(arn.arn);
  }
  RETURN_IF_ERROR(ctx.deps.store->CommitAndWait(std::move(batch)));
  return Json::object();
}

Result<Json> ListStateMachines(const ApiContext& ctx, const Json& request) {
  ConstraintErrors errors;
  ASSIGN_OR_RETURN(storage::PageRequest page, ReadPage(request, errors));
  RETURN_IF_ERROR(errors.ToStatus());
  ASSIGN_OR_RETURN(storage::Page<StateMachineRecord> result,
                   ctx.deps.store->ListStateMachines(page));
  Json items = Json::array();
  for (const StateMachineRecord& machine : result.items) {
    items.push_back({{"stateMachineArn", machine.arn},
                     {"name", machine.name},
                     {"type", machine.type},
                     {"creationDate", Timestamp(machine.creation_date)}});
  }
  Json out = {{"stateMachines", std::move(items)}};
  if (!result.next_token.empty()) out["nextToken"] = result.next_token;
  return out;
}

}  // namespace

void RegisterStateMachineActions(ActionTable& table) {
  table["CreateStateMachine"] = Sync(CreateStateMachine);
  table["DescribeStateMachine"] = Sync(DescribeStateMachine);
  table["UpdateStateMachine"] = Sync(UpdateStateMachine);
  table["DeleteStateMachine"] = Sync(DeleteStateMachine);
  table["ListStateMachines"] = Sync(ListStateMachines);
}

}  // namespace stepline::api
