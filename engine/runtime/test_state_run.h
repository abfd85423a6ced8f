// Internal to TestState (test_state*.cpp): one run of one state, its
// variables and the bindings its expressions see.
//
// Thread-safety: a Run lives on one thread for one RunTestState call.
// Invariants: `vars` holds the caller's variables until Finish/Catch apply
// the state's Assign, so every expression of the state reads the values it
// had on entry (as AWS evaluates Assign and Output side by side).
#pragma once

#include <string>
#include <string_view>

#include "engine/expr_context.h"
#include "engine/runtime/test_state.h"

namespace stepline::runtime::test_state {

// The run's variables; "states" resolves to the JSONata $states binding when one is given.
class Scope final : public VariableScope {
 public:
  Scope(const Json& vars, const Json* states) : vars_(vars), states_(states) {}
  const Json* Find(std::string_view name) const override {
    if (states_ && name == "states") return states_;
    auto it = vars_.find(std::string(name));
    return it == vars_.end() ? nullptr : &*it;
  }

 private:
  const Json& vars_;
  const Json* states_;
};

struct Run {
  Run(const TestStateRequest& r, Json ctx)
      : req(r), state(*r.state), context(std::move(ctx)), vars(r.variables), scope(vars, nullptr) {}

  const TestStateRequest& req;
  const asl::State& state;
  Json context;  // $$ and $states.context
  Json vars;
  Scope scope;  // JSONPath's view of `vars`
  TestStateResult out;

  bool jsonata() const { return state.query_language == asl::QueryLanguage::kJsonata; }
  ExprContext Ctx(const Json& input) const { return ExprContext{&input, &context, &scope}; }
  void Inspect(const char* field, const Json& value) { out.inspection[field] = DumpJson(value); }

  // A JSONata template over $states {input, context[, result][, errorOutput]}.
  Json Ata(const jsonata::Template& tmpl, std::string_view field, const Json* result = nullptr,
           const Json* error_output = nullptr) const;
  // The values an Assign gives (JSONPath: over `jsonpath_input`).
  Json EvalAssign(const asl::Assign& assign, const Json& jsonpath_input,
                  const Json* result = nullptr, const Json* error_output = nullptr) const;
  // A number field (literal, path over the effective input, or JSONata).
  std::optional<double> Number(const asl::DynamicNumber& n, const std::string& field,
                               const Json& effective) const;

  // SUCCEEDED with `output`; `assigned` becomes part of the variables.
  void Finish(Json output, const std::string& next, const Json& assigned);
  // JSONPath: `result` through ResultPath, then OutputPath, then Finish.
  void FinishWithResultPath(Json result, const Json& assigned);
  // Task, Map, Parallel: `result` through ResultSelector/ResultPath/OutputPath or Output.
  void Complete(const Json& result);
  // Throws the mock's error when it has one.
  void ThrowMockError() const;
  void HandleError(const StatesError& error);

  void Pass();
  void Mocked();                                             // Task and Parallel with a mock
  bool Condition(const jsonata::Template& condition) const;  // a JSONata Choice rule
  void Choice();
  void PathOnly();
  void Fail();
  Json MapItems(const Json& effective) const;
  Json SelectItems(const Json& items, const Json& effective);
  void CheckTolerance(size_t items, const Json& effective) const;
  void Map();
  void Dispatch();
};

}  // namespace stepline::runtime::test_state
