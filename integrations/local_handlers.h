// LocalHandlerDispatcher: runs Task work as local commands (a Lambda function
// implemented as a script), configured by a JSON file (integrations/README.md):
//
//   {"Concurrency": 8,
//    "Handlers": {"my-function": {"Command": ["python3", "fn.py"], "TimeoutSeconds": 30,
//                                  "Env": {"K": "V"}, "Cwd": "."},
//                 "sqs:sendMessage": {"Command": "cat >> /tmp/sent.jsonl; echo {}"}}}
//
// A handler key is a Lambda function name (legacy ARN or lambda:invoke
// FunctionName), a Resource ARN as written, or "<resourceType>:<action>". The
// event JSON goes to the command's stdin, the result JSON comes from its stdout.
// Unmatched requests go to the fallback dispatcher.
//
// Thread-safety: Dispatch may be called concurrently; it never blocks on the
// command (runs go to a ProcessRunner pool) and `done` runs on a pool thread.
// Invariant: the configuration is immutable after Load.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/json.h"
#include "common/status.h"
#include "integrations/process_runner.h"
#include "integrations/task_dispatch.h"

namespace stepline::integrations {

struct LocalHandler {
  std::vector<std::string> command;
  std::map<std::string, std::string> env;
  std::string cwd;
  int64_t timeout_seconds = 300;
};

struct LocalHandlerConfig {
  std::map<std::string, LocalHandler> handlers;
  int concurrency = 8;

  // `base_dir` resolves relative Cwd values (default: the file's directory).
  static Result<LocalHandlerConfig> Parse(const Json& document, const std::string& base_dir);
  static Result<LocalHandlerConfig> LoadFile(const std::string& path);
};

// "f", "f:alias", "123456789012:function:f", "arn:aws:lambda:r:a:function:f[:q]" -> "f".
std::string LambdaFunctionName(const std::string& name_or_arn);

class LocalHandlerDispatcher : public TaskDispatcher {
 public:
  LocalHandlerDispatcher(LocalHandlerConfig config, std::shared_ptr<TaskDispatcher> fallback);
  void Dispatch(TaskRequest request, std::function<void(TaskOutcome)> done) override;

  // The handler for `request`, or nullptr.
  const LocalHandler* Find(const TaskRequest& request) const;

 private:
  LocalHandlerConfig config_;
  std::shared_ptr<TaskDispatcher> fallback_;
  std::unique_ptr<ProcessRunner> runner_;
};

}  // namespace stepline::integrations
