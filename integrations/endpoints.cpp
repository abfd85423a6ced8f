#include "integrations/endpoints.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <vector>

namespace stepline::integrations {
namespace {

const std::vector<ServiceInfo>& Services() {
  static const std::vector<ServiceInfo> table = {
      {"lambda", "lambda", "lambda", "LAMBDA", "LAMBDA_ENDPOINT", "", "", "Lambda"},
      {"sqs", "sqs", "sqs", "SQS", "SQS_ENDPOINT", "AmazonSQS", "1.0", "Sqs"},
      {"sns", "sns", "sns", "SNS", "SNS_ENDPOINT", "", "", "Sns"},
      {"dynamodb", "dynamodb", "dynamodb", "DYNAMODB", "DYNAMODB_ENDPOINT", "DynamoDB_20120810",
       "1.0", "DynamoDb"},
      {"events", "events", "events", "EVENTBRIDGE", "EVENTBRIDGE_ENDPOINT", "AWSEvents", "1.1",
       "EventBridge"},
      {"sfn", "states", "states", "SFN", "STEP_FUNCTIONS_ENDPOINT", "AWSStepFunctions", "1.0",
       "Sfn"},
      {"s3", "s3", "s3", "S3", "", "", "", "S3"},
      {"secretsmanager", "secretsmanager", "secretsmanager", "SECRETS_MANAGER", "",
       "secretsmanager", "1.1", "SecretsManager"},
      {"kinesis", "kinesis", "kinesis", "KINESIS", "", "Kinesis_20131202", "1.1", "Kinesis"},
      {"ssm", "ssm", "ssm", "SSM", "", "AmazonSSM", "1.1", "Ssm"},
      {"kms", "kms", "kms", "KMS", "", "TrentService", "1.1", "Kms"},
      {"cloudwatchlogs", "logs", "logs", "CLOUDWATCH_LOGS", "", "Logs_20140328", "1.1",
       "CloudWatchLogs"},
      {"firehose", "firehose", "firehose", "FIREHOSE", "", "Firehose_20150804", "1.1", "Firehose"},
      {"ecs", "ecs", "ecs", "ECS", "ECS_ENDPOINT", "AmazonEC2ContainerServiceV20141113", "1.1",
       "Ecs"},
      {"athena", "athena", "athena", "ATHENA", "ATHENA_ENDPOINT", "AmazonAthena", "1.1", "Athena"},
      {"glue", "glue", "glue", "GLUE", "GLUE_ENDPOINT", "AWSGlue", "1.1", "Glue"},
      {"codebuild", "codebuild", "codebuild", "CODEBUILD", "CODEBUILD_ENDPOINT",
       "CodeBuild_20161006", "1.1", "CodeBuild"},
      {"batch", "batch", "batch", "BATCH", "BATCH_ENDPOINT", "", "", "Batch"},
      {"sagemaker", "sagemaker", "api.sagemaker", "SAGEMAKER", "SAGEMAKER_ENDPOINT", "SageMaker",
       "1.1", "SageMaker"},
      {"cloudwatch", "monitoring", "monitoring", "CLOUDWATCH", "", "", "", "CloudWatch"},
      {"sts", "sts", "sts", "STS", "", "", "", "Sts"},
      {"iam", "iam", "iam", "IAM", "", "", "", "Iam"},
  };
  return table;
}

std::string Upper(std::string s) {
  for (auto& c : s)
    c = static_cast<char>(c == '-' ? '_' : std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string Capitalized(const std::string& s) {
  std::string out = s;
  if (!out.empty()) out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
  return out;
}

std::string StripSlash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

}  // namespace

ServiceInfo LookupService(const std::string& raw) {
  std::string name = raw == "states" || raw == "stepfunctions" ? "sfn"
                     : raw == "eventbridge"                    ? "events"
                     : raw == "logs"                           ? "cloudwatchlogs"
                                                               : raw;
  for (ServiceInfo s : Services()) {
    if (s.sdk_name != name) continue;
    s.camel_case =
        name == "sfn" || name == "ecs" || name == "codebuild" || name == "cloudwatchlogs";
    return s;
  }
  return {name, name, name, Upper(name), "", "", "", Capitalized(name)};
}

EndpointResolver::EndpointResolver(Getenv getenv) : getenv_(std::move(getenv)) {
  if (!getenv_) getenv_ = [](const char* n) { return std::getenv(n); };
}

std::string EndpointResolver::Lookup(const ServiceInfo& service) const {
  auto get = [&](const std::string& name) -> std::string {
    if (name.empty()) return "";
    const char* v = getenv_(name.c_str());
    return v && *v ? StripSlash(v) : "";
  };
  for (const std::string& name : {service.sfn_local_env, "AWS_ENDPOINT_URL_" + service.env_suffix,
                                  std::string("AWS_ENDPOINT_URL")}) {
    std::string v = get(name);
    if (!v.empty()) return v;
  }
  return "";
}

bool EndpointResolver::Overridden(const ServiceInfo& service) const {
  return !Lookup(service).empty();
}

std::string EndpointResolver::Resolve(const ServiceInfo& service, const std::string& region) const {
  std::string url = Lookup(service);
  if (!url.empty()) return url;
  if (service.host_prefix == "iam") return "https://iam.amazonaws.com";
  return "https://" + service.host_prefix + "." + region + ".amazonaws.com";
}

}  // namespace stepline::integrations
