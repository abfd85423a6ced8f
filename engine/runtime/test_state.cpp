// TestState: one state, run once (see test_state.h).
#include "engine/runtime/test_state.h"

#include "engine/asl/choice.h"
#include "engine/expr_context.h"
#include "engine/runtime/dataflow.h"
#include "engine/runtime/error_match.h"
#include "engine/states_error.h"

namespace stepline::runtime {
namespace {

// The request's `variables`, read-only.
class JsonScope final : public VariableScope {
 public:
  explicit JsonScope(const Json& vars) : vars_(vars) {}
  const Json* Find(std::string_view name) const override {
    auto it = vars_.find(std::string(name));
    return it == vars_.end() ? nullptr : &*it;
  }

 private:
  const Json& vars_;
};

struct Run {
  const TestStateRequest& req;
  const asl::State& state;
  Json context;
  JsonScope scope;
  TestStateResult out;

  ExprContext Ctx(const Json& input) const { return ExprContext{&input, &context, &scope}; }

  void Succeed(Json output, const std::string& next) {
    out.status = "SUCCEEDED";
    out.output = std::move(output);
    if (!next.empty()) out.next_state = next;
  }

  void Pass() {
    const auto& spec = state.as<asl::PassSpec>();
    Json effective =
        ApplyInputPathAndParameters(state.input_path, state.parameters, req.input, Ctx(req.input));
    out.inspection["afterParameters"] = DumpJson(effective);
    Json result = spec.result ? *spec.result : effective;
    Json output = ApplyResultPathAndOutputPath(state.result_path, state.output_path, req.input,
                                               result, Ctx(req.input));
    Succeed(std::move(output), state.next);
  }

  void Task() {
    Json effective =
        ApplyInputPathAndParameters(state.input_path, state.parameters, req.input, Ctx(req.input));
    out.inspection["afterParameters"] = DumpJson(effective);
    const TestStateMock& mock = *req.mock;
    if (!mock.result) {
      throw StatesException({mock.error.value_or(""), mock.cause, std::nullopt});
    }
    out.inspection["result"] = DumpJson(*mock.result);
    Json output = ApplyResultAndOutput(state, req.input, *mock.result, Ctx(req.input));
    Succeed(std::move(output), state.next);
  }

  void Choice() {
    const auto& spec = state.as<asl::ChoiceSpec>();
    Json effective =
        ApplyInputPathAndParameters(state.input_path, std::nullopt, req.input, Ctx(req.input));
    std::string next = spec.default_next;
    for (const asl::ChoiceRule& rule : spec.choices) {
      if (asl::EvaluateChoiceRule(rule, Ctx(effective))) {
        next = rule.next;
        break;
      }
    }
    if (next.empty()) throw StatesException(errors::kNoChoiceMatched, "No Matches!");
    Succeed(ApplyOutputPath(state.output_path, effective, Ctx(effective)), next);
  }

  void PathOnly() {  // Wait and Succeed: InputPath then OutputPath
    Json effective =
        ApplyInputPathAndParameters(state.input_path, std::nullopt, req.input, Ctx(req.input));
    Succeed(ApplyOutputPath(state.output_path, effective, Ctx(effective)), state.next);
  }

  void Fail() {
    const auto& spec = state.as<asl::FailSpec>();
    auto text = [](const Json& v) { return v.is_string() ? v.get<std::string>() : DumpJson(v); };
    out.status = "FAILED";
    if (spec.error_path) {
      out.error = text(spec.error_path->Evaluate(Ctx(req.input), "ErrorPath"));
    } else {
      out.error = spec.error;
    }
    if (spec.cause_path) {
      out.cause = text(spec.cause_path->Evaluate(Ctx(req.input), "CausePath"));
    } else {
      out.cause = spec.cause;
    }
  }

  // Retry first (RETRIABLE), then Catch (CAUGHT_ERROR), else FAILED.
  void HandleError(const StatesError& error) {
    bool is_task = state.type == asl::StateType::kTask;
    out.error = error.error;
    out.cause = error.cause;
    for (const asl::Retrier& r : state.retry) {
      if (r.max_attempts > 0 && ErrorEqualsMatches(r.error_equals, error.error, is_task, true)) {
        out.status = "RETRIABLE";
        return;
      }
    }
    for (const asl::Catcher& c : state.catchers) {
      if (!ErrorEqualsMatches(c.error_equals, error.error, is_task, true)) continue;
      Json error_output = {{"Error", error.error}};
      if (error.cause) error_output["Cause"] = *error.cause;
      out.status = "CAUGHT_ERROR";
      out.next_state = c.next;
      out.output = ApplyResultPathAndOutputPath(c.result_path, asl::OptionalPath{}, req.input,
                                                error_output, Ctx(req.input));
      return;
    }
    out.status = "FAILED";
  }

  void Dispatch() {
    switch (state.type) {
      case asl::StateType::kPass:
        return Pass();
      case asl::StateType::kTask:
        return Task();
      case asl::StateType::kChoice:
        return Choice();
      case asl::StateType::kWait:
      case asl::StateType::kSucceed:
        return PathOnly();
      case asl::StateType::kFail:
        return Fail();
      default:
        return;
    }
  }
};

}  // namespace

Result<TestStateResult> RunTestState(const TestStateRequest& request) {
  const asl::State& state = *request.state;
  if (state.query_language == asl::QueryLanguage::kJsonata) {
    return Status(ErrorCode::kValidation, "TestState does not support JSONata states yet");
  }
  if (state.type == asl::StateType::kMap || state.type == asl::StateType::kParallel) {
    return Status(ErrorCode::kValidation, "TestState does not support Map or Parallel states yet");
  }
  if (state.type == asl::StateType::kTask && !request.mock) {
    return Status(ErrorCode::kValidation,
                  "TestState of a Task state needs a mock (result or errorOutput)");
  }
  Json context = {{"State", {{"Name", state.name}}}};
  Run run{request, state, std::move(context), JsonScope(request.variables), {}};
  run.out.inspection["input"] = DumpJson(request.input);
  try {
    Json after_input = ApplyInputPathAndParameters(state.input_path, std::nullopt, request.input,
                                                   run.Ctx(request.input));
    run.out.inspection["afterInputPath"] = DumpJson(after_input);
    run.Dispatch();
  } catch (const StatesException& e) {
    run.HandleError(e.error());
  }
  run.out.inspection["variables"] = DumpJson(request.variables);
  return std::move(run.out);
}

}  // namespace stepline::runtime
