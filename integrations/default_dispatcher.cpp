#include "integrations/default_dispatcher.h"

#include <cstdlib>

#include "common/limits.h"

#include "integrations/aws_dispatcher.h"
#include "integrations/local_handlers.h"
#include "integrations/mock_dispatcher.h"

namespace stepline::integrations {
namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

// Results over the payload limit fail the task as AWS does, naming the
// resource ("lambda" for lambda:invoke, the function ARN for legacy Lambda).
class PayloadLimitDispatcher : public TaskDispatcher {
 public:
  explicit PayloadLimitDispatcher(std::shared_ptr<TaskDispatcher> inner)
      : inner_(std::move(inner)) {}
  void Dispatch(TaskRequest request, std::function<void(TaskOutcome)> done) override {
    std::string name = request.spec.legacy_lambda || request.spec.activity
                           ? request.spec.arn
                           : request.spec.resource_type;
    inner_->Dispatch(std::move(request), [name, done = std::move(done)](TaskOutcome o) {
      if (o.ok && DumpJson(o.result).size() > limits::kMaxPayloadBytes) {
        o = TaskOutcome();
        o.error = {errors::kDataLimitExceeded,
                   "The state/task '" + name +
                       "' returned a result with a size exceeding the maximum number of bytes "
                       "service limit.",
                   std::nullopt};
      }
      done(std::move(o));
    });
  }

 private:
  std::shared_ptr<TaskDispatcher> inner_;
};

}  // namespace

IntegrationsConfig IntegrationsConfig::FromEnvironment() {
  IntegrationsConfig c;
  c.mock_config_path = Env("SFN_MOCK_CONFIG");
  c.handlers_config_path = Env("STEPLINE_HANDLERS");
  for (const char* name : {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
    if (!Env(name).empty()) {
      c.region = Env(name);
      break;
    }
  }
  c.credentials = AwsCredentials::FromEnvironment();
  std::string timeout = Env("STEPLINE_HTTP_TIMEOUT_SECONDS");
  if (!timeout.empty() && std::atoll(timeout.c_str()) > 0) {
    c.http_timeout_seconds = std::atoll(timeout.c_str());
  }
  return c;
}

Result<std::shared_ptr<TaskDispatcher>> MakeDefaultDispatcher(const IntegrationsConfig& config) {
  AwsContext ctx;
  ctx.http = std::make_shared<HttpClient>(config.http_threads);
  ctx.endpoints = config.endpoints;
  ctx.credentials = config.credentials;
  ctx.default_region = config.region;
  ctx.timeout = std::chrono::seconds(config.http_timeout_seconds);
  std::shared_ptr<TaskDispatcher> dispatcher = std::make_shared<AwsDispatcher>(std::move(ctx));
  if (!config.handlers_config_path.empty()) {
    auto handlers = LocalHandlerConfig::LoadFile(config.handlers_config_path);
    if (!handlers.ok()) return handlers.status();
    dispatcher = std::make_shared<LocalHandlerDispatcher>(std::move(*handlers), dispatcher);
  }
  if (!config.mock_config_path.empty()) {
    auto mocks = MockConfig::LoadFile(config.mock_config_path);
    if (!mocks.ok()) return mocks.status();
    dispatcher = std::make_shared<MockDispatcher>(
        std::make_shared<const MockConfig>(std::move(*mocks)), dispatcher);
  }
  return std::shared_ptr<TaskDispatcher>(std::make_shared<PayloadLimitDispatcher>(dispatcher));
}

}  // namespace stepline::integrations
