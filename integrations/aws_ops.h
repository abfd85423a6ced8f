// Internal to integrations/: the per-service operations of AwsDispatcher.
// Each takes the request and reports exactly one outcome through `done`
// (before the .waitForTaskToken conversion, which AwsDispatcher applies).
//
// Thread-safety: stateless functions; the context must outlive the call.
#pragma once

#include <functional>
#include <memory>

#include "integrations/aws_call.h"
#include "integrations/task_dispatch.h"

namespace stepline::integrations {

using OutcomeFn = std::function<void(TaskOutcome)>;
using Ctx = std::shared_ptr<const AwsContext>;

TaskOutcome Succeeded(Json result);
TaskOutcome Failed(StatesError error);
std::string RegionOf(const TaskRequest& request, const AwsContext& ctx);
// A Json parameter as text: strings as they are, other values serialized.
std::string AsText(const Json& value);

void LambdaInvoke(const Ctx& ctx, const TaskRequest& request, OutcomeFn done);
void SnsPublish(const Ctx& ctx, const TaskRequest& request, OutcomeFn done);
void OptimizedJsonCall(const Ctx& ctx, const TaskRequest& request, OutcomeFn done);
void AwsSdkJsonCall(const Ctx& ctx, const TaskRequest& request, OutcomeFn done);
void S3Call(const Ctx& ctx, const TaskRequest& request, OutcomeFn done);
void StartExecutionSync(const Ctx& ctx, const TaskRequest& request, OutcomeFn done);
void HttpInvoke(const Ctx& ctx, const TaskRequest& request, OutcomeFn done);  // http:invoke

}  // namespace stepline::integrations
