// Data flow of a state: how its input becomes what it works on, and how its
// result becomes its output.
//
// JSONPath mode:  InputPath -> Parameters -> (work) -> ResultSelector ->
//                 ResultPath (merge into the raw input) -> OutputPath.
// JSONata mode:   Arguments and Output templates evaluated with $states.
//
// Every function throws StatesException with AWS's error names and cause
// texts (without the "An error occurred while executing the state" prefix,
// which the interpreter adds).
//
// Thread-safety: pure functions of their arguments.
#pragma once

#include <optional>
#include <string>

#include "common/json.h"
#include "engine/asl/model.h"
#include "engine/expr_context.h"

namespace stepline::runtime {

// Selects a definite path for InputPath/OutputPath-like fields; a path that
// selects nothing throws States.Runtime "Invalid path '<p>' : No results for
// path: $['a']" (or "Missing property in path $['a']" when an intermediate
// member is missing), as AWS words it.
Json SelectRequired(const jsonpath::Path& path, const Json& root, const ExprContext& ctx);

// InputPath then Parameters (payload template, if any) on `raw_input`.
Json ApplyInputPathAndParameters(const asl::OptionalPath& input_path,
                                 const std::optional<jsonpath::PayloadTemplate>& parameters,
                                 const Json& raw_input, const ExprContext& ctx);

// ResultSelector, ResultPath and OutputPath for a state's `result`.
Json ApplyResultAndOutput(const asl::State& state, const Json& raw_input, Json result,
                          const ExprContext& ctx);

// ResultPath then OutputPath only (Pass states, where Result replaces the work).
Json ApplyResultPathAndOutputPath(const asl::OptionalPath& result_path,
                                  const asl::OptionalPath& output_path, const Json& raw_input,
                                  Json result, const ExprContext& ctx);

// OutputPath alone (Wait, Succeed, Choice).
Json ApplyOutputPath(const asl::OptionalPath& output_path, Json value, const ExprContext& ctx);

// Size check applied to every state output and execution result: more than
// 256 KiB serialized throws States.DataLimitExceeded with AWS's cause.
void CheckPayloadSize(const Json& value, const std::string& state_name);

}  // namespace stepline::runtime
