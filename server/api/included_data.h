// `includedData` (ALL_DATA | METADATA_ONLY) of DescribeStateMachine,
// DescribeStateMachineForExecution and DescribeExecution, and the
// `variableReferences` a described definition carries.
//
// Thread-safety: as ApiContext (the definition cache is thread-safe).
#pragma once

#include <string>

#include "common/json.h"
#include "common/status.h"
#include "server/api/actions.h"

namespace stepline::api {

// For a Describe*StateMachine* body `out` holding "definition": with
// METADATA_ONLY the definition is left out; otherwise `variableReferences`
// (state -> variable names) is added when the definition reads variables.
// ValidationException for an includedData outside the enum.
Status ApplyDefinitionData(const ApiContext& ctx, const Json& request,
                           const std::string& state_machine_arn, const std::string& revision_id,
                           bool express, Json& out);

// For a DescribeExecution body: METADATA_ONLY leaves out input and output.
Status ApplyExecutionData(const Json& request, Json& out);

}  // namespace stepline::api
