// Version publishing shared by CreateStateMachine, UpdateStateMachine and
// PublishStateMachineVersion.
//
// Version numbers are monotonic per state machine and never reused: the last
// number handed out is kept in the state machine's attributes
// ("lastVersionNumber"), which only the API layer reads.
//
// Thread-safety: call with ApiContext::control_mu held.
#pragma once

#include <string>

#include "server/api/actions.h"
#include "storage/store.h"

namespace stepline::api {

// Adds version N+1 of `machine`'s current revision to `batch` and the
// updated counter to `machine` (the caller puts `machine` into the batch).
// ServiceQuotaExceededException past 1000 versions.
Result<storage::VersionRecord> AddVersion(const ApiContext& ctx,
                                          storage::StateMachineRecord& machine,
                                          const std::string& description,
                                          storage::WriteBatch& batch);

// The newest version of a state machine, if any.
Result<std::optional<storage::VersionRecord>> LatestVersion(const ApiContext& ctx,
                                                            const std::string& state_machine_arn);

}  // namespace stepline::api
