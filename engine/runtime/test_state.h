// TestState: runs one state of a definition once, without an execution, the
// way AWS's TestState API does (JSONPath query language).
//
// Reuses the interpreter's data-flow helpers (dataflow.h), Choice rule
// evaluation (asl/choice.h) and ErrorEquals matching (error_match.h). A Task
// state never dispatches: its result (or error) is the request's mock.
// Wait states return at once.
//
// Thread-safety: a pure function of its arguments.
#pragma once

#include <optional>
#include <string>

#include "common/json.h"
#include "common/status.h"
#include "engine/asl/model.h"

namespace stepline::runtime {

struct TestStateMock {
  std::optional<Json> result;               // the Task's result
  std::optional<std::string> error, cause;  // or its failure
};

struct TestStateRequest {
  const asl::State* state = nullptr;
  Json input = Json::object();
  Json variables = Json::object();
  std::optional<TestStateMock> mock;
};

struct TestStateInspection {
  Json data = Json::object();  // input, afterInputPath, afterParameters, result, ...
};

struct TestStateResult {
  std::string status;  // SUCCEEDED | FAILED | CAUGHT_ERROR | RETRIABLE
  std::optional<Json> output;
  std::optional<std::string> error, cause, next_state;
  Json inspection = Json::object();
};

// Runs `request.state`. Returns kValidation when the state cannot be tested
// (a Task without mock, Map/Parallel, JSONata mode).
Result<TestStateResult> RunTestState(const TestStateRequest& request);

}  // namespace stepline::runtime
