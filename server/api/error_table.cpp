#include "server/api/error_table.h"

#include "common/json.h"

namespace stepline::api {
namespace {

struct Entry {
  ErrorCode code;
  ErrorInfo info;
};

constexpr Entry kTable[] = {
    {ErrorCode::kValidation, {"ValidationException", 400}},
    {ErrorCode::kSerialization, {"SerializationException", 400}},
    {ErrorCode::kUnknownOperation, {"UnknownOperationException", 400}},
    {ErrorCode::kMissingRequiredParameter, {"MissingRequiredParameter", 400}},
    {ErrorCode::kActivityAlreadyExists, {"ActivityAlreadyExists", 400}},
    {ErrorCode::kActivityDoesNotExist, {"ActivityDoesNotExist", 400}},
    {ErrorCode::kActivityLimitExceeded, {"ActivityLimitExceeded", 400}},
    {ErrorCode::kActivityWorkerLimitExceeded, {"ActivityWorkerLimitExceeded", 400}},
    {ErrorCode::kConflict, {"ConflictException", 409}},
    {ErrorCode::kExecutionAlreadyExists, {"ExecutionAlreadyExists", 400}},
    {ErrorCode::kExecutionDoesNotExist, {"ExecutionDoesNotExist", 400}},
    {ErrorCode::kExecutionLimitExceeded, {"ExecutionLimitExceeded", 400}},
    {ErrorCode::kExecutionNotRedrivable, {"ExecutionNotRedrivable", 400}},
    {ErrorCode::kInvalidArn, {"InvalidArn", 400}},
    {ErrorCode::kInvalidDefinition, {"InvalidDefinition", 400}},
    {ErrorCode::kInvalidExecutionInput, {"InvalidExecutionInput", 400}},
    {ErrorCode::kInvalidLoggingConfiguration, {"InvalidLoggingConfiguration", 400}},
    {ErrorCode::kInvalidName, {"InvalidName", 400}},
    {ErrorCode::kInvalidOutput, {"InvalidOutput", 400}},
    {ErrorCode::kInvalidToken, {"InvalidToken", 400}},
    {ErrorCode::kInvalidTracingConfiguration, {"InvalidTracingConfiguration", 400}},
    {ErrorCode::kInvalidEncryptionConfiguration, {"InvalidEncryptionConfiguration", 400}},
    {ErrorCode::kResourceNotFound, {"ResourceNotFound", 400}},
    {ErrorCode::kServiceQuotaExceeded, {"ServiceQuotaExceededException", 402}},
    {ErrorCode::kStateMachineAlreadyExists, {"StateMachineAlreadyExists", 400}},
    {ErrorCode::kStateMachineDeleting, {"StateMachineDeleting", 400}},
    {ErrorCode::kStateMachineDoesNotExist, {"StateMachineDoesNotExist", 400}},
    {ErrorCode::kStateMachineLimitExceeded, {"StateMachineLimitExceeded", 400}},
    {ErrorCode::kStateMachineTypeNotSupported, {"StateMachineTypeNotSupported", 400}},
    {ErrorCode::kTaskDoesNotExist, {"TaskDoesNotExist", 400}},
    {ErrorCode::kTaskTimedOut, {"TaskTimedOut", 400}},
    {ErrorCode::kTooManyTags, {"TooManyTags", 400}},
    {ErrorCode::kInternal, {"InternalFailure", 500}},
    {ErrorCode::kStorage, {"InternalFailure", 500}},
    {ErrorCode::kUnavailable, {"ServiceUnavailable", 503}},
};

// The member name under which Status::detail() travels, per error shape.
const char* DetailMember(ErrorCode code) {
  switch (code) {
    case ErrorCode::kValidation:
      return "reason";
    case ErrorCode::kResourceNotFound:
    case ErrorCode::kTooManyTags:
      return "resourceName";
    default:
      return nullptr;
  }
}

}  // namespace

ErrorInfo LookupError(ErrorCode code) {
  for (const Entry& entry : kTable) {
    if (entry.code == code) return entry.info;
  }
  return {"InternalFailure", 500};
}

ApiResponse ErrorResponse(const Status& status) {
  ErrorInfo info = LookupError(status.code());
  Json body = Json::object();
  body["__type"] = info.type;
  // Internal failures never leak storage details to clients.
  body["message"] = info.http_status >= 500 && status.code() != ErrorCode::kUnavailable
                        ? std::string("Internal service error")
                        : status.message();
  const char* member = DetailMember(status.code());
  if (member != nullptr && !status.detail().empty()) body[member] = status.detail();
  ApiResponse response;
  response.http_status = info.http_status;
  response.body = DumpJson(body);
  response.error_type = info.type;
  return response;
}

}  // namespace stepline::api
