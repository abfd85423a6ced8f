// MakeApiHandler: the AWS Step Functions JSON 1.0 API over a Store and an
// ExecutionEngine. Dispatches on X-Amz-Target "AWSStepFunctions.<Action>";
// unknown targets are UnknownOperationException, bodies that are not JSON
// objects are SerializationException, and every failure is answered through
// the one error table (error_table.h).
//
// Thread-safety: the returned handler may be called concurrently from any
// thread. `deps` pointers must outlive it.
#pragma once

#include <memory>
#include <string>

#include "common/clock.h"
#include "engine/task/task_dispatch.h"
#include "server/api/api.h"

namespace stepline::storage {
class Store;
}
namespace stepline::runtime {
class ExecutionEngine;
}

namespace stepline::api {

struct ApiDeps {
  storage::Store* store = nullptr;
  runtime::ExecutionEngine* engine = nullptr;
  const Clock* clock = nullptr;
  std::string region = "us-east-1";
  std::string account = "123456789012";
  // The engine's Task dispatcher, for TestState of an unmocked Task; may be null.
  std::shared_ptr<task::TaskDispatcher> dispatcher;
};

std::unique_ptr<ApiHandler> MakeApiHandler(ApiDeps deps);

}  // namespace stepline::api
