// Intrinsic functions of JSONPath-mode states (States.Format, States.Array,
// ... 18 in all): the signature table, the call parser and the evaluator.
// Internal to engine/jsonpath; callers use ValueExpr (payload.h).
//
// Failures while evaluating throw StatesException(States.IntrinsicFailure,
// "<function>: <what is wrong>"); a path argument selecting nothing throws
// the same States.Runtime failure a "key.$" path would.
//
// Thread-safety: the table is immutable; parsing and evaluation are
// reentrant (MathRandom/UUID draw from thread-local generators).
// Invariants: calls nest at most limits::kMaxIntrinsicNesting deep.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "common/status.h"
#include "engine/jsonpath/intrinsic_ast.h"
#include "engine/jsonpath/path_eval.h"

namespace stepline::jsonpath {

// Evaluation environment of one call: the documents, plus the field name and
// input used in AWS's "could not be found" cause.
struct IntrinsicEnv {
  EvalRoots roots;
  std::string_view field;
};

struct FunctionSpec {
  std::string_view name;  // "States.Format"
  size_t min_args;
  size_t max_args;  // SIZE_MAX for variadic
  Json (*fn)(const IntrinsicCall& call, std::vector<Json>& args);
};

// True when `text` starts like an intrinsic call ("States." then a name and "(").
bool LooksLikeIntrinsic(std::string_view text);

// Parses a complete call expression; kInvalidDefinition on failure.
Result<std::shared_ptr<const IntrinsicCall>> ParseIntrinsic(std::string_view text);

// Evaluates a parsed call.
Json EvaluateIntrinsic(const IntrinsicCall& call, const IntrinsicEnv& env);

// Appends the workflow variables the call's path arguments use.
void CollectIntrinsicVariables(const IntrinsicCall& call, std::vector<std::string>* out);

// The signature table (18 functions).
const std::vector<FunctionSpec>& IntrinsicTable();

}  // namespace stepline::jsonpath
