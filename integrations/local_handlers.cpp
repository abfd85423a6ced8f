#include "integrations/local_handlers.h"

#include <fstream>
#include <sstream>

#include "common/ids.h"
#include "integrations/sdk_shapes.h"

namespace stepline::integrations {
namespace {

Status Invalid(const std::string& what) {
  return Status(ErrorCode::kValidation, "Invalid local handler configuration: " + what);
}

Result<LocalHandler> ParseHandler(const std::string& key, const Json& body,
                                  const std::string& base_dir) {
  if (!body.is_object() || !body.contains("Command")) {
    return Invalid("Handlers." + key + " must be an object with a Command");
  }
  LocalHandler h;
  const Json& cmd = body["Command"];
  if (cmd.is_string()) {
    h.command = {"/bin/sh", "-c", cmd.get<std::string>()};
  } else if (cmd.is_array() && !cmd.empty()) {
    for (const Json& part : cmd) {
      if (!part.is_string()) return Invalid("Handlers." + key + ".Command must hold strings");
      h.command.push_back(part.get<std::string>());
    }
  } else {
    return Invalid("Handlers." + key + ".Command must be a string or a non-empty array");
  }
  if (body.contains("Env")) {
    if (!body["Env"].is_object()) return Invalid("Handlers." + key + ".Env must be an object");
    for (const auto& [k, v] : body["Env"].items()) {
      h.env[k] = v.is_string() ? v.get<std::string>() : DumpJson(v);
    }
  }
  std::string cwd = body.value("Cwd", std::string());
  h.cwd = cwd.empty() || cwd[0] == '/' ? (cwd.empty() ? base_dir : cwd) : base_dir + "/" + cwd;
  if (body.contains("TimeoutSeconds")) {
    if (!body["TimeoutSeconds"].is_number_integer() || body["TimeoutSeconds"].get<int64_t>() < 1) {
      return Invalid("Handlers." + key + ".TimeoutSeconds must be a positive integer");
    }
    h.timeout_seconds = body["TimeoutSeconds"].get<int64_t>();
  }
  return h;
}

bool IsLambda(const ResourceSpec& spec) {
  return spec.legacy_lambda || (spec.resource_type == "lambda" && spec.action == "invoke");
}

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

// The event the handler reads on stdin.
Json EventOf(const TaskRequest& request) {
  if (request.spec.legacy_lambda || !IsLambda(request.spec)) return request.parameters;
  if (!request.parameters.is_object() || !request.parameters.contains("Payload")) {
    return Json::object();
  }
  const Json& payload = request.parameters["Payload"];
  if (payload.is_string()) {
    auto parsed = ParseJson(payload.get<std::string>());
    if (parsed.ok()) return *parsed;
  }
  return payload.is_null() ? Json::object() : payload;
}

TaskOutcome Failure(std::string error, std::optional<std::string> cause) {
  TaskOutcome o;
  o.error = {std::move(error), std::move(cause), std::nullopt};
  return o;
}

std::string Tail(const std::string& s, size_t n) {
  return s.size() <= n ? s : s.substr(s.size() - n);
}

TaskOutcome ToOutcome(const TaskRequest& request, const ProcessResult& r, bool request_timeout) {
  bool lambda = IsLambda(request.spec);
  if (!r.started) return Failure(errors::kTaskFailed, "Local handler: " + r.error);
  if (r.timed_out) {
    if (request_timeout) return Failure(errors::kTimeout, std::nullopt);
    return Failure(lambda ? "Sandbox.Timedout" : errors::kTimeout,
                   "Local handler for " + request.spec.arn + " timed out");
  }
  if (r.output_too_large) return Failure(errors::kTaskFailed, "Local handler output too large");
  std::string out = Trim(r.out);
  auto parsed = ParseJson(out.empty() ? "null" : out);
  if (parsed.ok() && parsed->is_object() && (*parsed).contains("errorType") &&
      (*parsed)["errorType"].is_string()) {
    // As Lambda through Step Functions: a function ARN passes the text through,
    // lambda:invoke re-serialises it compactly (see LambdaCause).
    bool compact = lambda && !request.spec.legacy_lambda;
    return Failure((*parsed)["errorType"].get<std::string>(), compact ? DumpJson(*parsed) : out);
  }
  if (r.exit_code != 0) {
    std::string why = r.signal ? "killed by signal " + std::to_string(r.signal)
                               : "exited with status " + std::to_string(r.exit_code);
    return Failure(lambda ? "Lambda.Unknown" : errors::kTaskFailed,
                   "The cause could not be determined because Lambda did not return an error "
                   "type. Returned payload: " +
                       out + " (local handler " + why +
                       (r.err.empty() ? "" : "; stderr: " + Tail(Trim(r.err), 2048)) + ")");
  }
  TaskOutcome o;
  o.ok = true;
  Json value = parsed.ok() ? *parsed : Json(out);
  if (lambda && !request.spec.legacy_lambda) {
    std::string id = NewUuid();
    HeaderList headers = {{"Content-Type", "application/json"},
                          {"X-Amz-Executed-Version", "$LATEST"},
                          {"x-amzn-RequestId", id}};
    o.result = OptimizedResult(
        Json{{"ExecutedVersion", "$LATEST"}, {"Payload", value}, {"StatusCode", 200}}, 200, headers,
        id);
  } else {
    o.result = std::move(value);
  }
  if (request.spec.pattern == Pattern::kWaitForTaskToken) {
    o.ok = false;
    o.submitted = true;
    o.submitted_output = std::move(o.result);
    o.result = Json();
  }
  return o;
}

}  // namespace

Result<LocalHandlerConfig> LocalHandlerConfig::Parse(const Json& document,
                                                     const std::string& base_dir) {
  if (!document.is_object()) return Invalid("the document must be a JSON object");
  LocalHandlerConfig config;
  if (document.contains("Concurrency")) {
    const Json& c = document["Concurrency"];
    if (!c.is_number_integer() || c.get<int>() < 1 || c.get<int>() > 256) {
      return Invalid("Concurrency must be an integer in 1..256");
    }
    config.concurrency = c.get<int>();
  }
  const Json handlers = document.value("Handlers", Json::object());
  if (!handlers.is_object()) return Invalid("Handlers must be an object");
  for (const auto& [key, body] : handlers.items()) {
    auto h = ParseHandler(key, body, base_dir);
    if (!h.ok()) return h.status();
    config.handlers[key] = std::move(*h);
  }
  return config;
}

Result<LocalHandlerConfig> LocalHandlerConfig::LoadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(ErrorCode::kValidation, "Cannot read local handler file " + path);
  std::stringstream text;
  text << in.rdbuf();
  auto json = ParseJson(text.str());
  if (!json.ok()) return Invalid(path + ": " + json.status().message());
  size_t slash = path.rfind('/');
  return Parse(*json, slash == std::string::npos ? "." : path.substr(0, slash));
}

std::string LambdaFunctionName(const std::string& name_or_arn) {
  std::vector<std::string> parts;
  std::stringstream ss(name_or_arn);
  for (std::string p; std::getline(ss, p, ':');) parts.push_back(p);
  if (parts.size() >= 7 && parts[0] == "arn") return parts[6];
  if (parts.size() >= 3 && parts[1] == "function") return parts[2];
  return parts.empty() ? name_or_arn : parts[0];
}

LocalHandlerDispatcher::LocalHandlerDispatcher(LocalHandlerConfig config,
                                               std::shared_ptr<TaskDispatcher> fallback)
    : config_(std::move(config)),
      fallback_(std::move(fallback)),
      runner_(std::make_unique<ProcessRunner>(config_.concurrency)) {}

const LocalHandler* LocalHandlerDispatcher::Find(const TaskRequest& request) const {
  auto lookup = [&](const std::string& key) -> const LocalHandler* {
    auto it = config_.handlers.find(key);
    return it == config_.handlers.end() ? nullptr : &it->second;
  };
  const ResourceSpec& spec = request.spec;
  if (spec.legacy_lambda) {
    if (auto* h = lookup(LambdaFunctionName(spec.arn))) return h;
  } else if (IsLambda(spec) && request.parameters.is_object() &&
             request.parameters.contains("FunctionName") &&
             request.parameters["FunctionName"].is_string()) {
    std::string fn = request.parameters["FunctionName"].get<std::string>();
    if (auto* h = lookup(LambdaFunctionName(fn))) return h;
    if (auto* h = lookup(fn)) return h;
  }
  if (auto* h = lookup(spec.arn)) return h;
  return lookup(spec.resource_type + ":" + spec.action);
}

void LocalHandlerDispatcher::Dispatch(TaskRequest request, std::function<void(TaskOutcome)> done) {
  const LocalHandler* handler = Find(request);
  if (!handler) {
    if (fallback_) return fallback_->Dispatch(std::move(request), std::move(done));
    return done(Failure(errors::kTaskFailed, "No local handler for " + request.spec.arn));
  }
  ProcessSpec spec;
  spec.argv = handler->command;
  spec.env = handler->env;
  spec.env["STEPLINE_STATE_NAME"] = request.state_name;
  spec.env["STEPLINE_EXECUTION_ARN"] = request.execution_arn;
  if (request.task_token) spec.env["STEPLINE_TASK_TOKEN"] = *request.task_token;
  spec.cwd = handler->cwd;
  spec.stdin_text = DumpJson(EventOf(request));
  int64_t seconds = handler->timeout_seconds;
  bool request_timeout = request.timeout_seconds && *request.timeout_seconds <= seconds;
  if (request_timeout) seconds = *request.timeout_seconds;
  spec.timeout = std::chrono::seconds(seconds);
  auto shared = std::make_shared<TaskRequest>(std::move(request));
  runner_->Run(std::move(spec), [shared, request_timeout, done = std::move(done)](ProcessResult r) {
    done(ToOutcome(*shared, r, request_timeout));
  });
}

}  // namespace stepline::integrations
