// Simple state types (Pass, Choice, Wait, Succeed, Fail), the context
// object, workflow variables and JSONata bindings.
#include <cmath>

#include "common/timefmt.h"
#include "engine/asl/choice.h"
#include "engine/runtime/dataflow.h"
#include "engine/runtime/execution.h"
#include "engine/runtime/history.h"
#include "engine/runtime/scope.h"

namespace stepline::runtime {

Json Execution::ContextObject(const Frame& frame, bool with_retry) const {
  // Nothing in the definition can read it (asl::StateMachine::reads_context).
  if (!machine_->reads_context) return Json();
  Json ctx = context_base_;
  Json state = {{"Name", frame.state ? frame.state->name : ""},
                {"EnteredTime", FormatIso8601Millis(frame.entered_time)}};
  // $$.State.RetryCount exists only where Retry does: Task, Parallel and Map.
  asl::StateType type = frame.state ? frame.state->type : asl::StateType::kPass;
  bool retriable = type == asl::StateType::kTask || type == asl::StateType::kParallel ||
                   type == asl::StateType::kMap;
  if (with_retry && retriable) state["RetryCount"] = frame.retry_total;
  ctx["State"] = std::move(state);
  if (frame.map_item_value) {
    ctx["Map"] = {{"Item", {{"Index", frame.map_item_index}, {"Value", *frame.map_item_value}}}};
  }
  return ctx;
}

Json Execution::StatesBinding(const Frame& frame, const Json* result,
                              const Json* error_output) const {
  Json states = {{"input", frame.raw_input}, {"context", ContextObject(frame, true)}};
  if (result) states["result"] = *result;
  if (error_output) states["errorOutput"] = *error_output;
  return states;
}

Json Execution::EvalJsonata(const Frame& frame, const jsonata::Template& tmpl,
                            std::string_view field, const Json* result,
                            const Json* error_output) const {
  Json states = StatesBinding(frame, result, error_output);
  FrameScope scope(frames_, frame.id, &states);
  return tmpl.Evaluate(field, scope);
}

Json Execution::EvaluateAssign(const Frame& frame, const asl::Assign& assign,
                               const Json& jsonpath_input, const Json* states_result,
                               const Json* error_output) const {
  if (assign.jsonata)
    return EvalJsonata(frame, *assign.jsonata, "Assign", states_result, error_output);
  if (!assign.jsonpath) return Json::object();
  Json context = ContextObject(frame, true);
  FrameScope scope(frames_, frame.id, nullptr);
  ExprContext ctx{&jsonpath_input, &context, &scope};
  return assign.jsonpath->Evaluate(ctx);
}

void Execution::ApplyAssign(Frame& frame, const Json& values) {
  if (!values.is_object()) return;
  for (const auto& [name, value] : values.items()) frame.variables[name] = value;
}

// ---------------------------------------------------------------- Pass

void Execution::RunPass(Frame& frame) {
  const asl::State& state = *frame.state;
  const auto& spec = state.as<asl::PassSpec>();
  Json context = ContextObject(frame, false);
  FrameScope scope(frames_, frame.id, nullptr);
  ExprContext ctx{&frame.raw_input, &context, &scope};
  Json output;
  Json assigned;
  if (state.query_language == asl::QueryLanguage::kJsonata) {
    assigned = EvaluateAssign(frame, state.assign, frame.raw_input, nullptr, nullptr);
    output = state.output ? EvalJsonata(frame, *state.output, "Output", nullptr, nullptr)
                          : frame.raw_input;
  } else {
    Json result = spec.result ? *spec.result
                              : ApplyInputPathAndParameters(state.input_path, state.parameters,
                                                            frame.raw_input, ctx);
    assigned = EvaluateAssign(frame, state.assign, result, nullptr, nullptr);
    output = ApplyResultPathAndOutputPath(state.result_path, state.output_path, frame.raw_input,
                                          std::move(result), ctx);
  }
  ApplyAssign(frame, assigned);
  ExitState(frame, "PassStateExited", std::move(output), state.next, assigned);
}

// ---------------------------------------------------------------- Choice

void Execution::RunChoice(Frame& frame) {
  const asl::State& state = *frame.state;
  const auto& spec = state.as<asl::ChoiceSpec>();
  Json context = ContextObject(frame, false);
  FrameScope scope(frames_, frame.id, nullptr);
  bool jsonata = state.query_language == asl::QueryLanguage::kJsonata;
  Json effective =
      jsonata ? frame.raw_input
              : ApplyInputPathAndParameters(state.input_path, std::nullopt, frame.raw_input,
                                            ExprContext{&frame.raw_input, &context, &scope});
  ExprContext ctx{&effective, &context, &scope};
  const asl::ChoiceRule* matched = nullptr;
  for (const asl::ChoiceRule& rule : spec.choices) {
    bool hit = false;
    if (rule.condition) {
      Json v = EvalJsonata(frame, *rule.condition, "Condition", nullptr, nullptr);
      if (!v.is_boolean()) {
        throw StatesException(
            {errors::kQueryEvaluationError,
             "The JSONata expression '" + rule.condition->expression_text() +
                 "' specified for the field 'Condition' returned an unexpected result type. "
                 "Expected 'boolean', but was '" +
                 std::string(v.type_name()) + "' for value: " + DumpJson(v),
             "Condition"});
      }
      hit = v.get<bool>();
    } else {
      hit = asl::EvaluateChoiceRule(rule, ctx);
    }
    if (hit) {
      matched = &rule;
      break;
    }
  }
  std::string next = matched ? matched->next : spec.default_next;
  if (next.empty()) {
    throw StatesException(errors::kNoChoiceMatched, "No Matches!");
  }
  Json assigned = Json::object();
  Json output;
  if (jsonata) {
    const asl::Assign& assign = matched ? matched->assign : state.assign;
    assigned = EvaluateAssign(frame, assign, frame.raw_input, nullptr, nullptr);
    const auto& out_tmpl = matched && matched->output ? matched->output : state.output;
    output = out_tmpl ? EvalJsonata(frame, *out_tmpl, "Output", nullptr, nullptr) : frame.raw_input;
  } else {
    const asl::Assign& assign =
        matched && !matched->assign.empty() ? matched->assign : state.assign;
    assigned = EvaluateAssign(frame, assign, effective, nullptr, nullptr);
    output = ApplyOutputPath(state.output_path, effective, ctx);
  }
  ApplyAssign(frame, assigned);
  ExitState(frame, "ChoiceStateExited", std::move(output), next, assigned);
}

// ---------------------------------------------------------------- Wait

namespace {

[[noreturn]] void BadTimestamp(const std::string& field, const std::string& what) {
  throw StatesException(errors::kRuntime,
                        "The " + field +
                            " parameter does not reference a valid ISO-8601 extended offset "
                            "date-time format string: " +
                            what);
}

}  // namespace

void Execution::RunWait(Frame& frame) {
  const asl::State& state = *frame.state;
  const auto& spec = state.as<asl::WaitSpec>();
  Json context = ContextObject(frame, false);
  FrameScope scope(frames_, frame.id, nullptr);
  bool jsonata = state.query_language == asl::QueryLanguage::kJsonata;
  Json effective =
      jsonata ? frame.raw_input
              : ApplyInputPathAndParameters(state.input_path, std::nullopt, frame.raw_input,
                                            ExprContext{&frame.raw_input, &context, &scope});
  ExprContext ctx{&effective, &context, &scope};
  EpochMillis now = frame.entered_time;
  EpochMillis wake = now;
  using K = asl::WaitSpec::Kind;
  switch (spec.kind) {
    case K::kSeconds:
      wake = now + spec.seconds * 1000;
      break;
    case K::kTimestamp:
      wake = spec.timestamp_millis;
      break;
    case K::kSecondsPath: {
      Json v = SelectRequired(spec.path, effective, ctx);
      std::string where = spec.path.text() + " == " + DumpJson(v);
      if (v.is_number_float()) {
        throw StatesException(
            errors::kRuntime,
            "The SecondsPath parameter cannot be parsed as a long value: " + where);
      }
      if (!v.is_number()) {
        throw StatesException(
            errors::kRuntime,
            "The SecondsPath parameter does not reference a valid integer: " + where);
      }
      if (v.get<double>() < 0) {
        throw StatesException(errors::kRuntime,
                              "The SecondsPath parameter references a negative value: " + where);
      }
      wake = now + v.get<int64_t>() * 1000;
      break;
    }
    case K::kTimestampPath: {
      Json v = SelectRequired(spec.path, effective, ctx);
      std::optional<EpochMillis> t;
      if (v.is_string()) t = ParseRfc3339(v.get<std::string>());
      if (!t) {
        BadTimestamp("TimestampPath", spec.path.text() + " == " +
                                          (v.is_string() ? v.get<std::string>() : DumpJson(v)));
      }
      wake = *t;
      break;
    }
    case K::kSecondsJsonata: {
      Json v = EvalJsonata(frame, *spec.jsonata, "Seconds", nullptr, nullptr);
      if (!v.is_number()) BadTimestamp("Seconds", DumpJson(v));
      wake = now + static_cast<EpochMillis>(v.get<double>() * 1000.0);
      break;
    }
    case K::kTimestampJsonata: {
      Json v = EvalJsonata(frame, *spec.jsonata, "Timestamp", nullptr, nullptr);
      std::optional<EpochMillis> t;
      if (v.is_string()) t = ParseRfc3339(v.get<std::string>());
      if (!t) {
        throw StatesException(
            {errors::kQueryEvaluationError,
             "The Timestamp field cannot be parsed as an ISO-8601 extended offset "
             "date-time format string: " +
                 (v.is_string() ? v.get<std::string>() : DumpJson(v)),
             "Timestamp"});
      }
      wake = *t;
      break;
    }
  }
  frame.block = Frame::Block::kTimer;
  StartTimer(frame, wake, [this, effective](Frame& f) {
    const asl::State& s = *f.state;
    Json context = ContextObject(f, false);
    FrameScope scope(frames_, f.id, nullptr);
    ExprContext ctx{&effective, &context, &scope};
    Json assigned;
    Json output;
    if (s.query_language == asl::QueryLanguage::kJsonata) {
      assigned = EvaluateAssign(f, s.assign, f.raw_input, nullptr, nullptr);
      output = s.output ? EvalJsonata(f, *s.output, "Output", nullptr, nullptr) : f.raw_input;
    } else {
      assigned = EvaluateAssign(f, s.assign, effective, nullptr, nullptr);
      output = ApplyOutputPath(s.output_path, effective, ctx);
    }
    ApplyAssign(f, assigned);
    ExitState(f, "WaitStateExited", std::move(output), s.next, assigned);
  });
}

// ---------------------------------------------------------------- Succeed / Fail

void Execution::RunSucceed(Frame& frame) {
  const asl::State& state = *frame.state;
  Json context = ContextObject(frame, false);
  FrameScope scope(frames_, frame.id, nullptr);
  Json output;
  if (state.query_language == asl::QueryLanguage::kJsonata) {
    output = state.output ? EvalJsonata(frame, *state.output, "Output", nullptr, nullptr)
                          : frame.raw_input;
  } else {
    ExprContext ctx{&frame.raw_input, &context, &scope};
    Json effective =
        ApplyInputPathAndParameters(state.input_path, std::nullopt, frame.raw_input, ctx);
    output = ApplyOutputPath(state.output_path, std::move(effective), ctx);
  }
  ExitState(frame, "SucceedStateExited", std::move(output), "", Json::object());
}

void Execution::RunFail(Frame& frame) {
  const asl::State& state = *frame.state;
  const auto& spec = state.as<asl::FailSpec>();
  Json context = ContextObject(frame, false);
  FrameScope scope(frames_, frame.id, nullptr);
  ExprContext ctx{&frame.raw_input, &context, &scope};
  StatesError error;
  auto text_of = [](const Json& v) { return v.is_string() ? v.get<std::string>() : DumpJson(v); };
  if (spec.error_jsonata) {
    error.error = text_of(EvalJsonata(frame, *spec.error_jsonata, "Error", nullptr, nullptr));
  } else if (spec.error_path) {
    error.error = text_of(spec.error_path->Evaluate(ctx, "ErrorPath"));
  } else if (spec.error) {
    error.error = *spec.error;
  }
  if (spec.cause_jsonata) {
    error.cause = text_of(EvalJsonata(frame, *spec.cause_jsonata, "Cause", nullptr, nullptr));
  } else if (spec.cause_path) {
    error.cause = text_of(spec.cause_path->Evaluate(ctx, "CausePath"));
  } else if (spec.cause) {
    error.cause = *spec.cause;
  }
  FailFrame(frame, std::move(error));
}

// Task states: task.cpp.

}  // namespace stepline::runtime
