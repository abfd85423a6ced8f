// Helpers shared by the action files: loading records with AWS's
// "does not exist" errors, timestamps, tags, and the state machine
// configuration objects (logging, tracing, encryption) as AWS returns them.
//
// Thread-safety: stateless functions over the (thread-safe) Store.
#pragma once

#include <map>
#include <string>

#include "common/json.h"
#include "common/status.h"
#include "server/api/actions.h"
#include "server/api/arn.h"
#include "server/api/validation.h"
#include "storage/store.h"

namespace stepline::api {

using TagMap = std::map<std::string, std::string>;

// API timestamps: epoch seconds with a millisecond fraction.
Json Timestamp(EpochMillis t);

Status StateMachineDoesNotExist(const std::string& arn);
Status ExecutionDoesNotExist(const std::string& arn);
Status StateMachineDeleting(const std::string& arn);
Status ResourceNotFound(const std::string& arn);  // resourceName = arn

// The state machine (ACTIVE or DELETING) or StateMachineDoesNotExist.
Result<storage::StateMachineRecord> LoadStateMachine(const ApiContext& ctx, const std::string& arn);
Result<storage::ExecutionRecord> LoadExecution(const ApiContext& ctx, const std::string& arn);

// Parses a STANDARD execution ARN (express ARNs: InvalidArn).
Result<ParsedArn> ParseExecutionArn(const std::string& arn);

// Reads a required ARN member: not null, at most `max_length`, then parsed.
Result<ParsedArn> RequiredArn(const Json& request, const char* member,
                              std::initializer_list<ArnKind> allowed, size_t max_length = 256);

// `tags` ([{key, value}]) of a request: type and length checks, at most 50.
Result<TagMap> ReadTags(const Json& request, const std::string& resource_arn);
Status TooManyTags(const std::string& resource_arn);

// loggingConfiguration / tracingConfiguration / encryptionConfiguration of a
// request, normalised; null when absent.
Result<Json> ReadLoggingConfiguration(const Json& request);
Result<Json> ReadTracingConfiguration(const Json& request);
Result<Json> ReadEncryptionConfiguration(const Json& request);

// The revisionId AWS shows for `revision_id` of a machine: none (empty) for
// the revision the machine was created with, as AWS omits it until the
// first update.
std::string VisibleRevisionId(const Json& machine_attributes, const std::string& revision_id);

// What DescribeStateMachine returns for the stored configuration (defaults
// {"level":"OFF","includeExecutionData":false} and {"enabled":false}).
Json LoggingConfigurationOf(const Json& attributes);
Json TracingConfigurationOf(const Json& attributes);

}  // namespace stepline::api
