// StartExecution: validates the request, resolves a state machine, version or
// alias ARN to the revision to run, applies AWS's idempotency rule for
// STANDARD executions and hands a complete ExecutionRecord to the engine.
// The reply is sent when the engine reports the record durable.
#include <algorithm>
#include <memory>

#include "common/ids.h"
#include "common/limits.h"
#include "engine/runtime/engine.h"
#include "server/api/actions.h"
#include "server/api/resources.h"

namespace stepline::api {
namespace {

using storage::ExecutionRecord;

// What an execution runs: the machine and the revision chosen.
struct Target {
  storage::StateMachineRecord machine;
  std::string revision_id, definition, role_arn;
  std::string version_arn, alias_arn;
};

struct StartRequest {
  ParsedArn arn;
  std::string name, input = "{}";
  std::optional<std::string> trace_header;
  std::string test_case;  // "<stateMachineArn>#<TestCase>" (Step Functions Local mocks)
};

// Splits Step Functions Local's "<arn>#<TestCase>" off the stateMachineArn;
// `request` is returned unchanged when there is no test case.
Json WithoutTestCase(const Json& request, std::string& test_case) {
  auto it = request.find("stateMachineArn");
  if (it == request.end() || !it->is_string()) return request;
  const std::string& arn = it->get_ref<const std::string&>();
  size_t hash = arn.find('#');
  if (hash == std::string::npos) return request;
  test_case = arn.substr(hash + 1);
  Json plain = request;
  plain["stateMachineArn"] = arn.substr(0, hash);
  return plain;
}

Status InvalidInput(const std::string& why) {
  return Status(ErrorCode::kInvalidExecutionInput,
                "Invalid State Machine Execution Input: '" + why + "'");
}

Result<StartRequest> ReadStartRequest(const Json& raw_request) {
  StartRequest out;
  Json request = WithoutTestCase(raw_request, out.test_case);
  ASSIGN_OR_RETURN(out.arn, RequiredArn(request, "stateMachineArn",
                                        {ArnKind::kStateMachine, ArnKind::kVersion, ArnKind::kAlias,
                                         ArnKind::kLabeled}));
  ASSIGN_OR_RETURN(std::optional<std::string> name, OptString(request, "name"));
  ASSIGN_OR_RETURN(std::optional<std::string> input, OptString(request, "input"));
  ASSIGN_OR_RETURN(out.trace_header, OptString(request, "traceHeader"));
  ConstraintErrors errors;
  if (out.trace_header) errors.MaxLength("traceHeader", *out.trace_header, 256);
  RETURN_IF_ERROR(errors.ToStatus());
  if (out.arn.kind == ArnKind::kLabeled) {
    return ValidationError(
        "Invalid Arn: 'This API does not support labeled ARNs: " + out.arn.arn + "'",
        "API_DOES_NOT_SUPPORT_LABELED_ARNS");
  }
  if (name) RETURN_IF_ERROR(CheckName(*name));
  out.name = name ? *name : NewUuid();
  if (input) out.input = *input;
  if (out.input.empty()) return InvalidInput("Invalid execution input.");
  if (out.input.size() > limits::kMaxPayloadBytes) {
    return InvalidInput("Input exceeds the maximum size of " +
                        std::to_string(limits::kMaxPayloadBytes) + " bytes");
  }
  Result<Json> parsed = ParseJson(out.input);
  if (!parsed.ok()) return InvalidInput(parsed.status().message());
  return out;
}

// Picks one of the alias's versions by weight.
std::string RouteAlias(const Json& routing) {
  int64_t total = 0;
  for (const Json& route : routing) total += route.value("weight", int64_t{0});
  if (total <= 0) return routing.empty() ? "" : routing[0].value("stateMachineVersionArn", "");
  int64_t pick = static_cast<int64_t>(RandomU64() % static_cast<uint64_t>(total));
  for (const Json& route : routing) {
    pick -= route.value("weight", int64_t{0});
    if (pick < 0) return route.value("stateMachineVersionArn", "");
  }
  return routing.back().value("stateMachineVersionArn", "");
}

Status ResolveVersion(const ApiContext& ctx, const std::string& version_arn, Target& target) {
  ASSIGN_OR_RETURN(std::optional<storage::VersionRecord> version,
                   ctx.deps.store->GetVersion(version_arn));
  if (!version) return StateMachineDoesNotExist(version_arn);
  ASSIGN_OR_RETURN(std::optional<storage::RevisionRecord> revision,
                   ctx.deps.store->GetRevision(version->state_machine_arn, version->revision_id));
  if (!revision) return Status(ErrorCode::kInternal, "revision of " + version_arn + " is missing");
  target.version_arn = version_arn;
  target.revision_id = revision->revision_id;
  target.definition = revision->definition;
  target.role_arn = revision->role_arn;
  return Status::Ok();
}

Result<Target> Resolve(const ApiContext& ctx, const ParsedArn& arn) {
  Target target;
  ASSIGN_OR_RETURN(target.machine, LoadStateMachine(ctx, arn.StateMachineArn()));
  if (target.machine.status == "DELETING") {
    return StateMachineDeleting(target.machine.arn);
  }
  if (arn.kind == ArnKind::kVersion) {
    RETURN_IF_ERROR(ResolveVersion(ctx, arn.arn, target));
  } else if (arn.kind == ArnKind::kAlias) {
    ASSIGN_OR_RETURN(std::optional<storage::AliasRecord> alias, ctx.deps.store->GetAlias(arn.arn));
    if (!alias) return StateMachineDoesNotExist(arn.arn);
    RETURN_IF_ERROR(ResolveVersion(ctx, RouteAlias(alias->routing_configuration), target));
    target.alias_arn = arn.arn;
  } else {
    target.revision_id = target.machine.revision_id;
    target.definition = target.machine.definition;
    target.role_arn = target.machine.role_arn;
  }
  return target;
}

bool SameInput(const std::string& a, const std::string& b) {
  if (a == b) return true;
  Result<Json> ja = ParseJson(a);
  Result<Json> jb = ParseJson(b);
  return ja.ok() && jb.ok() && *ja == *jb;
}

// AWS's rule for a repeated name: the same input while the first is still
// RUNNING returns the first; anything else is ExecutionAlreadyExists.
Result<Json> Repeated(const ExecutionRecord& existing, const std::string& input) {
  if (existing.status == "RUNNING" && SameInput(existing.input, input)) {
    return Json{{"executionArn", existing.arn}, {"startDate", Timestamp(existing.start_date)}};
  }
  return Status(ErrorCode::kExecutionAlreadyExists,
                "Execution Already Exists: '" + existing.arn + "'");
}

ExecutionRecord BuildRecord(const ApiContext& ctx, const StartRequest& start,
                            const Target& target) {
  ExecutionRecord record;
  bool express = target.machine.type == "EXPRESS";
  record.arn = express ? ExpressExecutionArn(start.arn, start.name, NewUuid())
                       : ExecutionArn(start.arn, start.name);
  record.state_machine_arn = target.machine.arn;
  record.name = start.name;
  record.type = target.machine.type;
  record.status = "RUNNING";
  record.input = start.input;
  record.start_date = ctx.Now();
  record.revision_id = target.revision_id;
  record.role_arn = target.role_arn;
  record.state_machine_version_arn = target.version_arn;
  record.state_machine_alias_arn = target.alias_arn;
  if (start.trace_header) record.trace_header = *start.trace_header;
  if (!start.test_case.empty()) record.attributes["mockTestCase"] = start.test_case;
  return record;
}

// After the engine refused a duplicate (a racing start with the same name).
void AnswerDuplicate(const ApiContext& ctx, const std::string& arn, const std::string& input,
                     const Reply& reply) {
  Result<std::optional<ExecutionRecord>> existing = ctx.deps.store->GetExecution(arn);
  if (!existing.ok()) return reply(existing.status());
  if (!existing->has_value()) {
    return reply(
        Status(ErrorCode::kExecutionAlreadyExists, "Execution Already Exists: '" + arn + "'"));
  }
  reply(Repeated(**existing, input));
}

// Everything up to the engine call, shared by StartExecution and
// StartSyncExecution: the record to start and its compiled machine.
struct Prepared {
  ExecutionRecord record;
  DefinitionCache::Machine machine;
};

Result<Prepared> Prepare(const ApiContext& ctx, const Json& request, bool sync) {
  ASSIGN_OR_RETURN(StartRequest start, ReadStartRequest(request));
  ASSIGN_OR_RETURN(Target target, Resolve(ctx, start.arn));
  if (sync && target.machine.type != "EXPRESS") {
    return Status(ErrorCode::kStateMachineTypeNotSupported,
                  "This operation is not supported by this type of state machine");
  }
  Prepared out;
  out.record = BuildRecord(ctx, start, target);
  ASSIGN_OR_RETURN(out.machine,
                   ctx.cache->GetOrParse(target.machine.arn, target.revision_id, target.definition,
                                         out.record.type == "EXPRESS"));
  return out;
}

void StartExecution(const ApiContext& ctx, const Json& request, Reply reply) {
  Result<Prepared> prepared = Prepare(ctx, request, /*sync=*/false);
  if (!prepared.ok()) return reply(prepared.status());
  ExecutionRecord& record = prepared->record;
  // A repeated name needs no read here: the engine refuses a running
  // duplicate and the store a stored one, and AnswerDuplicate applies AWS's
  // rule (names are rarely repeated; every start would pay for the read).
  Json answer = {{"executionArn", record.arn}, {"startDate", Timestamp(record.start_date)}};
  std::string arn = record.arn, input = record.input;
  const ApiContext* context = &ctx;
  ctx.deps.engine->Start(std::move(record), prepared->machine,
                         [context, arn, input, answer, reply](Status status) {
                           if (status.code() == ErrorCode::kExecutionAlreadyExists) {
                             return AnswerDuplicate(*context, arn, input, reply);
                           }
                           if (!status.ok()) return reply(status);
                           reply(answer);
                         });
}

// The StartSyncExecution response for a finished express execution.
Json SyncBody(const ExecutionRecord& record, const runtime::ExecutionOutcome& outcome) {
  EpochMillis duration = std::max<EpochMillis>(0, outcome.stop_date - record.start_date);
  Json out = {{"executionArn", record.arn},
              {"stateMachineArn", record.state_machine_arn},
              {"name", record.name},
              {"startDate", Timestamp(record.start_date)},
              {"stopDate", Timestamp(outcome.stop_date)},
              {"status", outcome.status},
              {"input", record.input},
              {"inputDetails", {{"included", true}}}};
  if (outcome.output) {
    out["output"] = *outcome.output;
    out["outputDetails"] = {{"included", true}};
  }
  if (outcome.error) out["error"] = *outcome.error;
  if (outcome.cause) out["cause"] = *outcome.cause;
  if (!record.trace_header.empty()) out["traceHeader"] = record.trace_header;
  out["billingDetails"] = {
      {"billedMemoryUsedInMB", 64},
      {"billedDurationInMilliseconds", std::max<EpochMillis>(100, (duration + 99) / 100 * 100)}};
  return out;
}

// StartSyncExecution: answers when the EXPRESS execution closes.
void StartSyncExecution(const ApiContext& ctx, const Json& request, Reply reply) {
  Result<Prepared> prepared = Prepare(ctx, request, /*sync=*/true);
  if (!prepared.ok()) return reply(prepared.status());
  auto record = std::make_shared<ExecutionRecord>(prepared->record);
  ctx.deps.engine->Start(
      std::move(prepared->record), prepared->machine,
      [reply](Status status) {
        if (!status.ok()) reply(status);
      },
      [record, reply](const runtime::ExecutionOutcome& outcome) {
        reply(SyncBody(*record, outcome));
      });
}

}  // namespace

void RegisterExecutionStartActions(ActionTable& table) {
  table["StartExecution"] = StartExecution;
  table["StartSyncExecution"] = StartSyncExecution;
}

}  // namespace stepline::api
