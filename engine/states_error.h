// StatesError: a runtime failure inside an execution, named the way Amazon
// States Language names errors ("States.Runtime", "Lambda.Unknown", a user's
// "MyError"), with AWS's cause text.
//
// Evaluators (JSONPath, intrinsics, payload templates, JSONata) throw
// StatesException internally; the interpreter catches it once per state step
// and turns it into history events (e.g. ExecutionFailed, or a Catch).
// `cause` holds the evaluator's own text; the interpreter prefixes AWS's
// "An error occurred while executing the state 'X' (entered at the event id #N). "
// where AWS does.
//
// Thread-safety: values.
#pragma once

#include <exception>
#include <optional>
#include <string>
#include <utility>

namespace stepline {

struct StatesError {
  std::string error;
  std::optional<std::string> cause;  // absent and empty are different on the wire
  // For States.QueryEvaluationError: the field the failing expression sits in
  // ("Arguments/FunctionName"), recorded in the EvaluationFailed event.
  std::optional<std::string> location;
};

class StatesException : public std::exception {
 public:
  explicit StatesException(StatesError error) : error_(std::move(error)) {}
  StatesException(std::string error, std::string cause)
      : error_{std::move(error), std::move(cause), std::nullopt} {}
  const StatesError& error() const { return error_; }
  const char* what() const noexcept override { return error_.error.c_str(); }

 private:
  StatesError error_;
};

// Predefined error names (ASL spec, AWS developer guide "Error handling").
namespace errors {
inline constexpr const char* kAll = "States.ALL";
inline constexpr const char* kBranchFailed = "States.BranchFailed";
inline constexpr const char* kDataLimitExceeded = "States.DataLimitExceeded";
inline constexpr const char* kExceedToleratedFailureThreshold =
    "States.ExceedToleratedFailureThreshold";
inline constexpr const char* kHeartbeatTimeout = "States.HeartbeatTimeout";
inline constexpr const char* kIntrinsicFailure = "States.IntrinsicFailure";
inline constexpr const char* kItemReaderFailed = "States.ItemReaderFailed";
inline constexpr const char* kNoChoiceMatched = "States.NoChoiceMatched";
inline constexpr const char* kParameterPathFailure = "States.ParameterPathFailure";
inline constexpr const char* kPermissions = "States.Permissions";
inline constexpr const char* kQueryEvaluationError = "States.QueryEvaluationError";
inline constexpr const char* kResultPathMatchFailure = "States.ResultPathMatchFailure";
inline constexpr const char* kResultWriterFailed = "States.ResultWriterFailed";
inline constexpr const char* kRuntime = "States.Runtime";
inline constexpr const char* kTaskFailed = "States.TaskFailed";
inline constexpr const char* kTimeout = "States.Timeout";
}  // namespace errors

}  // namespace stepline
