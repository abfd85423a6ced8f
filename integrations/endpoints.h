// Endpoint resolution for the AWS services Task states call.
//
// Precedence for a service: the Step Functions Local variable (LAMBDA_ENDPOINT,
// SQS_ENDPOINT, SNS_ENDPOINT, DYNAMODB_ENDPOINT, EVENTBRIDGE_ENDPOINT,
// STEP_FUNCTIONS_ENDPOINT, ...), then AWS_ENDPOINT_URL_<SERVICE> (LAMBDA, SQS,
// SNS, DYNAMODB, EVENTBRIDGE, S3, SECRETS_MANAGER, SFN, ...), then
// AWS_ENDPOINT_URL, then real AWS (https://<prefix>.<region>.amazonaws.com).
//
// Thread-safety: immutable after construction.
#pragma once

#include <functional>
#include <map>
#include <string>

namespace stepline::integrations {

// Static facts about one AWS service as the integrations use it.
struct ServiceInfo {
  std::string sdk_name;          // "sqs", "dynamodb", "sfn", "events" (aws-sdk:<name>)
  std::string signing_name;      // SigV4 service: "sqs", "states", "events"
  std::string host_prefix;       // "sqs" -> https://sqs.<region>.amazonaws.com
  std::string env_suffix;        // AWS_ENDPOINT_URL_<env_suffix>
  std::string sfn_local_env;     // "SQS_ENDPOINT"; empty when Step Functions Local has none
  std::string target_prefix;     // JSON protocol X-Amz-Target prefix; empty when not JSON
  std::string json_version;      // "1.0" or "1.1"
  std::string sdk_error_prefix;  // aws-sdk error names: "DynamoDb", "Sfn", "S3"
  bool camel_case = false;       // wire members are camelCase (sfn, ecs, codebuild, logs)
};

// Known services by aws-sdk name (aliases: "states" -> sfn, "eventbridge" -> events).
// A service not in the table gets a generic entry derived from its name.
ServiceInfo LookupService(const std::string& name);

class EndpointResolver {
 public:
  using Getenv = std::function<const char*(const char*)>;
  explicit EndpointResolver(Getenv getenv = nullptr);  // nullptr: std::getenv

  // Base URL without a trailing slash, e.g. "http://localhost:4566".
  std::string Resolve(const ServiceInfo& service, const std::string& region) const;
  // True when some variable overrides the service's endpoint.
  bool Overridden(const ServiceInfo& service) const;

 private:
  std::string Lookup(const ServiceInfo& service) const;
  Getenv getenv_;
};

}  // namespace stepline::integrations
