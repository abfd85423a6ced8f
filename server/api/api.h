// The AWS JSON 1.0 API of Stepline as a plain request -> response function.
//
// The HTTP layer (server/http) hands every POST to an ApiHandler with the
// X-Amz-Target header value and the body; the handler answers exactly once
// through the callback, possibly later and on another thread (StartExecution
// waits for its commit, GetActivityTask long-polls, StartSyncExecution waits
// for the execution). No sockets here: tests call Handle directly.
//
// Thread-safety: Handle may be called concurrently from any thread.
#pragma once

#include <functional>
#include <string>

namespace stepline::api {

struct ApiRequest {
  std::string target;      // "AWSStepFunctions.StartExecution" (X-Amz-Target, as sent)
  std::string body;        // JSON object text; empty means {}
  std::string request_id;  // x-amzn-RequestId the response will carry
  std::string region;      // from the SigV4 credential scope when present, else empty
};

struct ApiResponse {
  int http_status = 200;
  std::string body;        // JSON text
  std::string error_type;  // AWS error shape name when http_status >= 400, else empty
};

using Responder = std::function<void(ApiResponse)>;

class ApiHandler {
 public:
  virtual ~ApiHandler() = default;
  virtual void Handle(ApiRequest request, Responder respond) = 0;
};

}  // namespace stepline::api
