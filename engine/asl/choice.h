// Evaluation of JSONPath-mode Choice rules (Variable + comparison operator,
// And/Or/Not) with AWS Step Functions' semantics:
//  - a comparison whose operands have the wrong type is simply false
//    (NumericEquals on a string, StringEquals on a number, ...);
//  - numbers compare by value across integers and floats (1 == 1.0);
//  - Timestamp* operators compare RFC 3339 strings (common/timefmt.h) as
//    instants; a string that is not a timestamp never matches;
//  - StringMatches supports '*' wildcards, with "\*" and "\\" escapes;
//  - IsPresent is the only test on a Variable that selects nothing; any other
//    rule whose Variable (or *Path operand) selects nothing throws
//    StatesException(States.Runtime, "Invalid path '<path>': The choice
//    state's condition path references an invalid value.").
// JSONata "Condition" rules are the interpreter's business (jsonata::Template).
//
// Thread-safety: pure functions over immutable rules.
#pragma once

#include <string_view>

#include "engine/asl/model.h"
#include "engine/expr_context.h"

namespace stepline::asl {

// True when `rule` matches. Throws StatesException as described above, and
// std::logic_error for a kCondition rule.
bool EvaluateChoiceRule(const ChoiceRule& rule, const ExprContext& ctx);

// The StringMatches pattern test on its own ('*' wildcards, '\' escapes).
bool StringMatchesPattern(std::string_view text, std::string_view pattern);

// What AWS considers a timestamp for IsTimestamp and the Timestamp* operators.
bool IsAwsTimestamp(const Json& value);

}  // namespace stepline::asl
