// Workflow-variable references of a parsed definition, as AWS reports them in
// DescribeStateMachine / DescribeStateMachineForExecution `variableReferences`:
// for every state (at any nesting depth, keyed by its name) that reads
// workflow variables, the sorted, de-duplicated variable names it reads.
// States that read none are absent. "$states" (JSONata) is not a variable.
//
// Thread-safety: pure function over an immutable model.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "engine/asl/model.h"

namespace stepline::asl {

std::map<std::string, std::vector<std::string>> VariableReferences(const StateMachine& machine);

}  // namespace stepline::asl
