// Dynamic values of JSONPath-mode states.
//
// - ValueExpr: the right-hand side of a "key.$" entry — a path ($, $$, $var)
//   or an intrinsic function call (States.Format(...), nested up to 10 deep).
//   Also used by Fail.ErrorPath/CausePath and Assign.
// - PayloadTemplate: a Parameters / ItemSelector / ResultSelector / Assign /
//   Credentials value: any JSON in which object keys ending in ".$" hold a
//   ValueExpr; other values are copied as they are.
//
// Both are compiled once at CreateStateMachine. Evaluation throws
// StatesException with AWS's error names and cause texts:
// - a path selecting nothing: States.Runtime (what AWS really reports, see
//   the corpus' invalid_jsonpath cases, rather than the documented
//   States.ParameterPathFailure) with cause "The JSONPath '$.x' specified for
//   the field 'a.$' could not be found in the input '<input JSON>'";
// - bad intrinsic arguments: States.IntrinsicFailure,
//   "Invalid arguments in States.X: <what>".
// Compile errors are kInvalidDefinition with AWS's text "The value for the
// field 'a.$' must be a valid JSONPath or a valid intrinsic function call"
// (the definition validator appends " at /States/X/Parameters").
//
// Thread-safety: immutable after Compile; Evaluate may run concurrently.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "common/status.h"
#include "engine/expr_context.h"

namespace stepline::jsonpath {

class ValueExprImpl;
class PayloadTemplateImpl;

class ValueExpr {
 public:
  // Parses a path or an intrinsic call. kInvalidDefinition on failure.
  static Result<ValueExpr> Parse(std::string_view text);
  const std::string& text() const;
  bool is_intrinsic() const;
  // `field` is the template key the value belongs to ("a.$"), used in causes.
  Json Evaluate(const ExprContext& ctx, std::string_view field) const;
  // Appends the names of the workflow variables ($name) it reads.
  void CollectVariables(std::vector<std::string>* out) const;

 private:
  const ValueExprImpl& impl() const;  // a default-constructed ValueExpr is "$"
  std::shared_ptr<const ValueExprImpl> impl_;
};

class PayloadTemplate {
 public:
  static Result<PayloadTemplate> Compile(const Json& value);
  // Evaluates with ctx.input as "$" (for ResultSelector, pass the task result
  // as ctx.input). A default-constructed template evaluates to {}.
  Json Evaluate(const ExprContext& ctx) const;
  // Names of workflow variables referenced anywhere in the template.
  std::vector<std::string> ReferencedVariables() const;

 private:
  std::shared_ptr<const PayloadTemplateImpl> impl_;
};

}  // namespace stepline::jsonpath
