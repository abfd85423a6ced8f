// Pass, Task, Wait and Fail: the state types without sub-workflows or rules.
#include "common/limits.h"
#include "common/timefmt.h"
#include "engine/asl/state_parsers.h"

namespace stepline::asl::internal {
namespace {

constexpr int64_t kMaxSeconds = 99999999;

bool EndsWith(const std::string& text, std::string_view suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

void ReportExclusive(const FieldReader& in, std::initializer_list<const char*> keys,
                     ParseContext& ctx) {
  std::string list;
  int present = 0;
  for (const char* key : keys) {
    present += in.Has(key) ? 1 : 0;
    list += (list.empty() ? "" : ", ") + std::string(key);
  }
  if (present > 1) {
    ctx.Schema("Only one of the following fields can be specified: [" + list + "]", in.location());
  }
}

void CheckResource(const std::string& resource, const std::string& location, ParseContext& ctx) {
  size_t colons = 0;
  for (char c : resource) colons += c == ':' ? 1 : 0;
  if (resource.rfind("arn:", 0) != 0 || colons < 5) {
    ctx.Schema("The resource provided " + resource +
                   " is not recognized. The value is not a valid resource ARN, or the resource "
                   "is not available in this region.",
               location);
    return;
  }
  if (!ctx.options->express) return;
  if (EndsWith(resource, ".waitForTaskToken")) {
    ctx.Schema("Express state machine does not support '.waitForTaskToken' service integration ",
               location);
  } else if (EndsWith(resource, ".sync") || EndsWith(resource, ".sync:2")) {
    ctx.Schema("Express state machine does not support '.sync' service integration ", location);
  }
}

void ReadCredentials(const FieldReader& in, ParseContext& ctx, State& state, TaskSpec& task) {
  const Json* creds = in.Object("Credentials");
  if (!creds) return;
  std::string location = in.At("Credentials");
  bool jsonata = state.query_language == QueryLanguage::kJsonata;
  if (!creds->contains("RoleArn") && (jsonata || !creds->contains("RoleArn.$"))) {
    ctx.Schema("The field 'RoleArn' is required but was missing", location);
  }
  if (jsonata) {
    task.credentials_jsonata = CompileJsonata(*creds, location, ctx);
  } else {
    task.credentials = CompilePayload(*creds, location, ctx);
  }
}

void CheckHeartbeat(const FieldReader& in, const TaskSpec& task, ParseContext& ctx) {
  if (task.timeout_seconds.literal && task.heartbeat_seconds.literal &&
      *task.heartbeat_seconds.literal >= *task.timeout_seconds.literal) {
    ctx.Schema(
        "The value for the field 'HeartbeatSeconds' must be smaller than the value for "
        "the field 'TimeoutSeconds'",
        in.At("HeartbeatSeconds"));
  }
}

std::optional<int64_t> ReadTimestamp(const FieldReader& in, ParseContext& ctx) {
  auto text = in.String("Timestamp");
  if (!text) return std::nullopt;
  auto millis = ParseRfc3339(*text);
  if (!millis) {
    ctx.Schema("The value for the field 'Timestamp' must be a valid timestamp", in.At("Timestamp"));
  }
  return millis;
}

void ReadWaitJsonata(const FieldReader& in, ParseContext& ctx, WaitSpec& wait) {
  if (in.Has("Seconds")) {
    DynamicNumber n =
        ParseDynamicNumber(in, "Seconds", QueryLanguage::kJsonata, 0, kMaxSeconds, true, ctx);
    wait.kind = n.jsonata ? WaitSpec::Kind::kSecondsJsonata : WaitSpec::Kind::kSeconds;
    if (n.literal) wait.seconds = static_cast<int64_t>(*n.literal);
    wait.jsonata = std::move(n.jsonata);
  } else if (const Json* ts = in.Get("Timestamp"); ts && IsJsonataString(*ts)) {
    wait.kind = WaitSpec::Kind::kTimestampJsonata;
    wait.jsonata = CompileJsonata(*ts, in.At("Timestamp"), ctx);
  } else if (ts) {
    wait.kind = WaitSpec::Kind::kTimestamp;
    if (auto millis = ReadTimestamp(in, ctx)) wait.timestamp_millis = *millis;
  }
}

void ReadWaitJsonPath(const FieldReader& in, ParseContext& ctx, WaitSpec& wait) {
  if (in.Has("Seconds")) {
    wait.kind = WaitSpec::Kind::kSeconds;
    if (auto n = in.Integer("Seconds", 0, kMaxSeconds)) wait.seconds = *n;
  } else if (in.Has("Timestamp")) {
    wait.kind = WaitSpec::Kind::kTimestamp;
    if (auto millis = ReadTimestamp(in, ctx)) wait.timestamp_millis = *millis;
  } else if (in.Has("SecondsPath")) {
    wait.kind = WaitSpec::Kind::kSecondsPath;
    if (auto p = in.Path("SecondsPath", true)) wait.path = std::move(*p);
  } else if (in.Has("TimestampPath")) {
    wait.kind = WaitSpec::Kind::kTimestampPath;
    if (auto p = in.Path("TimestampPath", true)) wait.path = std::move(*p);
  }
}

// Fail Error/Cause: a literal, a "{% %}" expression (JSONata) or a *Path (JSONPath).
void ReadFailField(const FieldReader& in, const char* key, ParseContext& ctx, bool jsonata,
                   std::optional<std::string>& literal, std::optional<jsonpath::ValueExpr>& path,
                   std::optional<jsonata::Template>& expression) {
  std::string path_key = std::string(key) + "Path";
  if (jsonata && in.Get(key) && IsJsonataString(*in.Get(key))) {
    expression = CompileJsonata(*in.Get(key), in.At(key), ctx);
  } else if (auto text = in.String(key)) {
    literal = *text;
  }
  if (jsonata || !in.Has(path_key)) return;
  auto text = in.String(path_key);
  if (!text) return;
  auto parsed = jsonpath::ValueExpr::Parse(*text);
  if (!parsed.ok()) {
    ctx.Schema("The value for the field '" + path_key +
                   "' must be a valid JSONPath or a valid intrinsic function call",
               in.At(path_key));
    return;
  }
  path = std::move(parsed).value();
}

}  // namespace

void ParsePass(const FieldReader& in, ParseContext& ctx, State& state) {
  PassSpec pass;
  if (state.query_language == QueryLanguage::kJsonPath) {
    if (const Json* result = in.Get("Result")) pass.result = *result;
  }
  state.spec = std::move(pass);
}

void ParseTask(const FieldReader& in, ParseContext& ctx, State& state) {
  TaskSpec task;
  in.Require({"Resource"});
  if (auto resource = in.String("Resource")) {
    task.resource = *resource;
    CheckResource(*resource, in.At("Resource"), ctx);
    Result<task::ResourceSpec> spec = task::ParseResource(*resource);
    if (spec.ok()) {
      task.resource_spec = std::move(spec).value();
    } else {
      task.resource_error = spec.status().message();
    }
  }
  ReadCredentials(in, ctx, state, task);
  task.timeout_seconds =
      ParseDynamicNumber(in, "TimeoutSeconds", state.query_language, 1, kMaxSeconds, true, ctx);
  task.heartbeat_seconds =
      ParseDynamicNumber(in, "HeartbeatSeconds", state.query_language, 1, kMaxSeconds, true, ctx);
  CheckHeartbeat(in, task, ctx);
  state.spec = std::move(task);
}

void ParseWait(const FieldReader& in, ParseContext& ctx, State& state) {
  WaitSpec wait;
  int present = 0;
  for (const char* key : {"Seconds", "Timestamp", "SecondsPath", "TimestampPath"}) {
    present += in.Has(key) ? 1 : 0;
  }
  if (present != 1) {
    ctx.Schema(
        "Exactly one of the following fields must be specified: [Seconds, Timestamp, "
        "SecondsPath, TimestampPath]",
        in.location());
  } else if (state.query_language == QueryLanguage::kJsonata) {
    ReadWaitJsonata(in, ctx, wait);
  } else {
    ReadWaitJsonPath(in, ctx, wait);
  }
  state.spec = std::move(wait);
}

void ParseFail(const FieldReader& in, ParseContext& ctx, State& state) {
  FailSpec fail;
  ReportExclusive(in, {"Error", "ErrorPath"}, ctx);
  ReportExclusive(in, {"Cause", "CausePath"}, ctx);
  bool jsonata = state.query_language == QueryLanguage::kJsonata;
  ReadFailField(in, "Error", ctx, jsonata, fail.error, fail.error_path, fail.error_jsonata);
  ReadFailField(in, "Cause", ctx, jsonata, fail.cause, fail.cause_path, fail.cause_jsonata);
  state.spec = std::move(fail);
}

}  // namespace stepline::asl::internal
