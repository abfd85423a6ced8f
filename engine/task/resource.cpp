// ParseResource: Task Resource ARN -> ResourceSpec (see task_dispatch.h).
#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>
#include <vector>

#include "engine/task/task_dispatch.h"

namespace stepline::task {
namespace {

// Optimized integrations: service -> actions accepted (empty = any action),
// and the patterns each service allows besides request-response.
struct ServiceRule {
  std::string_view service;
  std::vector<std::string_view> actions;
  bool sync = false;
  bool sync2 = false;
  bool wait = true;
};

const std::vector<ServiceRule>& ServiceRules() {
  static const std::vector<ServiceRule> rules = {
      {"lambda", {"invoke"}, false, false, true},
      {"sqs", {"sendMessage"}, false, false, true},
      {"sns", {"publish"}, false, false, true},
      {"dynamodb", {"getItem", "putItem", "updateItem", "deleteItem"}, false, false, false},
      {"events", {"putEvents"}, false, false, true},
      {"states", {"startExecution"}, true, true, true},
      {"apigateway", {"invoke"}, false, false, true},
      {"http", {"invoke"}, false, false, false},
      {"s3", {"getObject", "listObjectsV2", "putObject"}, false, false, false},
      {"ecs", {"runTask"}, true, false, true},
      {"glue", {"startJobRun"}, true, false, true},
      {"batch", {"submitJob"}, true, false, true},
      {"codebuild", {}, true, false, true},
      {"athena", {}, true, false, true},
      {"elasticmapreduce", {}, true, false, true},
      {"emr-containers", {}, true, false, true},
      {"emr-serverless", {}, true, false, true},
      {"eks", {}, true, false, true},
      {"sagemaker", {}, true, false, true},
      {"databrew", {}, true, false, true},
      {"bedrock", {}, true, false, true},
      {"mediaconvert", {}, true, false, true},
      {"glue-databrew", {}, true, false, true},
  };
  return rules;
}

constexpr std::string_view kWait = ".waitForTaskToken";
constexpr std::string_view kSync2 = ".sync:2";
constexpr std::string_view kSync = ".sync";

Status NotRecognized(const std::string& arn) {
  return Status(ErrorCode::kInvalidDefinition,
                "The resource provided " + arn +
                    " not recognized. The value is not a valid resource ARN, or the resource "
                    "is not available in this region.");
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == sep) {
      out.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return out;
}

bool AllOf(std::string_view s, bool (*pred)(char)) {
  return !s.empty() && std::all_of(s.begin(), s.end(), pred);
}
bool NameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
}
bool DigitChar(char c) { return std::isdigit(static_cast<unsigned char>(c)); }
bool RegionChar(char c) {
  return std::islower(static_cast<unsigned char>(c)) || DigitChar(c) || c == '-';
}
bool ActionChar(char c) { return std::isalnum(static_cast<unsigned char>(c)); }
bool ServiceChar(char c) {
  return std::islower(static_cast<unsigned char>(c)) || DigitChar(c) || c == '-' || c == '.';
}

bool ValidPartition(std::string_view p) {
  return p == "aws" || p == "aws-cn" || p == "aws-us-gov" || p == "aws-iso" || p == "aws-iso-b";
}

// Strips a pattern suffix from `action`, returning the pattern.
Pattern TakePattern(std::string_view& action) {
  auto ends = [&](std::string_view suf) {
    return action.size() > suf.size() && action.substr(action.size() - suf.size()) == suf;
  };
  if (ends(kWait)) {
    action.remove_suffix(kWait.size());
    return Pattern::kWaitForTaskToken;
  }
  if (ends(kSync2)) {
    action.remove_suffix(kSync2.size());
    return Pattern::kSync2;
  }
  if (ends(kSync)) {
    action.remove_suffix(kSync.size());
    return Pattern::kSync;
  }
  return Pattern::kRequestResponse;
}

// "arn:aws:lambda:us-east-1:123456789012:function:name[:qualifier]"
Result<ResourceSpec> ParseLambdaArn(const std::string& arn,
                                    const std::vector<std::string_view>& p) {
  if (p.size() < 7 || p.size() > 8 || p[5] != "function" || !AllOf(p[3], RegionChar) ||
      !AllOf(p[4], DigitChar) || p[4].size() != 12 || !AllOf(p[6], NameChar) || p[6].size() > 64) {
    return NotRecognized(arn);
  }
  if (p.size() == 8 && p[7] != "$LATEST" && !AllOf(p[7], NameChar)) return NotRecognized(arn);
  ResourceSpec spec;
  spec.arn = arn;
  spec.legacy_lambda = true;
  spec.resource_type = "lambda";
  spec.resource = arn;
  spec.service = "lambda";
  spec.action = "invoke";
  return spec;
}

// "arn:aws:states:us-east-1:123456789012:activity:name"
Result<ResourceSpec> ParseActivityArn(const std::string& arn,
                                      const std::vector<std::string_view>& p) {
  if (p.size() != 7 || !AllOf(p[3], RegionChar) || !AllOf(p[4], DigitChar) || p[4].size() != 12 ||
      p[6].empty() || p[6].size() > 80) {
    return NotRecognized(arn);
  }
  ResourceSpec spec;
  spec.arn = arn;
  spec.activity = true;
  spec.resource_type = "activity";
  spec.resource = arn;
  spec.service = "states";
  spec.action = "activity";
  return spec;
}

bool PatternAllowed(const ServiceRule& rule, Pattern pattern) {
  switch (pattern) {
    case Pattern::kRequestResponse:
      return true;
    case Pattern::kSync:
      return rule.sync;
    case Pattern::kSync2:
      return rule.sync2;
    case Pattern::kWaitForTaskToken:
      return rule.wait;
  }
  return false;
}

// "aws-sdk:<service>:<action>[.waitForTaskToken]"
Result<ResourceSpec> ParseAwsSdk(const std::string& arn, std::string_view rest) {
  auto parts = Split(rest, ':');
  if (parts.size() != 2 || !AllOf(parts[0], ServiceChar)) return NotRecognized(arn);
  std::string_view action = parts[1];
  Pattern pattern = TakePattern(action);
  if (pattern != Pattern::kRequestResponse && pattern != Pattern::kWaitForTaskToken) {
    return NotRecognized(arn);
  }
  if (!AllOf(action, ActionChar) || !std::islower(static_cast<unsigned char>(action[0]))) {
    return NotRecognized(arn);
  }
  ResourceSpec spec;
  spec.arn = arn;
  spec.resource_type = "aws-sdk:" + std::string(parts[0]);
  spec.resource = std::string(action) + PatternSuffix(pattern);
  spec.pattern = pattern;
  spec.service = std::string(parts[0]);
  spec.action = std::string(action);
  spec.aws_sdk = true;
  return spec;
}

// "<service>:<action>[.sync|.sync:2|.waitForTaskToken]" after "arn:aws:states:::".
Result<ResourceSpec> ParseServiceIntegration(const std::string& arn, std::string_view rest) {
  size_t colon = rest.find(':');
  if (colon == std::string_view::npos) return NotRecognized(arn);
  std::string_view service = rest.substr(0, colon);
  if (service == "aws-sdk") return ParseAwsSdk(arn, rest.substr(colon + 1));
  std::string_view action = rest.substr(colon + 1);
  Pattern pattern = TakePattern(action);
  const auto& rules = ServiceRules();
  auto rule = std::find_if(rules.begin(), rules.end(),
                           [&](const ServiceRule& r) { return r.service == service; });
  if (rule == rules.end() || !AllOf(action, ActionChar)) return NotRecognized(arn);
  bool known_action = rule->actions.empty() || std::find(rule->actions.begin(), rule->actions.end(),
                                                         action) != rule->actions.end();
  if (!known_action || !PatternAllowed(*rule, pattern)) return NotRecognized(arn);
  ResourceSpec spec;
  spec.arn = arn;
  spec.resource_type = std::string(service);
  spec.resource = std::string(action) + PatternSuffix(pattern);
  spec.pattern = pattern;
  spec.service = std::string(service);
  spec.action = std::string(action);
  return spec;
}

}  // namespace

Result<ResourceSpec> ParseResource(const std::string& resource) {
  auto parts = Split(resource, ':');
  if (parts.size() < 6 || parts[0] != "arn" || !ValidPartition(parts[1])) {
    return NotRecognized(resource);
  }
  if (parts[2] == "lambda") return ParseLambdaArn(resource, parts);
  if (parts[2] != "states") return NotRecognized(resource);
  if (parts[3].empty() && parts[4].empty()) {
    // arn:<partition>:states:::<rest>
    size_t prefix = parts[0].size() + parts[1].size() + parts[2].size() + 5;
    return ParseServiceIntegration(resource, std::string_view(resource).substr(prefix));
  }
  if (parts[5] == "activity") return ParseActivityArn(resource, parts);
  return NotRecognized(resource);
}

const char* PatternSuffix(Pattern pattern) {
  switch (pattern) {
    case Pattern::kRequestResponse:
      return "";
    case Pattern::kSync:
      return ".sync";
    case Pattern::kSync2:
      return ".sync:2";
    case Pattern::kWaitForTaskToken:
      return ".waitForTaskToken";
  }
  return "";
}

}  // namespace stepline::task
