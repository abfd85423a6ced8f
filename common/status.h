// Status and Result<T>: how errors cross module borders in Stepline.
//
// A Status is either OK or an (ErrorCode, message) pair. The codes are the
// error shapes of the AWS Step Functions API plus a few internal ones; the one
// table that turns a code into the wire `__type` and HTTP status lives in
// server/ (see server/api/error_table.h). Engine runtime failures (States.*)
// are not Statuses: they are data inside an execution (engine/states_error.h).
//
// Thread-safety: values; copy freely between threads.
// Invariant: ok() <=> code() == ErrorCode::kOk, and an OK status has no message.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace stepline {

enum class ErrorCode {
  kOk = 0,
  // Generic request problems.
  kValidation,        // ValidationException: a request member violates a constraint.
  kSerialization,     // SerializationException: body is not a JSON object of the right shape.
  kUnknownOperation,  // UnknownOperationException: unknown X-Amz-Target.
  kMissingRequiredParameter,
  // Named AWS Step Functions error shapes.
  kActivityAlreadyExists,
  kActivityDoesNotExist,
  kActivityLimitExceeded,
  kActivityWorkerLimitExceeded,
  kConflict,
  kExecutionAlreadyExists,
  kExecutionDoesNotExist,
  kExecutionLimitExceeded,
  kExecutionNotRedrivable,
  kInvalidArn,
  kInvalidDefinition,
  kInvalidExecutionInput,
  kInvalidLoggingConfiguration,
  kInvalidName,
  kInvalidOutput,
  kInvalidToken,
  kInvalidTracingConfiguration,
  kInvalidEncryptionConfiguration,
  kResourceNotFound,
  kServiceQuotaExceeded,
  kStateMachineAlreadyExists,
  kStateMachineDeleting,
  kStateMachineDoesNotExist,
  kStateMachineLimitExceeded,
  kStateMachineTypeNotSupported,
  kTaskDoesNotExist,
  kTaskTimedOut,
  kTooManyTags,
  // Internal failures (reported as 500 InternalFailure / ServiceUnavailable).
  kInternal,
  kStorage,      // SQLite or disk failure.
  kUnavailable,  // Server is shutting down or overloaded.
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {
    assert(code != ErrorCode::kOk);
  }

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == ErrorCode::kOk; }
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // Extra structured member some AWS errors carry (`reason` of ValidationException,
  // `resourceName` of ResourceNotFound/TooManyTags). Empty when absent.
  const std::string& detail() const { return detail_; }
  Status&& WithDetail(std::string detail) && {
    detail_ = std::move(detail);
    return std::move(*this);
  }

  std::string ToString() const;

 private:
  ErrorCode code_ = ErrorCode::kOk;
  std::string message_;
  std::string detail_;
};

// Result<T>: a T or a non-OK Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design.
  Result(Status status) : v_(std::move(status)) { assert(!std::get<Status>(v_).ok()); }

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

const char* ErrorCodeName(ErrorCode code);

}  // namespace stepline

#define STEPLINE_CONCAT_INNER(a, b) a##b
#define STEPLINE_CONCAT(a, b) STEPLINE_CONCAT_INNER(a, b)

// RETURN_IF_ERROR(expr): evaluates a Status expression; returns it if not OK.
#define RETURN_IF_ERROR(expr)        \
  do {                               \
    ::stepline::Status _st = (expr); \
    if (!_st.ok()) return _st;       \
  } while (0)

// ASSIGN_OR_RETURN(lhs, expr): evaluates a Result<T>; returns its Status on error,
// else moves the value into lhs (which may be a declaration).
#define ASSIGN_OR_RETURN(lhs, expr) \
  ASSIGN_OR_RETURN_IMPL(STEPLINE_CONCAT(_res_, __LINE__), lhs, expr)
#define ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                          \
  if (!tmp.ok()) return tmp.status();         \
  lhs = std::move(tmp).value()
