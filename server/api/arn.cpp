#include "server/api/arn.h"

#include <vector>

#include "server/api/validation.h"

namespace stepline::api {
namespace {

std::vector<std::string_view> Split(std::string_view text, char sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == sep) {
      parts.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  return parts;
}

bool IsDigits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool IsPartition(std::string_view p) { return p == "aws" || p == "aws-cn" || p == "aws-us-gov"; }

Status Malformed(std::string_view arn) {
  return Status(ErrorCode::kInvalidArn, "Invalid Arn: '" + std::string(arn) + "'");
}

Status WrongType(std::string_view type) {
  return Status(ErrorCode::kInvalidArn, "Invalid Arn: 'Resource type not valid in this context: " +
                                            std::string(type) + "'");
}

// Fills kind/name/qualifier of a stateMachine ARN from its resource parts.
Status ParseStateMachineResource(const std::vector<std::string_view>& rest, ParsedArn& out) {
  if (rest.size() < 2 || rest.size() > 3) return Malformed(out.arn);
  std::string_view name = rest[1];
  size_t slash = name.find('/');
  if (slash != std::string_view::npos) {
    if (rest.size() != 2 || !IsValidName(name.substr(0, slash))) return Malformed(out.arn);
    out.kind = ArnKind::kLabeled;
    out.name = std::string(name.substr(0, slash));
    out.qualifier = std::string(name.substr(slash + 1));
    return Status::Ok();
  }
  if (!IsValidName(name)) return Malformed(out.arn);
  out.name = std::string(name);
  if (rest.size() == 2) return Status::Ok();
  out.qualifier = std::string(rest[2]);
  if (IsDigits(rest[2])) {
    out.kind = ArnKind::kVersion;
    if (rest[2].size() > 18 || rest[2][0] == '0') return Malformed(out.arn);
    out.version = std::stoll(out.qualifier);
    return Status::Ok();
  }
  if (!IsValidAliasName(rest[2])) return Malformed(out.arn);
  out.kind = ArnKind::kAlias;
  return Status::Ok();
}

Status ParseResource(const std::vector<std::string_view>& rest, ParsedArn& out) {
  const std::string_view type = rest[0];
  if (type == "stateMachine") return ParseStateMachineResource(rest, out);
  if (type == "activity") {
    if (rest.size() != 2 || !IsValidName(rest[1])) return Malformed(out.arn);
    out.kind = ArnKind::kActivity;
    out.name = std::string(rest[1]);
    return Status::Ok();
  }
  if (type == "execution" || type == "express") {
    bool express = type == "express";
    if (rest.size() != (express ? 4u : 3u)) return Malformed(out.arn);
    std::string_view sm = rest[1];
    size_t slash = sm.find('/');  // map run children: <sm>/<label>
    if (!IsValidName(sm.substr(0, slash)) || !IsValidName(rest[2])) return Malformed(out.arn);
    out.kind = express ? ArnKind::kExpressExecution : ArnKind::kExecution;
    out.name = std::string(sm.substr(0, slash));
    if (slash != std::string_view::npos) out.qualifier = std::string(sm.substr(slash + 1));
    out.execution_name = std::string(rest[2]);
    return Status::Ok();
  }
  if (type == "mapRun") {
    if (rest.size() != 3) return Malformed(out.arn);
    size_t slash = rest[1].find('/');
    if (slash == std::string_view::npos) return Malformed(out.arn);
    out.kind = ArnKind::kMapRun;
    out.name = std::string(rest[1].substr(0, slash));
    out.qualifier = std::string(rest[1].substr(slash + 1));
    return Status::Ok();
  }
  return WrongType(type);
}

const char* KindType(ArnKind kind) {
  switch (kind) {
    case ArnKind::kStateMachine:
    case ArnKind::kVersion:
    case ArnKind::kAlias:
    case ArnKind::kLabeled:
      return "stateMachine";
    case ArnKind::kExecution:
      return "execution";
    case ArnKind::kExpressExecution:
      return "express";
    case ArnKind::kActivity:
      return "activity";
    case ArnKind::kMapRun:
      return "mapRun";
  }
  return "";
}

}  // namespace

std::string ParsedArn::StateMachineArn() const { return prefix + "stateMachine:" + name; }

Result<ParsedArn> ParseArn(std::string_view arn, std::initializer_list<ArnKind> allowed) {
  std::vector<std::string_view> parts = Split(arn, ':');
  if (parts.size() < 7 || parts[0] != "arn" || !IsPartition(parts[1]) || parts[2] != "states" ||
      parts[3].empty() || parts[4].size() != 12 || !IsDigits(parts[4])) {
    return Status(ErrorCode::kInvalidArn,
                  "Invalid Arn: 'Invalid ARN prefix: " + std::string(arn) + "'");
  }
  ParsedArn out;
  out.arn = std::string(arn);
  out.resource_type = std::string(parts[5]);
  for (int i = 0; i < 5; ++i) out.prefix += std::string(parts[i]) + ":";
  RETURN_IF_ERROR(ParseResource({parts.begin() + 5, parts.end()}, out));
  for (ArnKind kind : allowed) {
    if (kind == out.kind) return out;
  }
  // A version/alias/labeled ARN where only plain state machines are taken is
  // still a state machine ARN: callers that care list those kinds.
  return WrongType(out.kind == ArnKind::kStateMachine ? "stateMachine" : KindType(out.kind));
}

std::string StateMachineArn(std::string_view region, std::string_view account,
                            std::string_view name) {
  return "arn:aws:states:" + std::string(region) + ":" + std::string(account) +
         ":stateMachine:" + std::string(name);
}

std::string ActivityArn(std::string_view region, std::string_view account, std::string_view name) {
  return "arn:aws:states:" + std::string(region) + ":" + std::string(account) +
         ":activity:" + std::string(name);
}

std::string VersionArn(std::string_view state_machine_arn, int64_t version) {
  return std::string(state_machine_arn) + ":" + std::to_string(version);
}

std::string AliasArn(std::string_view state_machine_arn, std::string_view alias) {
  return std::string(state_machine_arn) + ":" + std::string(alias);
}

std::string ExecutionArn(const ParsedArn& state_machine, std::string_view execution_name) {
  return state_machine.prefix + "execution:" + state_machine.name + ":" +
         std::string(execution_name);
}

std::string ExpressExecutionArn(const ParsedArn& state_machine, std::string_view execution_name,
                                std::string_view uuid) {
  return state_machine.prefix + "express:" + state_machine.name + ":" +
         std::string(execution_name) + ":" + std::string(uuid);
}

bool IsValidRoleArn(std::string_view arn) {
  std::vector<std::string_view> parts = Split(arn, ':');
  return parts.size() == 6 && parts[0] == "arn" && IsPartition(parts[1]) && parts[2] == "iam" &&
         parts[3].empty() && parts[4].size() == 12 && IsDigits(parts[4]) &&
         parts[5].rfind("role/", 0) == 0 && parts[5].size() > 5;
}

}  // namespace stepline::api
