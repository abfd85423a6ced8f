#include <catch2/catch.hpp>

#include "integrations/task_dispatch.h"

using namespace stepline;
using namespace stepline::integrations;

namespace {
ResourceSpec Parse(const std::string& arn) {
  auto spec = ParseResource(arn);
  INFO(arn << ": " << (spec.ok() ? "" : spec.status().message()));
  REQUIRE(spec.ok());
  return *spec;
}
void Rejected(const std::string& arn) {
  auto spec = ParseResource(arn);
  INFO(arn);
  REQUIRE_FALSE(spec.ok());
  CHECK(spec.status().code() == ErrorCode::kInvalidDefinition);
  CHECK(spec.status().message().find("The resource provided " + arn + " not recognized") == 0);
}
}  // namespace

TEST_CASE("a legacy Lambda function ARN is a legacy_lambda resource") {
  auto spec = Parse("arn:aws:lambda:us-east-1:123456789012:function:my-fn");
  CHECK(spec.legacy_lambda);
  CHECK_FALSE(spec.activity);
  CHECK(spec.resource == "arn:aws:lambda:us-east-1:123456789012:function:my-fn");
  CHECK(spec.service == "lambda");
  CHECK(Parse("arn:aws:lambda:us-east-1:123456789012:function:my-fn:$LATEST").legacy_lambda);
  CHECK(Parse("arn:aws:lambda:eu-west-1:123456789012:function:f_1:prod").legacy_lambda);
}

TEST_CASE("an activity ARN is an activity resource") {
  auto spec = Parse("arn:aws:states:us-east-1:123456789012:activity:worker");
  CHECK(spec.activity);
  CHECK_FALSE(spec.legacy_lambda);
}

TEST_CASE("optimized integrations name resourceType and resource as TaskScheduled records them") {
  auto spec = Parse("arn:aws:states:::lambda:invoke");
  CHECK(spec.resource_type == "lambda");
  CHECK(spec.resource == "invoke");
  CHECK(spec.pattern == Pattern::kRequestResponse);
  spec = Parse("arn:aws:states:::sqs:sendMessage.waitForTaskToken");
  CHECK(spec.resource_type == "sqs");
  CHECK(spec.resource == "sendMessage.waitForTaskToken");
  CHECK(spec.action == "sendMessage");
  CHECK(spec.pattern == Pattern::kWaitForTaskToken);
  spec = Parse("arn:aws:states:::states:startExecution.sync");
  CHECK(spec.resource == "startExecution.sync");
  CHECK(spec.pattern == Pattern::kSync);
  spec = Parse("arn:aws:states:::states:startExecution.sync:2");
  CHECK(spec.resource == "startExecution.sync:2");
  CHECK(spec.pattern == Pattern::kSync2);
  for (const char* arn :
       {"arn:aws:states:::sns:publish", "arn:aws:states:::dynamodb:getItem",
        "arn:aws:states:::dynamodb:putItem", "arn:aws:states:::dynamodb:updateItem",
        "arn:aws:states:::dynamodb:deleteItem", "arn:aws:states:::events:putEvents",
        "arn:aws:states:::ecs:runTask.sync", "arn:aws:states:::glue:startJobRun.sync",
        "arn:aws:states:::batch:submitJob.sync", "arn:aws:states:::apigateway:invoke",
        "arn:aws:states:::s3:getObject", "arn:aws:states:::s3:listObjectsV2",
        "arn:aws:states:::lambda:invoke.waitForTaskToken", "arn:aws-cn:states:::sns:publish"}) {
    Parse(arn);
  }
}

TEST_CASE("aws-sdk integrations carry the service in resourceType") {
  auto spec = Parse("arn:aws:states:::aws-sdk:s3:listBuckets");
  CHECK(spec.resource_type == "aws-sdk:s3");
  CHECK(spec.resource == "listBuckets");
  CHECK(spec.aws_sdk);
  CHECK(spec.service == "s3");
  spec = Parse("arn:aws:states:::aws-sdk:s3:listBuckets.waitForTaskToken");
  CHECK(spec.resource == "listBuckets.waitForTaskToken");
  CHECK(spec.action == "listBuckets");
  CHECK(spec.pattern == Pattern::kWaitForTaskToken);
  CHECK(Parse("arn:aws:states:::aws-sdk:dynamodb:putItem").resource_type == "aws-sdk:dynamodb");
}

TEST_CASE("the HTTP task is http:invoke") {
  auto spec = Parse("arn:aws:states:::http:invoke");
  CHECK(spec.resource_type == "http");
  CHECK(spec.resource == "invoke");
}

TEST_CASE("resources AWS does not recognize are invalid definitions") {
  Rejected("");
  Rejected("foo");
  Rejected("arn:aws:states:::foo:bar");
  Rejected("arn:aws:states:::lambda:invokeX");
  Rejected("arn:aws:states:::lambda:invoke.sync");
  Rejected("arn:aws:states:::dynamodb:putItem.waitForTaskToken");
  Rejected("arn:aws:states:::http:invoke.sync");
  Rejected("arn:aws:states:::aws-sdk:s3:listBuckets.sync");
  Rejected("arn:aws:states:::aws-sdk:s3");
  Rejected("arn:aws:states:::aws-sdk:s3:ListBuckets");
  Rejected("arn:aws:lambda:us-east-1:123:function:f");
  Rejected("arn:aws:lambda:us-east-1:123456789012:layer:f");
  Rejected("arn:aws:states:us-east-1:123456789012:stateMachine:sm");
  Rejected("arn:aws:s3:::bucket");
  Rejected("arn:nope:states:::sns:publish");
}
