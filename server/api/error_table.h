// The one table that turns a Status into an AWS JSON 1.0 error response:
// ErrorCode -> (`__type`, HTTP status), and the error body
// {"__type": "...", "message": "..."} plus the shape's extra member
// (`reason` of ValidationException, `resourceName` of ResourceNotFound and
// TooManyTags) taken from Status::detail().
//
// Thread-safety: pure functions over a constant table.
// Invariant: every ErrorCode has an entry; internal codes map to 5xx.
#pragma once

#include <string>

#include "common/status.h"
#include "server/api/api.h"

namespace stepline::api {

struct ErrorInfo {
  const char* type;  // wire `__type`
  int http_status;
};

ErrorInfo LookupError(ErrorCode code);

// The complete error response for a non-OK status.
ApiResponse ErrorResponse(const Status& status);

}  // namespace stepline::api
