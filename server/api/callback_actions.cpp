// SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat (callback and activity
// tasks, by token) and GetActivityTask (a worker's long poll).
//
// Requests are validated here (AWS's model constraints, InvalidOutput); the
// engine finds the task (InvalidToken, TaskDoesNotExist, TaskTimedOut) and
// answers asynchronously: GetActivityTask holds no thread while it waits.
#include "common/limits.h"
#include "engine/runtime/engine.h"
#include "engine/runtime/task_token.h"
#include "server/api/actions.h"
#include "server/api/resources.h"
#include "server/api/validation.h"

namespace stepline::api {
namespace {

constexpr size_t kMaxTokenLength = 2048;
constexpr size_t kMaxErrorLength = 256;
constexpr size_t kMaxCauseLength = 32768;
constexpr size_t kMaxWorkerNameLength = 80;

Result<std::string> ReadToken(const Json& request, ConstraintErrors& errors) {
  ASSIGN_OR_RETURN(std::string token, RequiredString(request, "taskToken", errors));
  errors.MaxLength("taskToken", token, kMaxTokenLength);
  if (request.contains("taskToken")) errors.MinLength("taskToken", token, 1);
  return token;
}

void Answer(const ApiContext& ctx, const std::string& token, runtime::TaskAnswer answer,
            Reply reply) {
  ctx.deps.engine->AnswerTask(token, std::move(answer), [reply](Status st) {
    if (!st.ok()) return reply(st);
    reply(Json::object());
  });
}

void SendTaskSuccess(const ApiContext& ctx, const Json& request, Reply reply) {
  ConstraintErrors errors;
  Result<std::string> token = ReadToken(request, errors);
  if (!token.ok()) return reply(token.status());
  Result<std::string> output = RequiredString(request, "output", errors);
  if (!output.ok()) return reply(output.status());
  errors.MaxLength("output", *output, limits::kMaxPayloadBytes, /*sensitive=*/true);
  if (Status st = errors.ToStatus(); !st.ok()) return reply(st);
  Result<Json> parsed = ParseJson(*output);
  // AWS looks at the token before the output: a malformed token with bad
  // output is InvalidToken (test_sfn_send_task_outcome_with_no_such_token).
  if (!parsed.ok() && !runtime::ParseTaskToken(*token)) {
    return reply(Status(ErrorCode::kInvalidToken, "Invalid Token: 'Invalid token'"));
  }
  if (!parsed.ok()) {
    return reply(Status(ErrorCode::kInvalidOutput, "Invalid Output: '" + *output + "'"));
  }
  runtime::TaskAnswer answer;
  answer.kind = runtime::TaskAnswer::Kind::kSuccess;
  answer.output = std::move(parsed).value();
  Answer(ctx, *token, std::move(answer), std::move(reply));
}

void SendTaskFailure(const ApiContext& ctx, const Json& request, Reply reply) {
  ConstraintErrors errors;
  Result<std::string> token = ReadToken(request, errors);
  if (!token.ok()) return reply(token.status());
  Result<std::optional<std::string>> error = OptString(request, "error");
  if (!error.ok()) return reply(error.status());
  Result<std::optional<std::string>> cause = OptString(request, "cause");
  if (!cause.ok()) return reply(cause.status());
  if (*error) errors.MaxLength("error", **error, kMaxErrorLength, /*sensitive=*/true);
  if (*cause) errors.MaxLength("cause", **cause, kMaxCauseLength, /*sensitive=*/true);
  if (Status st = errors.ToStatus(); !st.ok()) return reply(st);
  runtime::TaskAnswer answer;
  answer.kind = runtime::TaskAnswer::Kind::kFailure;
  answer.error = *error;
  answer.cause = *cause;
  Answer(ctx, *token, std::move(answer), std::move(reply));
}

void SendTaskHeartbeat(const ApiContext& ctx, const Json& request, Reply reply) {
  ConstraintErrors errors;
  Result<std::string> token = ReadToken(request, errors);
  if (!token.ok()) return reply(token.status());
  if (Status st = errors.ToStatus(); !st.ok()) return reply(st);
  Answer(ctx, *token, runtime::TaskAnswer{}, std::move(reply));
}

void GetActivityTask(const ApiContext& ctx, const Json& request, Reply reply) {
  Result<ParsedArn> arn = RequiredArn(request, "activityArn", {ArnKind::kActivity});
  if (!arn.ok()) return reply(arn.status());
  Result<std::optional<std::string>> worker = OptString(request, "workerName");
  if (!worker.ok()) return reply(worker.status());
  ConstraintErrors errors;
  if (*worker) errors.MaxLength("workerName", **worker, kMaxWorkerNameLength);
  if (Status st = errors.ToStatus(); !st.ok()) return reply(st);
  Result<std::optional<storage::ActivityRecord>> activity = ctx.deps.store->GetActivity(arn->arn);
  if (!activity.ok()) return reply(activity.status());
  if (!*activity) {
    return reply(
        Status(ErrorCode::kActivityDoesNotExist, "Activity Does Not Exist: '" + arn->arn + "'"));
  }
  ctx.deps.engine->PollActivity(arn->arn, worker->value_or(""),
                                [reply](std::optional<runtime::ActivityTask> task) {
                                  if (!task) return reply(Json::object());
                                  reply(Json{{"taskToken", task->token}, {"input", task->input}});
                                });
}

}  // namespace

void RegisterCallbackActions(ActionTable& table) {
  table["SendTaskSuccess"] = SendTaskSuccess;
  table["SendTaskFailure"] = SendTaskFailure;
  table["SendTaskHeartbeat"] = SendTaskHeartbeat;
  table["GetActivityTask"] = GetActivityTask;
}

}  // namespace stepline::api
