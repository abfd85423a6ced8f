// states:startExecution.sync / .sync:2: start, report TaskSubmitted, then poll
// DescribeExecution until the child execution leaves RUNNING.
#include <algorithm>
#include <chrono>

#include "integrations/aws_ops.h"
#include "integrations/sdk_shapes.h"

namespace stepline::integrations {
namespace {

using SteadyClock = std::chrono::steady_clock;

// DescribeExecution's camelCase members -> the PascalCase, alphabetical shape
// Step Functions reports ("inputDetails": {"included"} -> "InputDetails": {"Included"}).
Json Pascal(const Json& value) {
  Json renamed = RenameKeys(value, true);
  if (!renamed.is_object()) return renamed;
  std::vector<std::pair<std::string, Json>> members;
  for (const auto& [k, v] : renamed.items()) members.emplace_back(k, v);
  std::sort(members.begin(), members.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  Json out = Json::object();
  for (auto& [k, v] : members) out[k] = std::move(v);
  return out;
}

struct SyncPoll : std::enable_shared_from_this<SyncPoll> {
  Ctx ctx;
  TaskRequest req;
  OutcomeFn done;
  std::string execution_arn;
  std::optional<SteadyClock::time_point> deadline;

  void Schedule() {
    auto self = shared_from_this();
    ctx->http->After(ctx->sync_poll, [self] { self->Describe(); });
  }

  void Describe() {
    if (deadline && SteadyClock::now() > *deadline) return done(Failed({errors::kTimeout, {}, {}}));
    ServiceInfo info = LookupService("sfn");
    HttpRequest http;
    http.method = "POST";
    http.url = ctx->endpoints.Resolve(info, RegionOf(req, *ctx)) + "/";
    http.headers = {{"Content-Type", "application/x-amz-json-1.0"},
                    {"X-Amz-Target", "AWSStepFunctions.DescribeExecution"}};
    http.body = DumpJson(Json{{"executionArn", execution_arn}});
    auto self = shared_from_this();
    SendSigned(*ctx, info, RegionOf(req, *ctx), std::move(http),
               [self](HttpResult r) { self->OnDescribe(r); });
  }

  void OnDescribe(const HttpResult& r) {
    ErrorStyle style = OptimizedStyle("states");
    if (!r.ok()) return done(Failed(ClientFailure(style, r.error)));
    if (r.response.status >= 300) {
      return done(Failed(ServiceFailure(style, ParseJsonError(r.response))));
    }
    auto body = ParseJson(r.response.body);
    if (!body.ok() || !body->is_object()) {
      return done(Failed({errors::kTaskFailed, "Invalid DescribeExecution response", {}}));
    }
    std::string status = body->value("status", "");
    if (status == "RUNNING" || status == "PENDING_REDRIVE") return Schedule();
    Json result = Pascal(*body);
    if (status != "SUCCEEDED") return done(Failed({errors::kTaskFailed, DumpJson(result), {}}));
    if (req.spec.pattern == Pattern::kSync2 && result.contains("Output") &&
        result["Output"].is_string()) {
      auto output = ParseJson(result["Output"].get<std::string>());
      if (output.ok()) result["Output"] = *output;
    }
    done(Succeeded(std::move(result)));
  }
};

}  // namespace

void StartExecutionSync(const Ctx& ctx, const TaskRequest& request, OutcomeFn done) {
  auto poll = std::make_shared<SyncPoll>();
  poll->ctx = ctx;
  poll->req = request;
  poll->done = std::move(done);
  if (request.timeout_seconds) {
    poll->deadline = SteadyClock::now() + std::chrono::seconds(*request.timeout_seconds);
  }
  OptimizedJsonCall(ctx, request, [poll](TaskOutcome started) {
    if (!started.ok) return poll->done(std::move(started));
    poll->execution_arn = started.result.value("ExecutionArn", "");
    if (poll->req.on_submitted) poll->req.on_submitted(started.result);
    poll->Schedule();
  });
}

}  // namespace stepline::integrations
