// ExprContext: what a JSONPath, intrinsic or payload-template evaluation can
// see — the state's effective input ($), the context object ($$) and the
// workflow variables ($name).
//
// Thread-safety: a context is built and used on one execution's strand; the
// referenced values must outlive the evaluation.
#pragma once

#include <string_view>

#include "common/json.h"

namespace stepline {

// Workflow variables visible to a state: its own frame's, then its parents'
// (inner Map/Parallel frames read outer variables).
class VariableScope {
 public:
  virtual ~VariableScope() = default;
  // The variable's current value, or nullptr when no visible frame defines it.
  virtual const Json* Find(std::string_view name) const = 0;
};

struct ExprContext {
  const Json* input = nullptr;               // "$"
  const Json* context = nullptr;             // "$$"
  const VariableScope* variables = nullptr;  // "$name"; may be null (no variables)
};

}  // namespace stepline
