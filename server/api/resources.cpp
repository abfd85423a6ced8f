#include "server/api/resources.h"

#include "common/limits.h"
#include "common/timefmt.h"

namespace stepline::api {

Json Timestamp(EpochMillis t) { return EpochSeconds(t); }

Status StateMachineDoesNotExist(const std::string& arn) {
  return Status(ErrorCode::kStateMachineDoesNotExist,
                "State Machine Does Not Exist: '" + arn + "'");
}

Status ExecutionDoesNotExist(const std::string& arn) {
  return Status(ErrorCode::kExecutionDoesNotExist, "Execution Does Not Exist: '" + arn + "'");
}

Status StateMachineDeleting(const std::string& arn) {
  return Status(ErrorCode::kStateMachineDeleting, "State machine is being deleted: '" + arn + "'");
}

Status ResourceNotFound(const std::string& arn) {
  return Status(ErrorCode::kResourceNotFound, "Resource not found: '" + arn + "'").WithDetail(arn);
}

Result<storage::StateMachineRecord> LoadStateMachine(const ApiContext& ctx,
                                                     const std::string& arn) {
  ASSIGN_OR_RETURN(std::optional<storage::StateMachineRecord> record,
                   ctx.deps.store->GetStateMachine(arn));
  if (!record) return StateMachineDoesNotExist(arn);
  if (record->status == "DELETING") {
    // A deleted machine waits for its executions to close (DeleteStateMachine);
    // the first read after that completes the delete.
    ASSIGN_OR_RETURN(int64_t open, ctx.deps.store->CountOpenExecutions(arn));
    if (open == 0) {
      storage::WriteBatch batch;
      batch.delete_state_machines.push_back(arn);
      RETURN_IF_ERROR(ctx.deps.store->CommitAndWait(std::move(batch)));
      return StateMachineDoesNotExist(arn);
    }
  }
  return std::move(*record);
}

Result<storage::ExecutionRecord> LoadExecution(const ApiContext& ctx, const std::string& arn) {
  ASSIGN_OR_RETURN(std::optional<storage::ExecutionRecord> record,
                   ctx.deps.store->GetExecution(arn));
  if (!record) return ExecutionDoesNotExist(arn);
  return std::move(*record);
}

Result<ParsedArn> ParseExecutionArn(const std::string& arn) {
  return ParseArn(arn, {ArnKind::kExecution});
}

Result<ParsedArn> RequiredArn(const Json& request, const char* member,
                              std::initializer_list<ArnKind> allowed, size_t max_length) {
  ConstraintErrors errors;
  ASSIGN_OR_RETURN(std::string arn, RequiredString(request, member, errors));
  if (!errors.empty()) return errors.ToStatus();
  errors.MaxLength(member, arn, max_length);
  errors.MinLength(member, arn, 1);
  RETURN_IF_ERROR(errors.ToStatus());
  return ParseArn(arn, allowed);
}

Status TooManyTags(const std::string& resource_arn) {
  return Status(ErrorCode::kTooManyTags, "Too many tags: the resource can have at most " +
                                             std::to_string(limits::kMaxTagsPerResource) + " tags")
      .WithDetail(resource_arn);
}

Result<TagMap> ReadTags(const Json& request, const std::string& resource_arn) {
  TagMap tags;
  ASSIGN_OR_RETURN(const Json* list, OptArray(request, "tags"));
  if (list == nullptr) return tags;
  ConstraintErrors errors;
  for (size_t i = 0; i < list->size(); ++i) {
    const Json& tag = (*list)[i];
    if (!tag.is_object()) return Status(ErrorCode::kSerialization, "Unexpected tag entry");
    std::string at = "tags." + std::to_string(i + 1) + ".member.";
    ASSIGN_OR_RETURN(std::optional<std::string> key, OptString(tag, "key"));
    ASSIGN_OR_RETURN(std::optional<std::string> value, OptString(tag, "value"));
    if (key) errors.MinLength(at + "key", *key, 1);
    if (key) errors.MaxLength(at + "key", *key, 128);
    if (value) errors.MaxLength(at + "value", *value, 256);
    if (key) tags[*key] = value.value_or("");
  }
  RETURN_IF_ERROR(errors.ToStatus());
  if (list->size() > static_cast<size_t>(limits::kMaxTagsPerResource)) {
    return TooManyTags(resource_arn);
  }
  return tags;
}

Result<Json> ReadLoggingConfiguration(const Json& request) {
  ASSIGN_OR_RETURN(const Json* config, OptObject(request, "loggingConfiguration"));
  if (config == nullptr) return Json();
  ASSIGN_OR_RETURN(std::optional<std::string> level, OptString(*config, "level"));
  ASSIGN_OR_RETURN(std::optional<bool> include, OptBool(*config, "includeExecutionData"));
  ASSIGN_OR_RETURN(const Json* destinations, OptArray(*config, "destinations"));
  ConstraintErrors errors;
  if (level) {
    errors.Enum("loggingConfiguration.level", *level, {"ALL", "ERROR", "FATAL", "OFF"});
  }
  RETURN_IF_ERROR(errors.ToStatus());
  std::string effective = level.value_or("OFF");
  size_t count = destinations == nullptr ? 0 : destinations->size();
  if ((effective != "OFF" && count != 1) || count > 1) {
    return Status(ErrorCode::kInvalidLoggingConfiguration,
                  "Invalid Logging Configuration: Must specify exactly one Log Destination.");
  }
  Json out = {{"level", effective}, {"includeExecutionData", include.value_or(false)}};
  if (count > 0) out["destinations"] = *destinations;
  return out;
}

Result<Json> ReadTracingConfiguration(const Json& request) {
  ASSIGN_OR_RETURN(const Json* config, OptObject(request, "tracingConfiguration"));
  if (config == nullptr) return Json();
  ASSIGN_OR_RETURN(std::optional<bool> enabled, OptBool(*config, "enabled"));
  return Json{{"enabled", enabled.value_or(false)}};
}

Result<Json> ReadEncryptionConfiguration(const Json& request) {
  ASSIGN_OR_RETURN(const Json* config, OptObject(request, "encryptionConfiguration"));
  if (config == nullptr) return Json();
  ASSIGN_OR_RETURN(std::optional<std::string> type, OptString(*config, "type"));
  ASSIGN_OR_RETURN(std::optional<std::string> key, OptString(*config, "kmsKeyId"));
  ASSIGN_OR_RETURN(std::optional<int64_t> reuse, OptInt(*config, "kmsDataKeyReusePeriodSeconds"));
  ConstraintErrors errors;
  if (!type) errors.NotNull("encryptionConfiguration.type");
  if (type) {
    errors.Enum("encryptionConfiguration.type", *type,
                {"AWS_OWNED_KEY", "CUSTOMER_MANAGED_KMS_KEY"});
  }
  if (reuse) errors.Range("encryptionConfiguration.kmsDataKeyReusePeriodSeconds", *reuse, 60, 900);
  RETURN_IF_ERROR(errors.ToStatus());
  if (*type == "CUSTOMER_MANAGED_KMS_KEY" && !key) {
    return Status(ErrorCode::kInvalidEncryptionConfiguration,
                  "Invalid Encryption Configuration: kmsKeyId is required for "
                  "CUSTOMER_MANAGED_KMS_KEY");
  }
  Json out = {{"type", *type}};
  if (key) out["kmsKeyId"] = *key;
  if (reuse) out["kmsDataKeyReusePeriodSeconds"] = *reuse;
  return out;
}

std::string VisibleRevisionId(const Json& machine_attributes, const std::string& revision_id) {
  if (machine_attributes.is_object() &&
      machine_attributes.value("initialRevisionId", "") == revision_id) {
    return "";
  }
  return revision_id;
}

Json LoggingConfigurationOf(const Json& attributes) {
  if (attributes.is_object() && attributes.contains("loggingConfiguration")) {
    return attributes["loggingConfiguration"];
  }
  return Json{{"level", "OFF"}, {"includeExecutionData", false}};
}

Json TracingConfigurationOf(const Json& attributes) {
  if (attributes.is_object() && attributes.contains("tracingConfiguration")) {
    return attributes["tracingConfiguration"];
  }
  return Json{{"enabled", false}};
}

}  // namespace stepline::api
