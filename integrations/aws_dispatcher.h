// AwsDispatcher: performs Task work against AWS-compatible endpoints (real AWS,
// LocalStack, moto, ...) over HTTP(S) with SigV4 signing.
//
// Supported: Lambda Invoke (legacy function ARNs, lambda:invoke, aws-sdk:lambda:invoke),
// sqs:sendMessage, sns:publish, dynamodb:getItem/putItem/updateItem/deleteItem,
// events:putEvents, states:startExecution (request-response), aws-sdk:<service>:<action>
// for JSON-protocol services (see endpoints.cpp), and S3 getObject, putObject,
// copyObject, listObjectsV2, listObjects, headObject, deleteObject, listBuckets
// (aws-sdk:s3 and the s3:* ItemReader/ResultWriter resources). Any of them with
// .waitForTaskToken reports the service response as TaskSubmitted.
//
// Results carry the shapes Step Functions gives them: optimized integrations add
// SdkHttpMetadata/SdkResponseMetadata (except events:putEvents), aws-sdk
// integrations return the API's PascalCase members. Errors use AWS's names
// ("SQS.SdkClientException", "DynamoDB.ResourceNotFoundException", "S3.NoSuchKeyException").
//
// Thread-safety: Dispatch may be called concurrently; `done` runs on an HTTP
// client I/O thread. Invariant: each Dispatch calls `done` exactly once.
#pragma once

#include <memory>

#include "integrations/aws_call.h"
#include "integrations/task_dispatch.h"

namespace stepline::integrations {

class AwsDispatcher : public TaskDispatcher {
 public:
  explicit AwsDispatcher(AwsContext context);
  void Dispatch(TaskRequest request, std::function<void(TaskOutcome)> done) override;

 private:
  std::shared_ptr<const AwsContext> ctx_;
};

}  // namespace stepline::integrations
