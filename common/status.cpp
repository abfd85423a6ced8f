#include "common/status.h"

namespace stepline {

const char* ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk:
      return "OK";
    case ErrorCode::kValidation:
      return "ValidationException";
    case ErrorCode::kSerialization:
      return "SerializationException";
    case ErrorCode::kUnknownOperation:
      return "UnknownOperationException";
    case ErrorCode::kMissingRequiredParameter:
      return "MissingRequiredParameter";
    case ErrorCode::kActivityAlreadyExists:
      return "ActivityAlreadyExists";
    case ErrorCode::kActivityDoesNotExist:
      return "ActivityDoesNotExist";
    case ErrorCode::kActivityLimitExceeded:
      return "ActivityLimitExceeded";
    case ErrorCode::kActivityWorkerLimitExceeded:
      return "ActivityWorkerLimitExceeded";
    case ErrorCode::kConflict:
      return "ConflictException";
    case ErrorCode::kExecutionAlreadyExists:
      return "ExecutionAlreadyExists";
    case ErrorCode::kExecutionDoesNotExist:
      return "ExecutionDoesNotExist";
    case ErrorCode::kExecutionLimitExceeded:
      return "ExecutionLimitExceeded";
    case ErrorCode::kExecutionNotRedrivable:
      return "ExecutionNotRedrivable";
    case ErrorCode::kInvalidArn:
      return "InvalidArn";
    case ErrorCode::kInvalidDefinition:
      return "InvalidDefinition";
    case ErrorCode::kInvalidExecutionInput:
      return "InvalidExecutionInput";
    case ErrorCode::kInvalidLoggingConfiguration:
      return "InvalidLoggingConfiguration";
    case ErrorCode::kInvalidName:
      return "InvalidName";
    case ErrorCode::kInvalidOutput:
      return "InvalidOutput";
    case ErrorCode::kInvalidToken:
      return "InvalidToken";
    case ErrorCode::kInvalidTracingConfiguration:
      return "InvalidTracingConfiguration";
    case ErrorCode::kInvalidEncryptionConfiguration:
      return "InvalidEncryptionConfiguration";
    case ErrorCode::kResourceNotFound:
      return "ResourceNotFound";
    case ErrorCode::kServiceQuotaExceeded:
      return "ServiceQuotaExceededException";
    case ErrorCode::kStateMachineAlreadyExists:
      return "StateMachineAlreadyExists";
    case ErrorCode::kStateMachineDeleting:
      return "StateMachineDeleting";
    case ErrorCode::kStateMachineDoesNotExist:
      return "StateMachineDoesNotExist";
    case ErrorCode::kStateMachineLimitExceeded:
      return "StateMachineLimitExceeded";
    case ErrorCode::kStateMachineTypeNotSupported:
      return "StateMachineTypeNotSupported";
    case ErrorCode::kTaskDoesNotExist:
      return "TaskDoesNotExist";
    case ErrorCode::kTaskTimedOut:
      return "TaskTimedOut";
    case ErrorCode::kTooManyTags:
      return "TooManyTags";
    case ErrorCode::kInternal:
      return "InternalFailure";
    case ErrorCode::kStorage:
      return "InternalFailure";
    case ErrorCode::kUnavailable:
      return "ServiceUnavailable";
  }
  return "InternalFailure";
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  return std::string(ErrorCodeName(code_)) + ": " + message_;
}

}  // namespace stepline
