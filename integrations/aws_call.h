// Internal to integrations/: signing and sending one AWS API call, and turning
// AWS error responses into Step Functions task errors with AWS's names and
// cause texts (SDK for Java v1 style for optimized integrations, v2 style for
// aws-sdk:* integrations).
//
// Thread-safety: AwsContext is immutable after construction except for the
// HttpClient, which is itself thread-safe.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "common/json.h"
#include "engine/states_error.h"
#include "integrations/endpoints.h"
#include "integrations/http_client.h"
#include "integrations/sigv4.h"

namespace stepline::integrations {

struct AwsContext {
  std::shared_ptr<HttpClient> http;
  EndpointResolver endpoints;
  AwsCredentials credentials;
  std::string default_region = "us-east-1";
  std::chrono::milliseconds timeout{std::chrono::seconds(60)};
  std::chrono::milliseconds sync_poll{std::chrono::seconds(1)};
};

// A service error as the response carries it.
struct ServiceError {
  int status = 0;
  std::string code;  // "ResourceNotFoundException", "NoSuchKey", "NotFound"
  std::string message;
  std::string request_id;
  std::string extended_request_id;  // S3 x-amz-id-2
};

ServiceError ParseJsonError(const HttpResponse& response);
ServiceError ParseXmlError(const HttpResponse& response);

// How an integration names its errors.
struct ErrorStyle {
  std::string prefix;         // "SQS", "DynamoDB", "Lambda" / aws-sdk: "DynamoDb", "S3"
  std::string sdk_service;    // v1 "Service:" name ("AmazonDynamoDBv2"); empty for v2 style
  std::string generic_class;  // "AmazonDynamoDBException" / "DynamoDbException"
};
ErrorStyle OptimizedStyle(const std::string& service);  // resource_type of an optimized integration
ErrorStyle SdkStyle(const ServiceInfo& service);

StatesError ServiceFailure(const ErrorStyle& style, const ServiceError& error);
StatesError ClientFailure(const ErrorStyle& style, const std::string& transport_error);

// Signs `request` (url, method, headers, body final) for `service` in `region`
// and sends it with the context's timeout.
void SendSigned(const AwsContext& ctx, const ServiceInfo& service, const std::string& region,
                HttpRequest request, std::function<void(HttpResult)> done);

// Request id from x-amzn-RequestId / x-amz-request-id.
std::string RequestIdOf(const HttpResponse& response);

// "putItem" -> "PutItem".
std::string PascalCase(const std::string& action);

}  // namespace stepline::integrations
