// Task dispatch: how the interpreter hands a Task state's work to the outside
// world — mocked responses, local handlers, or AWS-compatible endpoints.
//
// This is the seam between engine/runtime (which calls Dispatch) and
// integrations/ (which implements it): both include this header, neither
// includes the other. Tests give the engine fake dispatchers.
//
// A Task's Resource is parsed once (ParseResource, at CreateStateMachine)
// into a ResourceSpec that says which integration and pattern it uses and how
// its history events are named. At run time the engine calls
// TaskDispatcher::Dispatch with the effective parameters and gets exactly one
// TaskOutcome back, possibly on another thread.
//
// A caller that wants to see the wire exchange of an HTTP Task (TestState at
// inspectionLevel TRACE) sets TaskRequest::on_http_exchange; executions leave
// it empty and nothing is recorded.
//
// Thread-safety: ParseResource is pure; Dispatch may be called concurrently
// from any thread, and `done` may run on any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/json.h"
#include "common/status.h"
#include "engine/states_error.h"

namespace stepline::task {

enum class Pattern { kRequestResponse, kSync, kSync2, kWaitForTaskToken };

struct ResourceSpec {
  std::string arn;  // the Resource as written
  // Legacy Lambda function ARN ("arn:aws:lambda:...:function:f"): LambdaFunction* events.
  bool legacy_lambda = false;
  // Activity ARN ("arn:aws:states:...:activity:a"): Activity* events.
  bool activity = false;
  // Service integrations ("arn:aws:states:::lambda:invoke"): resourceType "lambda",
  // resource "invoke"; "aws-sdk:s3:listBuckets" -> "aws-sdk:s3", "listBuckets".
  // As AWS records them, `resource` keeps the pattern suffix
  // ("sendMessage.waitForTaskToken", "startExecution.sync").
  // Legacy Lambda and activities: resource_type "lambda"/"activity", resource = arn.
  std::string resource_type;
  std::string resource;
  Pattern pattern = Pattern::kRequestResponse;
  // The API service and action without prefix or suffix: ("sqs", "sendMessage"),
  // ("s3", "listBuckets") for aws-sdk:s3, ("lambda", "invoke") for legacy ARNs.
  std::string service;
  std::string action;
  bool aws_sdk = false;  // resource_type starts with "aws-sdk:"
};

// ".sync", ".sync:2", ".waitForTaskToken" or "".
const char* PatternSuffix(Pattern pattern);

// Parses a Task Resource. kInvalidDefinition (message without location) for
// resources AWS rejects at creation.
Result<ResourceSpec> ParseResource(const std::string& resource);

// One HTTP request as sent (after the query string, headers and body are
// built; the transport adds Host and Content-Length) and the answer as
// received. `answered` is false when the exchange failed before a response
// (connection refused, timeout): the response members are then empty.
struct HttpExchange {
  using Headers = std::vector<std::pair<std::string, std::string>>;
  std::string method;
  std::string url;  // with the query string
  Headers request_headers;
  std::string request_body;
  bool answered = false;
  int status_code = 0;
  std::string status_message;  // "OK", "Not Found", ... ("" for an unlisted code)
  Headers response_headers;
  std::string response_body;
};

struct TaskRequest {
  ResourceSpec spec;
  Json parameters;  // effective input: after InputPath/Parameters, or JSONata Arguments
  std::string execution_arn;
  std::string state_machine_arn;
  std::string state_name;
  std::string region;
  std::string account;
  std::optional<std::string> task_token;  // .waitForTaskToken and activities
  std::optional<int64_t> timeout_seconds;
  std::optional<int64_t> heartbeat_seconds;
  // s3:putObject from the engine itself (a Map's ResultWriter): the object's
  // bytes as they are, where a Task's Body is stored as JSON text.
  bool raw_body = false;
  Json credentials;        // {"RoleArn": ...} when the state sets Credentials
  std::string test_case;   // mock test case ("<arn>#<TestCase>" starts), empty otherwise
  int64_t invocation = 0;  // 0-based attempt number of this state entry (mocked responses)
  // .sync / .sync:2 only (states:startExecution): called at most once, before
  // `done`, with the start response the engine records as TaskSubmitted. May be empty.
  std::function<void(Json)> on_submitted;
  // http:invoke only: called at most once, before `done`, with the exchange.
  // Empty (the default) for executions, which then pay nothing for it.
  std::function<void(HttpExchange)> on_http_exchange;
};

struct TaskOutcome {
  bool ok = false;
  Json result;        // when ok: the task's result (before ResultSelector)
  StatesError error;  // when !ok: e.g. Lambda.Unknown, States.TaskFailed, States.Timeout
  // For .waitForTaskToken: the request was accepted and the task now waits for
  // SendTaskSuccess/Failure (TaskSubmitted); result/error come later.
  bool submitted = false;
  Json submitted_output;  // the service response recorded in TaskSubmitted
};

class TaskDispatcher {
 public:
  virtual ~TaskDispatcher() = default;
  virtual void Dispatch(TaskRequest request, std::function<void(TaskOutcome)> done) = 0;
};

}  // namespace stepline::task
