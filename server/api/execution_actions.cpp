// DescribeExecution, StopExecution, ListExecutions,
// DescribeStateMachineForExecution.
#include "common/limits.h"
#include "engine/runtime/engine.h"
#include "server/api/actions.h"
#include "server/api/included_data.h"
#include "server/api/redrive.h"
#include "server/api/resources.h"

namespace stepline::api {
namespace {

using storage::ExecutionRecord;

// redriveStatus and, when not redrivable, redriveStatusReason.
void AddRedriveStatus(const ApiContext& ctx, const ExecutionRecord& record, Json& out) {
  std::optional<std::string> refusal = RedriveRefusal(record, ctx.Now());
  if (!refusal && !record.map_run_arn.empty()) {
    out["redriveStatus"] = "REDRIVABLE_BY_MAP_RUN";
  } else if (!refusal) {
    out["redriveStatus"] = "REDRIVABLE";
  } else {
    out["redriveStatus"] = "NOT_REDRIVABLE";
    out["redriveStatusReason"] = *refusal;
  }
}

Json DescribeBody(const ApiContext& ctx, const ExecutionRecord& record) {
  Json out = {{"executionArn", record.arn},
              {"stateMachineArn", record.state_machine_arn},
              {"name", record.name},
              {"status", record.status},
              {"startDate", Timestamp(record.start_date)}};
  if (record.stop_date) out["stopDate"] = Timestamp(*record.stop_date);
  out["input"] = record.input;
  out["inputDetails"] = {{"included", true}};
  if (record.output) {
    out["output"] = *record.output;
    out["outputDetails"] = {{"included", true}};
  }
  if (record.error) out["error"] = *record.error;
  if (record.cause) out["cause"] = *record.cause;
  if (!record.trace_header.empty()) out["traceHeader"] = record.trace_header;
  if (!record.map_run_arn.empty()) out["mapRunArn"] = record.map_run_arn;
  if (!record.state_machine_version_arn.empty()) {
    out["stateMachineVersionArn"] = record.state_machine_version_arn;
  }
  if (!record.state_machine_alias_arn.empty()) {
    out["stateMachineAliasArn"] = record.state_machine_alias_arn;
  }
  out["redriveCount"] = record.redrive_count;
  if (record.redrive_date) out["redriveDate"] = Timestamp(*record.redrive_date);
  AddRedriveStatus(ctx, record, out);
  return out;
}

Result<Json> DescribeExecution(const ApiContext& ctx, const Json& request) {
  ASSIGN_OR_RETURN(ParsedArn arn, RequiredArn(request, "executionArn", {ArnKind::kExecution}));
  ASSIGN_OR_RETURN(ExecutionRecord record, LoadExecution(ctx, arn.arn));
  Json out = DescribeBody(ctx, record);
  RETURN_IF_ERROR(ApplyExecutionData(request, out));
  return out;
}

void StopExecution(const ApiContext& ctx, const Json& request, Reply reply) {
  Result<ParsedArn> arn = RequiredArn(request, "executionArn", {ArnKind::kExecution});
  if (!arn.ok()) return reply(arn.status());
  Result<std::optional<std::string>> error = OptString(request, "error");
  if (!error.ok()) return reply(error.status());
  Result<std::optional<std::string>> cause = OptString(request, "cause");
  if (!cause.ok()) return reply(cause.status());
  ConstraintErrors errors;
  if (*error) errors.MaxLength("error", **error, limits::kMaxErrorLength, true);
  if (*cause) errors.MaxLength("cause", **cause, limits::kMaxCauseLength, true);
  if (!errors.empty()) return reply(errors.ToStatus());
  Result<ExecutionRecord> record = LoadExecution(ctx, arn->arn);
  if (!record.ok()) return reply(record.status());
  if (record->status != "RUNNING" && record->stop_date) {
    return reply(Json{{"stopDate", Timestamp(*record->stop_date)}});
  }
  ctx.deps.engine->Stop(arn->arn, *error, *cause, [reply](Result<EpochMillis> stopped) {
    if (!stopped.ok()) return reply(stopped.status());
    reply(Json{{"stopDate", Timestamp(*stopped)}});
  });
}

// The state machine part of a ListExecutions request, resolved into the query.
Status ResolveListTarget(const ApiContext& ctx, const ParsedArn& arn,
                         storage::ExecutionQuery& query) {
  ASSIGN_OR_RETURN(storage::StateMachineRecord machine,
                   LoadStateMachine(ctx, arn.StateMachineArn()));
  if (machine.type == "EXPRESS") {
    return Status(ErrorCode::kStateMachineTypeNotSupported,
                  "This operation is not supported by this type of state machine");
  }
  query.state_machine_arn = machine.arn;
  if (arn.kind == ArnKind::kVersion) {
    ASSIGN_OR_RETURN(std::optional<storage::VersionRecord> version,
                     ctx.deps.store->GetVersion(arn.arn));
    if (!version) {
      return ResourceNotFound(arn.arn);
    }
    query.version_arn = arn.arn;
  } else if (arn.kind == ArnKind::kAlias) {
    ASSIGN_OR_RETURN(std::optional<storage::AliasRecord> alias, ctx.deps.store->GetAlias(arn.arn));
    if (!alias) {
      return ResourceNotFound(arn.arn);
    }
    query.alias_arn = arn.arn;
  }
  return Status::Ok();
}

Result<storage::ExecutionQuery> ReadListQuery(const ApiContext& ctx, const Json& request) {
  storage::ExecutionQuery query;
  ConstraintErrors errors;
  ASSIGN_OR_RETURN(std::optional<std::string> sm_arn, OptString(request, "stateMachineArn"));
  ASSIGN_OR_RETURN(std::optional<std::string> map_run, OptString(request, "mapRunArn"));
  ASSIGN_OR_RETURN(std::optional<std::string> status, OptString(request, "statusFilter"));
  ASSIGN_OR_RETURN(std::optional<std::string> redrive, OptString(request, "redriveFilter"));
  ASSIGN_OR_RETURN(query.page, ReadPage(request, errors, limits::kMaxResultsPerPage, 3096));
  if (status) {
    errors.Enum("statusFilter", *status,
                {"SUCCEEDED", "TIMED_OUT", "PENDING_REDRIVE", "ABORTED", "FAILED", "RUNNING"});
  }
  if (redrive) errors.Enum("redriveFilter", *redrive, {"REDRIVEN", "NOT_REDRIVEN"});
  RETURN_IF_ERROR(errors.ToStatus());
  if (sm_arn.has_value() == map_run.has_value()) {
    return ValidationError("Must provide a StateMachine ARN or a MapRun ARN",
                           "MISSING_REQUIRED_PARAMETER");
  }
  query.status_filter = status.value_or("");
  query.redrive_filter = redrive.value_or("");
  if (map_run) {
    ASSIGN_OR_RETURN(ParsedArn run, ParseArn(*map_run, {ArnKind::kMapRun}));
    query.map_run_arn = run.arn;
    return query;
  }
  ASSIGN_OR_RETURN(ParsedArn arn,
                   ParseArn(*sm_arn, {ArnKind::kStateMachine, ArnKind::kVersion, ArnKind::kAlias}));
  RETURN_IF_ERROR(ResolveListTarget(ctx, arn, query));
  return query;
}

Json ListItem(const ExecutionRecord& record) {
  Json item = {{"executionArn", record.arn},
               {"stateMachineArn", record.state_machine_arn},
               {"name", record.name},
               {"status", record.status},
               {"startDate", Timestamp(record.start_date)}};
  if (record.stop_date) item["stopDate"] = Timestamp(*record.stop_date);
  if (!record.map_run_arn.empty()) item["mapRunArn"] = record.map_run_arn;
  if (!record.state_machine_version_arn.empty()) {
    item["stateMachineVersionArn"] = record.state_machine_version_arn;
  }
  if (!record.state_machine_alias_arn.empty()) {
    item["stateMachineAliasArn"] = record.state_machine_alias_arn;
  }
  item["redriveCount"] = record.redrive_count;
  if (record.redrive_date) item["redriveDate"] = Timestamp(*record.redrive_date);
  return item;
}

Result<Json> ListExecutions(const ApiContext& ctx, const Json& request) {
  ASSIGN_OR_RETURN(storage::ExecutionQuery query, ReadListQuery(ctx, request));
  ASSIGN_OR_RETURN(storage::Page<ExecutionRecord> page, ctx.deps.store->ListExecutions(query));
  Json items = Json::array();
  for (const ExecutionRecord& record : page.items) items.push_back(ListItem(record));
  Json out = {{"executions", std::move(items)}};
  if (!page.next_token.empty()) out["nextToken"] = page.next_token;
  return out;
}

Result<Json> DescribeStateMachineForExecution(const ApiContext& ctx, const Json& request) {
  ASSIGN_OR_RETURN(ParsedArn arn, RequiredArn(request, "executionArn", {ArnKind::kExecution}));
  ASSIGN_OR_RETURN(ExecutionRecord record, LoadExecution(ctx, arn.arn));
  ASSIGN_OR_RETURN(std::optional<storage::RevisionRecord> revision,
                   ctx.deps.store->GetRevision(record.state_machine_arn, record.revision_id));
  if (!revision) return StateMachineDoesNotExist(record.state_machine_arn);
  ParsedArn machine = arn;  // names the state machine of the execution
  Json out = {{"stateMachineArn", record.state_machine_arn},
              {"name", machine.name},
              {"definition", revision->definition},
              {"roleArn", revision->role_arn},
              {"updateDate", Timestamp(revision->creation_date)},
              {"loggingConfiguration", LoggingConfigurationOf(revision->attributes)},
              {"tracingConfiguration", TracingConfigurationOf(revision->attributes)}};
  std::string visible = VisibleRevisionId(revision->attributes, revision->revision_id);
  if (!visible.empty()) out["revisionId"] = visible;
  if (!record.map_run_arn.empty()) out["mapRunArn"] = record.map_run_arn;
  if (!machine.qualifier.empty()) out["label"] = machine.qualifier;
  if (revision->attributes.is_object() &&
      revision->attributes.contains("encryptionConfiguration")) {
    out["encryptionConfiguration"] = revision->attributes["encryptionConfiguration"];
  }
  RETURN_IF_ERROR(ApplyDefinitionData(ctx, request, record.state_machine_arn, revision->revision_id,
                                      record.type == "EXPRESS", out));
  return out;
}

}  // namespace

void RegisterExecutionActions(ActionTable& table) {
  table["DescribeExecution"] = Sync(DescribeExecution);
  table["StopExecution"] = StopExecution;
  table["ListExecutions"] = Sync(ListExecutions);
  table["DescribeStateMachineForExecution"] = Sync(DescribeStateMachineForExecution);
}

}  // namespace stepline::api
