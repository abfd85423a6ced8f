// IntegrationsConfig and MakeDefaultDispatcher: the Task dispatcher the server
// uses, composed as   mocks -> local handlers -> AWS-compatible endpoints,
// with results over 256 KiB turned into States.DataLimitExceeded.
//
//   auto config = IntegrationsConfig::FromEnvironment();
//   config.mock_config_path = flag_value_or_env;          // --mock-config
//   auto dispatcher = MakeDefaultDispatcher(config);       // Result<shared_ptr<...>>
//
// Environment: SFN_MOCK_CONFIG (mock configuration file), STEPLINE_HANDLERS
// (local handler file), AWS_REGION / AWS_DEFAULT_REGION, AWS_ACCESS_KEY_ID /
// AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, AWS_ENDPOINT_URL[_<SERVICE>] and the
// Step Functions Local *_ENDPOINT names (endpoints.h), STEPLINE_HTTP_TIMEOUT_SECONDS.
//
// Thread-safety: the returned dispatcher is safe to call from any thread; its
// callbacks run on a handler-pool thread, an HTTP I/O thread, or synchronously
// inside Dispatch (mocked responses and immediate errors).
#pragma once

#include <memory>
#include <string>

#include "common/status.h"
#include "integrations/endpoints.h"
#include "integrations/sigv4.h"
#include "integrations/task_dispatch.h"

namespace stepline::integrations {

struct IntegrationsConfig {
  std::string mock_config_path;      // empty: no mocks
  std::string handlers_config_path;  // empty: no local handlers
  std::string region = "us-east-1";
  AwsCredentials credentials;
  EndpointResolver endpoints;
  int http_threads = 1;
  int64_t http_timeout_seconds = 60;

  static IntegrationsConfig FromEnvironment();
};

// kValidation when a configured file is missing or malformed.
Result<std::shared_ptr<TaskDispatcher>> MakeDefaultDispatcher(const IntegrationsConfig& config);

}  // namespace stepline::integrations
