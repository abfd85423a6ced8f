// TestState: one state, run once (see test_state.h). This file: bindings,
// the simple states, Retry/Catch and the request checks; test_state_work.cpp
// has the states whose work is mocked (Task, Map, Parallel).
#include "engine/runtime/test_state.h"

#include <cmath>

#include "engine/asl/choice.h"
#include "engine/runtime/dataflow.h"
#include "engine/runtime/error_match.h"
#include "engine/runtime/test_state_run.h"
#include "engine/states_error.h"

namespace stepline::runtime {
namespace test_state {

Json Run::Ata(const jsonata::Template& tmpl, std::string_view field, const Json* result,
              const Json* error_output) const {
  Json states = {{"input", req.input}, {"context", context}};
  if (result) states["result"] = *result;
  if (error_output) states["errorOutput"] = *error_output;
  Scope bindings(vars, &states);
  return tmpl.Evaluate(field, bindings);
}

Json Run::EvalAssign(const asl::Assign& assign, const Json& jsonpath_input, const Json* result,
                     const Json* error_output) const {
  if (assign.jsonata) return Ata(*assign.jsonata, "Assign", result, error_output);
  if (assign.jsonpath) return assign.jsonpath->Evaluate(Ctx(jsonpath_input));
  return Json::object();
}

void Run::Finish(Json output, const std::string& next, const Json& assigned) {
  if (assigned.is_object()) {
    for (const auto& [name, value] : assigned.items()) vars[name] = value;
  }
  out.status = "SUCCEEDED";
  out.output = std::move(output);
  if (!next.empty()) out.next_state = next;
}

void Run::Pass() {
  const auto& spec = state.as<asl::PassSpec>();
  if (jsonata()) {
    Json assigned = EvalAssign(state.assign, req.input);
    Json output = state.output ? Ata(*state.output, "Output") : req.input;
    return Finish(std::move(output), state.next, assigned);
  }
  Json effective =
      ApplyInputPathAndParameters(state.input_path, state.parameters, req.input, Ctx(req.input));
  Inspect("afterParameters", effective);
  Json result = spec.result ? *spec.result : effective;
  Json assigned = EvalAssign(state.assign, result);
  FinishWithResultPath(std::move(result), assigned);
}

bool Run::Condition(const jsonata::Template& condition) const {
  Json v = Ata(condition, "Condition");
  if (v.is_boolean()) return v.get<bool>();
  throw StatesException(
      {errors::kQueryEvaluationError,
       jsonata::UnexpectedTypeCause(condition.expression_text(), "Condition", "boolean", v),
       "Condition"});
}

void Run::Choice() {
  const auto& spec = state.as<asl::ChoiceSpec>();
  Json effective = jsonata() ? req.input
                             : ApplyInputPathAndParameters(state.input_path, std::nullopt,
                                                           req.input, Ctx(req.input));
  const asl::ChoiceRule* matched = nullptr;
  for (const asl::ChoiceRule& rule : spec.choices) {
    if (rule.condition ? Condition(*rule.condition)
                       : asl::EvaluateChoiceRule(rule, Ctx(effective))) {
      matched = &rule;
      break;
    }
  }
  std::string next = matched ? matched->next : spec.default_next;
  if (next.empty()) throw StatesException(errors::kNoChoiceMatched, "No Matches!");
  const asl::Assign& assign = matched ? matched->assign : state.assign;
  if (jsonata()) {
    const auto& tmpl = matched ? matched->output : state.output;
    Json output = tmpl ? Ata(*tmpl, "Output") : req.input;
    return Finish(std::move(output), next, EvalAssign(assign, req.input));
  }
  Json assigned = EvalAssign(assign, effective);
  Finish(ApplyOutputPath(state.output_path, effective, Ctx(effective)), next, assigned);
}

void Run::PathOnly() {  // Wait and Succeed: InputPath then OutputPath, or Output
  if (jsonata()) {
    Json assigned = EvalAssign(state.assign, req.input);
    Json output = state.output ? Ata(*state.output, "Output") : req.input;
    return Finish(std::move(output), state.next, assigned);
  }
  Json effective =
      ApplyInputPathAndParameters(state.input_path, std::nullopt, req.input, Ctx(req.input));
  Json assigned = EvalAssign(state.assign, effective);
  Finish(ApplyOutputPath(state.output_path, effective, Ctx(effective)), state.next, assigned);
}

void Run::Fail() {
  const auto& spec = state.as<asl::FailSpec>();
  auto text = [](const Json& v) { return v.is_string() ? v.get<std::string>() : DumpJson(v); };
  out.status = "FAILED";
  out.error = spec.error;
  out.cause = spec.cause;
  if (spec.error_path) out.error = text(spec.error_path->Evaluate(Ctx(req.input), "ErrorPath"));
  if (spec.cause_path) out.cause = text(spec.cause_path->Evaluate(Ctx(req.input), "CausePath"));
  if (spec.error_jsonata) out.error = text(Ata(*spec.error_jsonata, "Error"));
  if (spec.cause_jsonata) out.cause = text(Ata(*spec.cause_jsonata, "Cause"));
}

// The first Retrier whose ErrorEquals matches decides: RETRIABLE while
// retrierRetryCount is below its MaxAttempts; then the first matching
// Catcher (CAUGHT_ERROR), else FAILED.
void Run::HandleError(const StatesError& error) {
  bool is_task = state.type == asl::StateType::kTask;
  out.error = error.error;
  out.cause = error.cause;
  const int64_t count = req.config.retrier_retry_count;
  for (size_t i = 0; i < state.retry.size(); ++i) {
    const asl::Retrier& r = state.retry[i];
    if (!ErrorEqualsMatches(r.error_equals, error.error, is_task, true)) continue;
    if (count >= r.max_attempts) break;
    double delay = r.interval_seconds * std::pow(r.backoff_rate, static_cast<double>(count));
    if (r.max_delay_seconds) delay = std::min(delay, static_cast<double>(*r.max_delay_seconds));
    out.status = "RETRIABLE";
    out.inspection["errorDetails"] = {{"retryIndex", i},
                                      {"retryBackoffIntervalSeconds", std::llround(delay)}};
    return;
  }
  for (size_t i = 0; i < state.catchers.size(); ++i) {
    const asl::Catcher& c = state.catchers[i];
    if (!ErrorEqualsMatches(c.error_equals, error.error, is_task, true)) continue;
    Json error_output = {{"Error", error.error}};
    if (error.cause) error_output["Cause"] = *error.cause;
    Json assigned, output;
    if (jsonata()) {
      assigned = EvalAssign(c.assign, req.input, nullptr, &error_output);
      output = c.output ? Ata(*c.output, "Output", nullptr, &error_output) : error_output;
    } else {
      assigned = EvalAssign(c.assign, error_output);
      output = ApplyResultPathAndOutputPath(c.result_path, asl::OptionalPath{}, req.input,
                                            error_output, Ctx(req.input));
    }
    Finish(std::move(output), c.next, assigned);
    out.status = "CAUGHT_ERROR";
    out.inspection["errorDetails"] = {{"catchIndex", i}};
    return;
  }
  out.status = "FAILED";
}

void Run::Dispatch() {
  switch (state.type) {
    case asl::StateType::kPass:
      return Pass();
    case asl::StateType::kTask:
      return Mocked();
    case asl::StateType::kChoice:
      return Choice();
    case asl::StateType::kWait:
    case asl::StateType::kSucceed:
      return PathOnly();
    case asl::StateType::kFail:
      return Fail();
    case asl::StateType::kMap:
      return Map();
    case asl::StateType::kParallel:
      return Mocked();
  }
}

}  // namespace test_state

namespace {

bool ProgramHas(const asl::Program& program, const std::string& name);

bool StateHas(const asl::State& s, const std::string& name) {
  if (s.type == asl::StateType::kMap) {
    const auto& processor = s.as<asl::MapSpec>().processor;
    return processor && ProgramHas(*processor, name);
  }
  if (s.type != asl::StateType::kParallel) return false;
  for (const auto& branch : s.as<asl::ParallelSpec>().branches) {
    if (ProgramHas(*branch, name)) return true;
  }
  return false;
}

bool ProgramHas(const asl::Program& program, const std::string& name) {
  if (program.Find(name)) return true;
  for (const asl::State& s : program.states) {
    if (StateHas(s, name)) return true;
  }
  return false;
}

// What AWS refuses before running anything.
Status CheckRequest(const TestStateRequest& req) {
  const asl::State& state = *req.state;
  bool compound = state.type == asl::StateType::kMap || state.type == asl::StateType::kParallel;
  bool mockable = compound || state.type == asl::StateType::kTask;
  const char* type = asl::StateTypeName(state.type);
  if (req.mock && !mockable) {
    return Status(ErrorCode::kValidation, std::string("State type '") + type +
                                              "' is not supported when a mock is specified");
  }
  if (compound && !req.mock) {
    return Status(ErrorCode::kValidation, std::string("State type '") + type +
                                              "' is only supported when a mock is specified");
  }
  if (state.type == asl::StateType::kTask && !req.mock) {
    return Status(ErrorCode::kValidation,
                  "TestState of this Task state needs a mock (result or errorOutput)");
  }
  if (const auto& name = req.config.error_caused_by_state) {
    if (!compound || !StateHas(state, *name)) {
      return Status(ErrorCode::kValidation, "The errorCausedByState '" + *name +
                                                "' is not a state of the tested Map or Parallel");
    }
    if (!req.mock || req.mock->result) {
      return Status(ErrorCode::kValidation, "errorCausedByState needs a mocked errorOutput");
    }
  }
  if (compound && req.mock->result && !req.mock->result->is_array()) {
    return Status(ErrorCode::kValidation,
                  std::string("The mocked result of a ") + type + " state must be a JSON array");
  }
  return Status::Ok();
}

}  // namespace

Result<TestStateResult> RunTestState(const TestStateRequest& request) {
  RETURN_IF_ERROR(CheckRequest(request));
  const asl::State& state = *request.state;
  Json context = request.context.value_or(Json{{"State", {{"Name", state.name}}}});
  test_state::Run run(request, std::move(context));
  run.Inspect("input", request.input);
  try {
    if (!run.jsonata()) {
      run.Inspect("afterInputPath",
                  ApplyInputPathAndParameters(state.input_path, std::nullopt, request.input,
                                              run.Ctx(request.input)));
    }
    run.Dispatch();
  } catch (const StatesException& e) {
    run.HandleError(e.error());
  }
  run.Inspect("variables", run.vars);
  return std::move(run.out);
}

std::optional<Json> TestStateTaskParameters(const TestStateRequest& request) {
  const asl::State& state = *request.state;
  Json context = request.context.value_or(Json{{"State", {{"Name", state.name}}}});
  test_state::Run run(request, std::move(context));
  try {
    if (run.jsonata()) {
      return state.arguments ? run.Ata(*state.arguments, "Arguments") : request.input;
    }
    return ApplyInputPathAndParameters(state.input_path, state.parameters, request.input,
                                       run.Ctx(request.input));
  } catch (const StatesException&) {
    return std::nullopt;
  }
}

}  // namespace stepline::runtime
