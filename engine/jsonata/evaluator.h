// Evaluator: runs a post-processed JSONata AST against an input Value.
//
// One Evaluator serves one top-level evaluation (it owns the depth counter,
// the deadline, the $now() timestamp and the cache of external bindings).
// Thread-safety: not shared between threads; the AST it walks is immutable.
// Invariants: every function invocation goes through Apply (the trampoline
// that runs tail calls iteratively); Eval enforces the depth, stack and time
// limits before recursing.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/expr_context.h"
#include "engine/jsonata/ast.h"
#include "engine/jsonata/jsonata.h"
#include "engine/jsonata/value.h"

namespace stepline::jsonata {

// Evaluation limits (named constants; EvalOptions may lower the depth).
inline constexpr int kDefaultMaxDepth = 100000;
inline constexpr size_t kStackBudgetBytes = size_t{6} << 20;
inline constexpr size_t kStackSafetyMargin = size_t{256} << 10;
inline constexpr size_t kMaxRangeSize = 10000000;

struct Frame {
  std::shared_ptr<Frame> parent;
  std::vector<std::pair<std::string, Value>> vars;
  void Bind(const std::string& name, Value v);
  const Value* Lookup(std::string_view name) const;
};
using FramePtr = std::shared_ptr<Frame>;
FramePtr NewFrame(const FramePtr& parent);

class Evaluator;

// What a built-in sees when it is called.
struct CallCtx {
  Evaluator& ev;
  const Value& input;
  const FramePtr& env;
  int position;
};

using BuiltinImpl = Value (*)(CallCtx& ctx, std::vector<Value>& args);

struct BuiltinDef {
  BuiltinDef() = default;
  BuiltinDef(std::string n, std::string sig, BuiltinImpl fn)
      : name(std::move(n)), signature_text(std::move(sig)), impl(fn) {}
  std::string name;
  std::string signature_text;
  BuiltinImpl impl = nullptr;
  std::shared_ptr<Signature> signature;
  Value function;  // the function value handed out for $name
};

// Built-in lookup; aws selects the Step Functions flavour.
const BuiltinDef* FindBuiltin(std::string_view name, bool aws);

class Evaluator {
 public:
  // `bindings` (when given) must outlive every Value of the evaluation: its
  // variables are read through views (Value::View).
  Evaluator(const EvalOptions& options, const VariableScope* bindings,
            Version version = Version::k2_0_6);
  // Clears the frames `:=` bound into: a lambda bound in the frame it
  // captures is a reference cycle that would otherwise never be freed.
  ~Evaluator();
  Evaluator(const Evaluator&) = delete;
  Evaluator& operator=(const Evaluator&) = delete;

  Value Evaluate(const Node* ast, const Value& input, const FramePtr& env);
  Value Eval(const Node* expr, const Value& input, const FramePtr& env);
  // Invokes `proc` (trampolining tail calls).
  Value Apply(const Value& proc, std::vector<Value> args, const Value& input, const FramePtr& env,
              int position = -1, const std::string& name = "");
  int Arity(const Value& fn) const;
  int64_t now_ms() const { return now_ms_; }
  const EvalOptions& options() const { return options_; }
  Version version() const { return version_; }
  Value LookupVariable(const std::string& name, const FramePtr& env);

 private:
  Value EvalPath(const Node* expr, const Value& input, const FramePtr& env);
  Value EvalPathFrom(const Node* expr, const Value& input, const FramePtr& env, size_t first);
  bool FastPath(const Node* expr, const Value& input, const FramePtr& env, Value& cur,
                size_t& next_step);
  Value EvalStep(const Node* step, const Value& input, const FramePtr& env, bool last);
  Value EvalTupleStep(const Node* step, const Value& input, Value tuples, const FramePtr& env);
  Value EvalStages(const std::vector<Stage>& stages, Value input, const FramePtr& env);
  Value EvalFilter(const Node* pred, const Value& input, const FramePtr& env);
  Value EvalSort(const Node* sort, const Value& input, const FramePtr& env);
  Value EvalGroup(const std::vector<std::pair<NodePtr, NodePtr>>& pairs, int position,
                  const Value& input, const FramePtr& env);
  Value EvalBinary(const Node* expr, const Value& input, const FramePtr& env);
  Value EvalNumeric(const Node* expr, const Value& lhs, const Value& rhs);
  Value EvalComparison(const Node* expr, const Value& lhs, const Value& rhs);
  Value EvalRange(const Node* expr, const Value& lhs, const Value& rhs);
  Value EvalUnary(const Node* expr, const Value& input, const FramePtr& env);
  Value EvalBlock(const Node* expr, const Value& input, const FramePtr& env);
  Value EvalWildcard(const Value& input);
  Value EvalDescendants(const Value& input);
  Value EvalVariable(const Node* expr, const Value& input, const FramePtr& env);
  Value EvalFunction(const Node* expr, const Value& input, const FramePtr& env,
                     const Value* applyto);
  Value EvalPartial(const Node* expr, const Value& input, const FramePtr& env);
  Value EvalApplyOp(const Node* expr, const Value& input, const FramePtr& env);
  Value EvalTransform(const Node* expr, const Value& input, const FramePtr& env);
  Value ApplyInner(const Value& proc, std::vector<Value>& args, const Value& input,
                   const FramePtr& env, int position, const std::string& name);
  Value ApplyProcedure(FunctionNode& fn, std::vector<Value>& args);
  Value ApplyRegex(const Regex& re, const std::vector<Value>& args);
  void Validate(const Signature& sig, std::vector<Value>& args, const Value& input, int position,
                const std::string& name);
  void CheckLimits(int position);

  EvalOptions options_;
  const VariableScope* bindings_;
  Version version_;
  std::unordered_map<std::string, Value> binding_cache_;
  std::vector<std::weak_ptr<Frame>> bound_frames_;  // targets of `:=`, cleared at the end
  int depth_ = 0;
  int max_depth_;
  uint64_t steps_ = 0;
  std::chrono::steady_clock::time_point deadline_;
  bool has_deadline_ = false;
  const char* stack_limit_ = nullptr;
  int64_t now_ms_;
};

// Helpers shared with the built-ins.
bool IsSequence(const Value& v);
bool Truthy(const Value& v);  // fn.boolean; undefined -> false
Value AppendValues(const Value& a, const Value& b);
// The left fold of AppendValues over `parts`, in linear time.
Value JoinParts(const std::vector<Value>& parts);
Value DeepClone(const Value& v, int depth = 0);
bool IsNumeric(const Value& v);  // number, not NaN; throws D1001 when infinite
std::string TypeSymbolName(const Value& v);
Value MakeFunctionValue(std::shared_ptr<FunctionNode> fn);

}  // namespace stepline::jsonata
