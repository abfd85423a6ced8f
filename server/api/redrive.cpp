// RedriveExecution: checks AWS's redrive conditions (status, type, 14-day
// window, history size, state machine not DELETING), answers a repeated
// clientToken with the redrive it started, and hands the execution to the
// engine, which appends ExecutionRedriven and re-runs the failed states.
#include "server/api/redrive.h"

#include "common/limits.h"
#include "engine/runtime/engine.h"
#include "server/api/actions.h"
#include "server/api/resources.h"

namespace stepline::api {

std::optional<std::string> RedriveRefusal(const storage::ExecutionRecord& record, EpochMillis now) {
  const std::string& status = record.status;
  if (status != "FAILED" && status != "TIMED_OUT" && status != "ABORTED") {
    return "Execution is " + status + " and cannot be redriven";
  }
  if (now - record.stop_date.value_or(now) > limits::kRedriveWindowMillis) {
    return std::string("Execution redrivable period exceeded.");
  }
  return std::nullopt;
}

namespace {

Status NotRedrivable(const std::string& why) {
  return Status(ErrorCode::kExecutionNotRedrivable, why);
}

// The redrive date of an earlier successful redrive with `token` (one of the
// last kMaxRedriveTokens, at most kRedriveTokenMillis old).
std::optional<EpochMillis> EarlierRedrive(const std::vector<storage::HistoryEvent>& events,
                                          const std::string& token, EpochMillis now) {
  size_t seen = 0;
  for (auto it = events.rbegin(); it != events.rend() && seen < limits::kMaxRedriveTokens; ++it) {
    if (it->type != "ExecutionRedriven") continue;
    ++seen;
    bool same = it->engine.is_object() && it->engine.value("token", "") == token;
    if (same && now - it->timestamp <= limits::kRedriveTokenMillis) return it->timestamp;
  }
  return std::nullopt;
}

Result<std::optional<std::string>> ReadClientToken(const Json& request) {
  ASSIGN_OR_RETURN(std::optional<std::string> token, OptString(request, "clientToken"));
  if (!token) return token;
  ConstraintErrors errors;
  errors.MinLength("clientToken", *token, 1);
  errors.MaxLength("clientToken", *token, 64);
  bool printable = true;
  for (char c : *token) printable = printable && c >= '!' && c <= '~';
  if (!printable) errors.Pattern("clientToken", *token, "[!-~]+");
  RETURN_IF_ERROR(errors.ToStatus());
  return token;
}

// Everything RedriveExecution checks before the engine call.
Status CheckRedrivable(const ApiContext& ctx, const storage::ExecutionRecord& record,
                       size_t history_events) {
  if (std::optional<std::string> why = RedriveRefusal(record, ctx.Now()))
    return NotRedrivable(*why);
  if (!record.map_run_arn.empty()) {
    return NotRedrivable("Execution is a child of a Map Run and can only be redriven with it");
  }
  if (history_events >= static_cast<size_t>(limits::kMaxRedriveHistoryEvents)) {
    return NotRedrivable("Execution history event limit exceeded.");
  }
  ASSIGN_OR_RETURN(storage::StateMachineRecord machine,
                   LoadStateMachine(ctx, record.state_machine_arn));
  if (machine.status == "DELETING") return NotRedrivable("State machine is in DELETING status.");
  return Status::Ok();
}

void RedriveExecution(const ApiContext& ctx, const Json& request, Reply reply) {
  Result<ParsedArn> arn =
      RequiredArn(request, "executionArn", {ArnKind::kExecution, ArnKind::kExpressExecution});
  if (!arn.ok()) return reply(arn.status());
  Result<std::optional<std::string>> token = ReadClientToken(request);
  if (!token.ok()) return reply(token.status());
  if (arn->kind == ArnKind::kExpressExecution) {
    return reply(NotRedrivable("Execution of type EXPRESS cannot be redriven"));
  }
  Result<storage::ExecutionRecord> record = LoadExecution(ctx, arn->arn);
  if (!record.ok()) return reply(record.status());
  auto events = ctx.deps.store->LoadEvents(record->arn);
  if (!events.ok()) return reply(events.status());
  if (*token) {
    if (std::optional<EpochMillis> at = EarlierRedrive(*events, **token, ctx.Now())) {
      return reply(Json{{"redriveDate", Timestamp(*at)}});
    }
  }
  Status ok = CheckRedrivable(ctx, *record, events->size());
  if (!ok.ok()) return reply(ok);
  auto revision = ctx.deps.store->GetRevision(record->state_machine_arn, record->revision_id);
  if (!revision.ok()) return reply(revision.status());
  if (!*revision) return reply(StateMachineDoesNotExist(record->state_machine_arn));
  auto machine = ctx.cache->GetOrParse(record->state_machine_arn, record->revision_id,
                                       (*revision)->definition, record->type == "EXPRESS");
  if (!machine.ok()) return reply(machine.status());
  ctx.deps.engine->Redrive(std::move(record).value(), *machine, token->value_or(""),
                           [reply](Result<EpochMillis> date) {
                             if (!date.ok()) return reply(date.status());
                             reply(Json{{"redriveDate", Timestamp(*date)}});
                           });
}

}  // namespace

void RegisterRedriveActions(ActionTable& table) { table["RedriveExecution"] = RedriveExecution; }

}  // namespace stepline::api
