// Retry and Catch for Task, Parallel and Map states, and AWS's cause prefix.
#include <algorithm>
#include <cmath>

#include "common/ids.h"
#include "engine/runtime/dataflow.h"
#include "engine/runtime/error_match.h"
#include "engine/runtime/execution.h"
#include "engine/runtime/history.h"

namespace stepline::runtime {
namespace {

bool IsRetriable(asl::StateType type) {
  return type == asl::StateType::kTask || type == asl::StateType::kParallel ||
         type == asl::StateType::kMap;
}

// States.ALL matches every error except States.DataLimitExceeded raised by
// the state itself (a Task whose result is too large reports it as its
// failure, and that one States.ALL catches, as AWS records).
bool MatchesAll(const std::string& error, bool task_failure) {
  return error != errors::kDataLimitExceeded || task_failure;
}

}  // namespace

// States.Runtime is never retried nor caught, not even by name: AWS fails
// the execution (test_catch_states_runtime).
bool ErrorEqualsMatches(const std::vector<std::string>& error_equals, const std::string& error,
                        bool is_task, bool task_failure) {
  if (error == errors::kRuntime) return false;
  for (const std::string& name : error_equals) {
    if (name == error) return true;
    if (name == errors::kAll && MatchesAll(error, task_failure)) return true;
    if (name == errors::kTaskFailed && is_task && error != errors::kTimeout &&
        error != errors::kDataLimitExceeded && error.rfind("States.", 0) != 0) {
      return true;
    }
  }
  return false;
}

namespace {

bool Matches(const std::vector<std::string>& error_equals, const std::string& error, bool is_task,
             bool task_failure) {
  return ErrorEqualsMatches(error_equals, error, is_task, task_failure);
}

// Evaluator failures get AWS's prefix naming the state and its entry event.
bool NeedsPrefix(const std::string& error) {
  return error == errors::kRuntime || error == errors::kQueryEvaluationError ||
         error == errors::kIntrinsicFailure || error == errors::kParameterPathFailure ||
         error == errors::kResultPathMatchFailure;
}

}  // namespace

std::string Execution::WrapCause(const Frame& frame, const std::string& cause) const {
  return "An error occurred while executing the state '" + frame.state->name +
         "' (entered at the event id #" + std::to_string(frame.entered_event_id) + "). " + cause;
}

void Execution::HandleStateError(Frame& frame, StatesError error) {
  if (frame.state && NeedsPrefix(error.error) && error.cause &&
      error.cause->rfind("An error occurred while executing the state", 0) != 0) {
    error.cause = WrapCause(frame, *error.cause);
  }
  // A compound state failing with its child's error does not evaluate again:
  // the child already recorded the EvaluationFailed.
  if (error.error == errors::kQueryEvaluationError && frame.state &&
      !frame.CompoundView().compound_failing) {
    Json details = {{"error", error.error}, {"state", frame.state->name}};
    if (error.cause) details["cause"] = *error.cause;
    if (error.location) details["location"] = *error.location;
    // AWS chains EvaluationFailed to what the StateEntered event followed,
    // except in Wait states, where it follows WaitStateEntered.
    if (frame.state->type != asl::StateType::kWait && frame.cursor == frame.entered_event_id) {
      frame.cursor = frame.entered_prev;
    }
    Emit(frame, "EvaluationFailed", std::move(details));
    if (frame.state->type == asl::StateType::kMap) {
      Emit(frame, "MapStateFailed", nullptr);
    }
  }
  if (frame.state && IsRetriable(frame.state->type)) {
    if (TryRetry(frame, error)) return;
    if (frame.CompoundView().compound_failing) {
      Emit(frame,
           frame.state->type == asl::StateType::kMap ? "MapStateFailed" : "ParallelStateFailed",
           nullptr);
    }
    if (TryCatch(frame, error)) return;
  }
  FailFrame(frame, std::move(error));
}

bool Execution::TryRetry(Frame& frame, const StatesError& error) {
  const asl::State& state = *frame.state;
  bool is_task = state.type == asl::StateType::kTask;
  for (size_t i = 0; i < state.retry.size(); ++i) {
    const asl::Retrier& r = state.retry[i];
    if (!Matches(r.error_equals, error.error, is_task, frame.TaskView().task_failure)) continue;
    if (frame.retry_counts[i] >= r.max_attempts) return false;
    double delay = r.interval_seconds * std::pow(r.backoff_rate, frame.retry_counts[i]);
    if (r.max_delay_seconds) delay = std::min(delay, static_cast<double>(*r.max_delay_seconds));
    if (r.jitter == asl::Retrier::Jitter::kFull) {
      delay = delay * static_cast<double>(RandomU64() % 1000001) / 1000000.0;
    }
    ++frame.retry_counts[i];
    ++frame.retry_total;
    frame.block = Frame::Block::kRetry;
    StartTimer(frame, last_event_time_ + static_cast<EpochMillis>(delay * 1000.0),
               [this](Frame& f) {
                 switch (f.state->type) {
                   case asl::StateType::kTask:
                     return RunTask(f);
                   case asl::StateType::kParallel:
                     return RunParallel(f);
                   case asl::StateType::kMap:
                     return RunMap(f);
                   default:
                     return;
                 }
               });
    return true;
  }
  return false;
}

bool Execution::TryCatch(Frame& frame, const StatesError& error) {
  const asl::State& state = *frame.state;
  bool is_task = state.type == asl::StateType::kTask;
  for (const asl::Catcher& c : state.catchers) {
    if (!Matches(c.error_equals, error.error, is_task, frame.TaskView().task_failure)) continue;
    Json error_output = {{"Error", error.error}, {"Cause", error.cause.value_or("")}};
    // AWS's error output of a timeout carries an empty Cause.
    bool timeout = error.error == errors::kTimeout || error.error == errors::kHeartbeatTimeout;
    if (!error.cause && !timeout) error_output.erase("Cause");
    // SendTaskFailure without error and cause: AWS catches it with both null.
    if (error.error.empty() && !error.cause)
      error_output = {{"Error", nullptr}, {"Cause", nullptr}};
    Json output;
    Json assigned = Json::object();
    ExprContext ctx{&frame.raw_input, nullptr, nullptr};
    Json context = ContextObject(frame, true);
    ctx.context = &context;
    if (state.query_language == asl::QueryLanguage::kJsonata) {
      assigned = EvaluateAssign(frame, c.assign, frame.raw_input, nullptr, &error_output);
      if (c.output) {
        output = EvalJsonata(frame, *c.output, "Output", nullptr, &error_output);
      } else {
        output = error_output;
      }
    } else {
      assigned = EvaluateAssign(frame, c.assign, error_output, nullptr, &error_output);
      output = ApplyResultPathAndOutputPath(c.result_path, asl::OptionalPath{}, frame.raw_input,
                                            error_output, ctx);
    }
    ApplyAssign(frame, assigned);
    ExitState(frame, StateEventType(state.type, "Exited"), std::move(output), c.next, assigned);
    return true;
  }
  return false;
}

}  // namespace stepline::runtime
