// Step Functions ARNs: parsing (with AWS's InvalidArn texts) and minting.
//
//   stateMachine  arn:<p>:states:<region>:<acct>:stateMachine:<name>
//   version       ...:stateMachine:<name>:<N>
//   alias         ...:stateMachine:<name>:<alias>
//   labeled       ...:stateMachine:<name>/<label>   (distributed map runs)
//   execution     arn:<p>:states:<region>:<acct>:execution:<sm>:<exec>
//   express       arn:<p>:states:<region>:<acct>:express:<sm>:<exec>:<uuid>
//   activity      arn:<p>:states:<region>:<acct>:activity:<name>
//   mapRun        arn:<p>:states:<region>:<acct>:mapRun:<sm>/<label>:<uuid>
//
// Errors (kInvalidArn): "Invalid Arn: 'Invalid ARN prefix: <arn>'" when the
// arn:<partition>:states:<region>:<account>: prefix is wrong, "Invalid Arn:
// 'Resource type not valid in this context: <type>'" for a resource type the
// action does not take, "Invalid Arn: '<arn>'" for any other malformation.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "common/status.h"

namespace stepline::api {

enum class ArnKind {
  kStateMachine,
  kVersion,
  kAlias,
  kLabeled,
  kExecution,
  kExpressExecution,
  kActivity,
  kMapRun,
};

struct ParsedArn {
  ArnKind kind = ArnKind::kStateMachine;
  std::string arn;            // as given
  std::string prefix;         // "arn:aws:states:us-east-1:123456789012:"
  std::string resource_type;  // "stateMachine", "execution", ...
  std::string name;           // state machine (or activity) name
  std::string qualifier;      // version number, alias name, map label
  std::string execution_name;
  int64_t version = 0;

  // The unqualified state machine ARN (state machines, versions, aliases,
  // labeled ARNs and executions).
  std::string StateMachineArn() const;
};

// Parses `arn` and checks its kind is one of `allowed`.
Result<ParsedArn> ParseArn(std::string_view arn, std::initializer_list<ArnKind> allowed);

std::string StateMachineArn(std::string_view region, std::string_view account,
                            std::string_view name);
std::string ActivityArn(std::string_view region, std::string_view account, std::string_view name);
std::string VersionArn(std::string_view state_machine_arn, int64_t version);
std::string AliasArn(std::string_view state_machine_arn, std::string_view alias);
// Execution ARNs of a state machine named in `state_machine_arn`.
std::string ExecutionArn(const ParsedArn& state_machine, std::string_view execution_name);
std::string ExpressExecutionArn(const ParsedArn& state_machine, std::string_view execution_name,
                                std::string_view uuid);

// Role ARNs accepted by Create/UpdateStateMachine: arn:<p>:iam::<acct>:role/<path/name>.
bool IsValidRoleArn(std::string_view arn);

}  // namespace stepline::api
