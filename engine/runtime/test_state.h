// TestState: runs one state of a definition once, without an execution, the
// way AWS's TestState API does, in either query language.
//
// Reuses the interpreter's data-flow helpers (dataflow.h), Choice rule
// evaluation (asl/choice.h) and ErrorEquals matching (error_match.h). Task,
// Map and Parallel states never run their work: their result (or error) is
// the request's mock (the API layer makes one of a real call's outcome for an
// unmocked Task), which for Map and Parallel stands for the whole state's
// result. Wait states return at once.
//
// Retry and Catch follow AWS: the first Retrier matching the error decides;
// while `retrier_retry_count` is below its MaxAttempts the answer is
// RETRIABLE (with the backoff the next attempt would wait), else the first
// matching Catcher makes it CAUGHT_ERROR, else FAILED.
//
// Thread-safety: a pure function of its arguments.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/json.h"
#include "common/status.h"
#include "engine/asl/model.h"

namespace stepline::runtime {

struct TestStateMock {
  std::optional<Json> result;               // the Task's (Map's, Parallel's) result
  std::optional<std::string> error, cause;  // or its failure
};

// The request's stateConfiguration.
struct TestStateConfig {
  int64_t retrier_retry_count = 0;
  std::optional<std::string> error_caused_by_state;
  int64_t map_iteration_failure_count = 0;
  std::optional<Json> map_item_reader_data;  // what a distributed Map's ItemReader read
};

struct TestStateRequest {
  const asl::State* state = nullptr;
  Json input = Json::object();
  Json variables = Json::object();
  std::optional<Json> context;  // the caller's $$ (absent: {"State":{"Name":...}})
  std::optional<TestStateMock> mock;
  TestStateConfig config;
};

struct TestStateResult {
  std::string status;  // SUCCEEDED | FAILED | CAUGHT_ERROR | RETRIABLE
  std::optional<Json> output;
  std::optional<std::string> error, cause, next_state;
  // inspectionData: input, afterInputPath, afterParameters (JSONPath) or
  // afterArguments (JSONata), result, afterResultSelector, afterResultPath,
  // variables (after Assign), errorDetails, Map's afterItemsPath, ...
  Json inspection = Json::object();
};

// Runs `request.state`. Returns kValidation when the state cannot be tested
// that way (a Task, Map or Parallel without mock; a mock where none applies;
// an errorCausedByState that is not in the Map or Parallel).
Result<TestStateResult> RunTestState(const TestStateRequest& request);

// A Task state's effective parameters (after InputPath and Parameters, or
// JSONata Arguments), for calling the service when there is no mock;
// nullopt when evaluating them fails (RunTestState then reports that error
// whatever the mock says, as it fails before the work).
std::optional<Json> TestStateTaskParameters(const TestStateRequest& request);

}  // namespace stepline::runtime
