// Task states: effective parameters, dispatch through EngineOptions::dispatcher,
// the Task* / LambdaFunction* history events, the state timeout, and replay
// of stored task results.
//
// Entering a Task emits <Scheduled> and <Started> and blocks its frame
// (Block::kTask). The dispatcher's answer may come on any thread; it is posted
// back onto the strand and accepted only when the frame still waits for that
// very dispatch (Frame::task_attempt), so answers arriving after a timeout, a
// stop or the end of the execution are dropped. Callbacks hold only a
// weak_ptr to the execution.
//
// Callback tasks (.waitForTaskToken) wait after TaskSubmitted for
// SendTaskSuccess/Failure (Execution::AnswerTask); SendTaskHeartbeat pushes
// their heartbeat deadline back. Activities are not dispatched: entering one
// emits ActivityScheduled and queues it for workers (ExecutionServices::
// queue_activity); ActivityStarted is recorded when a worker takes it. The
// frame's one timer fires at the earlier of the TimeoutSeconds and heartbeat
// deadlines; both end the task with States.Timeout, as AWS records.
//
// Replay dispatches nothing: the stored result event (the next stimulus of
// the frame) is the answer. A task without a stored result is dispatched
// again when replay ends (at-least-once), its timeout re-armed with the time
// left; a submitted callback keeps waiting (its token is unchanged), an
// activity no worker took is queued again, and heartbeat clocks restart.
#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>
#include <cmath>

#include "engine/runtime/dataflow.h"
#include "engine/runtime/execution.h"
#include "engine/runtime/scope.h"
#include "engine/runtime/task_token.h"

namespace stepline::runtime {
namespace {

using task::Pattern;
using task::ResourceSpec;

// Task* for service integrations, LambdaFunction* for legacy function ARNs,
// Activity* for activities.
bool TaskShaped(const ResourceSpec& spec) { return !spec.legacy_lambda && !spec.activity; }

std::string EventType(const ResourceSpec& spec, std::string_view suffix) {
  const char* prefix = spec.legacy_lambda ? "LambdaFunction" : spec.activity ? "Activity" : "Task";
  return prefix + std::string(suffix);
}

// Task* events name the integration; LambdaFunction* events do not.
Json WithResource(const ResourceSpec& spec, Json details) {
  if (!TaskShaped(spec)) return details;
  if (details.is_null()) details = Json::object();
  details["resource"] = spec.resource;
  details["resourceType"] = spec.resource_type;
  return details;
}

Json ScheduledDetails(const task::TaskRequest& r) {
  Json d = Json::object();
  if (TaskShaped(r.spec)) {
    d = WithResource(r.spec, {{"region", r.region}, {"parameters", DumpJson(r.parameters)}});
  } else {
    d = {{"resource", r.spec.arn},
         {"input", DumpJson(r.parameters)},
         {"inputDetails", {{"truncated", false}}}};
  }
  if (r.timeout_seconds) d["timeoutInSeconds"] = *r.timeout_seconds;
  if (r.heartbeat_seconds) d["heartbeatInSeconds"] = *r.heartbeat_seconds;
  if (r.credentials.is_object() && r.credentials.contains("RoleArn")) {
    d["taskCredentials"] = {{"roleArn", r.credentials["RoleArn"]}};
  }
  return d;
}

Json OutputDetails(const Json& value) {
  return {{"output", DumpJson(value)}, {"outputDetails", {{"truncated", false}}}};
}

std::optional<std::string> OptString(const Json& details, const char* key) {
  if (!details.is_object()) return std::nullopt;
  auto it = details.find(key);
  if (it == details.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

// A positive whole number of seconds, or the States.Runtime error AWS gives.
int64_t PositiveSeconds(const Json& v, const std::string& field, const std::string& what) {
  if (!v.is_number() || v.get<double>() < 1 || std::floor(v.get<double>()) != v.get<double>()) {
    throw StatesException(errors::kRuntime, "The " + field +
                                                " parameter does not reference a valid "
                                                "positive integer: " +
                                                what + " == " + DumpJson(v));
  }
  return static_cast<int64_t>(v.get<double>());
}

}  // namespace

// Task steps, with access to the interpreter's internals.
class TaskStep {
 public:
  static void Run(Execution& ex, Frame& f);
  static void Resume(Execution& ex, Frame& f);
  static Status Answer(Execution& ex, const std::string& token, TaskAnswer answer);
  static void Take(Execution& ex, const std::string& token, const std::string& worker,
                   std::function<void(bool)> taken);

 private:
  static std::shared_ptr<task::TaskRequest> BuildRequest(Execution& ex, Frame& f);
  static Json Context(Execution& ex, const Frame& f);
  static std::optional<int64_t> Seconds(Execution& ex, const Frame& f,
                                        const asl::DynamicNumber& number, const std::string& field,
                                        const ExprContext& ctx);
  static bool Await(Execution& ex, Frame& f, std::shared_ptr<task::TaskRequest> request);
  static void RunActivity(Execution& ex, Frame& f, std::shared_ptr<task::TaskRequest> request);
  static void QueueActivity(Execution& ex, Frame& f);
  static Frame* WaitingOn(Execution& ex, const std::string& token);
  static void ApplyAnswer(Execution& ex, Frame& f, TaskAnswer answer);
  static bool Heartbeats(const Frame& f);
  static void StartHeartbeat(Execution& ex, Frame& f, EpochMillis from);
  static void ArmTimeout(Execution& ex, Frame& f);
  static void Dispatch(Execution& ex, Frame& f);
  template <typename Fn>
  static void Post(const std::weak_ptr<Execution>& weak, Fn fn);
  static Frame* Awaiting(Execution& ex, int frame_id, uint64_t attempt);
  static void OnOutcome(Execution& ex, int frame_id, uint64_t attempt, task::TaskOutcome outcome);
  static void OnSubmitted(Execution& ex, int frame_id, uint64_t attempt, const Json& output);
  static void RecordSubmitted(Execution& ex, Frame& f, const Json& output);
  static void ReplayAnswer(Execution& ex, Frame& f);
  template <typename Fn>
  static void Settle(Execution& ex, Frame& f, Fn fn);
  static void Succeed(Execution& ex, Frame& f, Json result);
  static void Fail(Execution& ex, Frame& f, StatesError error);
  static void TimeOut(Execution& ex, Frame& f, std::optional<std::string> cause);
  static void Complete(Execution& ex, Frame& f, Json result);
};

void Execution::RunTask(Frame& frame) { TaskStep::Run(*this, frame); }

void Execution::ResumeTask(Frame& frame) { TaskStep::Resume(*this, frame); }

Status Execution::AnswerTask(const std::string& token, TaskAnswer answer) {
  return TaskStep::Answer(*this, token, std::move(answer));
}

void Execution::TakeActivity(const std::string& token, const std::string& worker,
                             std::function<void(bool)> taken) {
  TaskStep::Take(*this, token, worker, std::move(taken));
}

// ---------------------------------------------------------------- entering

void TaskStep::Run(Execution& ex, Frame& f) {
  std::shared_ptr<task::TaskRequest> request = BuildRequest(ex, f);
  if (request->spec.activity) return RunActivity(ex, f, std::move(request));
  const ResourceSpec& spec = request->spec;
  ex.Emit(f, EventType(spec, "Scheduled"), ScheduledDetails(*request));
  ex.Emit(f, EventType(spec, "Started"), WithResource(spec, nullptr));
  if (ex.closed_) return;  // replay diverged
  if (!Await(ex, f, request)) return;
  if (Heartbeats(f))
    f.Task().heartbeat_at = ex.last_event_time_ + *request->heartbeat_seconds * 1000;
  ArmTimeout(ex, f);
  Dispatch(ex, f);
}

// The frame now waits for its task: live (true), or for the stored answer.
bool TaskStep::Await(Execution& ex, Frame& f, std::shared_ptr<task::TaskRequest> request) {
  TaskPart& t = f.Task();
  t.task = std::move(request);
  t.task_submitted = false;
  t.activity_started = false;
  t.early_answer.reset();
  f.block = Frame::Block::kTask;
  t.task_deadline =
      t.task->timeout_seconds ? ex.last_event_time_ + *t.task->timeout_seconds * 1000 : 0;
  t.heartbeat_at = 0;
  if (!ex.replaying_) return true;
  f.on_wake = [&ex](Frame& fr) { ReplayAnswer(ex, fr); };
  return false;
}

// ActivityScheduled, then wait for a worker. AWS fails the state with
// States.Runtime when the activity does not exist (checked live only: a
// replayed ActivityScheduled found it).
void TaskStep::RunActivity(Execution& ex, Frame& f, std::shared_ptr<task::TaskRequest> request) {
  if (!ex.replaying_) {
    auto activity = ex.services_->store->GetActivity(request->spec.arn);
    if (activity.ok() && !*activity) {
      throw StatesException(errors::kRuntime,
                            "The activity " + request->spec.arn + " does not exist.");
    }
  }
  ex.Emit(f, "ActivityScheduled", ScheduledDetails(*request));
  if (ex.closed_ || !Await(ex, f, std::move(request))) return;
  ++f.Task().task_attempt;
  ArmTimeout(ex, f);
  QueueActivity(ex, f);
}

void TaskStep::QueueActivity(Execution& ex, Frame& f) {
  TaskPart& t = f.Task();
  if (!ex.services_->queue_activity) return;
  ex.services_->queue_activity(
      {t.task->spec.arn, ex.record_.arn, *t.task->task_token, DumpJson(t.task->parameters)});
}

// $$ of a Task: the context object plus Task.Token when the task has one.
Json TaskStep::Context(Execution& ex, const Frame& f) {
  const TaskPart& t = f.TaskView();
  Json context = ex.ContextObject(f, true);
  if (t.task && t.task->task_token) context["Task"] = {{"Token", *t.task->task_token}};
  return context;
}

std::shared_ptr<task::TaskRequest> TaskStep::BuildRequest(Execution& ex, Frame& f) {
  const asl::State& state = *f.state;
  const auto& spec = state.as<asl::TaskSpec>();
  if (!spec.resource_spec) throw StatesException(errors::kRuntime, spec.resource_error);
  auto r = std::make_shared<task::TaskRequest>();
  r->spec = *spec.resource_spec;
  // AWS gives callback, .sync and activity tasks a token.
  if (r->spec.pattern != Pattern::kRequestResponse || r->spec.activity) {
    r->task_token = MakeTaskToken(ex.record_.arn, ex.last_event_id_ + 1);
  }
  Json context = ex.ContextObject(f, true);
  if (r->task_token) context["Task"] = {{"Token", *r->task_token}};
  FrameScope scope(ex.frames_, f.id, nullptr);
  ExprContext ctx{&f.raw_input, &context, &scope};
  if (state.query_language == asl::QueryLanguage::kJsonata) {
    Json states = ex.StatesBinding(f, nullptr, nullptr);
    states["context"] = context;
    FrameScope bindings(ex.frames_, f.id, &states);
    r->parameters =
        state.arguments ? state.arguments->Evaluate("Arguments", bindings) : f.raw_input;
    if (spec.credentials_jsonata) {
      r->credentials = spec.credentials_jsonata->Evaluate("Credentials", bindings);
    }
  } else {
    r->parameters =
        ApplyInputPathAndParameters(state.input_path, state.parameters, f.raw_input, ctx);
    if (spec.credentials) r->credentials = spec.credentials->Evaluate(ctx);
  }
  r->timeout_seconds = Seconds(ex, f, spec.timeout_seconds, "TimeoutSeconds", ctx);
  r->heartbeat_seconds = Seconds(ex, f, spec.heartbeat_seconds, "HeartbeatSeconds", ctx);
  r->execution_arn = ex.record_.arn;
  r->state_machine_arn = ex.record_.state_machine_arn;
  r->state_name = state.name;
  r->region = ex.services_->options.region;
  r->account = ex.services_->options.account;
  r->test_case = ex.record_.mock_test_case;
  // Mocked responses count the state's invocations across the whole execution
  // (re-entries, retries and Map iterations alike), as Step Functions Local does.
  r->invocation = ex.task_invocations_[state.name]++;
  return r;
}

std::optional<int64_t> TaskStep::Seconds(Execution& ex, const Frame& f,
                                         const asl::DynamicNumber& number, const std::string& field,
                                         const ExprContext& ctx) {
  if (number.literal) return static_cast<int64_t>(*number.literal);
  if (number.path) {
    Json v = SelectRequired(*number.path, f.raw_input, ctx);
    return PositiveSeconds(v, field + "Path", number.path->text());
  }
  if (number.jsonata) {
    Json v = ex.EvalJsonata(f, *number.jsonata, field, nullptr, nullptr);
    return PositiveSeconds(v, field, number.jsonata->expression_text());
  }
  return std::nullopt;
}

// ---------------------------------------------------------------- dispatch

// Heartbeats apply to tasks that wait for SendTask*: callbacks and activities.
bool TaskStep::Heartbeats(const Frame& f) {
  const TaskPart& t = f.TaskView();
  return t.task->heartbeat_seconds &&
         (t.task->spec.activity || t.task->spec.pattern == Pattern::kWaitForTaskToken);
}

void TaskStep::StartHeartbeat(Execution& ex, Frame& f, EpochMillis from) {
  f.Task().heartbeat_at = from + *f.Task().task->heartbeat_seconds * 1000;
  ArmTimeout(ex, f);
}

// One timer: the earlier of the timeout and heartbeat deadlines.
void TaskStep::ArmTimeout(Execution& ex, Frame& f) {
  TaskPart& t = f.Task();
  EpochMillis at = t.task_deadline;
  if (t.heartbeat_at && (!at || t.heartbeat_at < at)) at = t.heartbeat_at;
  if (!at) {
    f.on_wake = nullptr;
    if (f.timer) f.timer->cancel();
    return;
  }
  Execution* self = &ex;
  ex.StartTimer(f, at, [self](Frame& fr) { TimeOut(*self, fr, std::nullopt); });
}

template <typename Fn>
void TaskStep::Post(const std::weak_ptr<Execution>& weak, Fn fn) {
  std::shared_ptr<Execution> self = weak.lock();
  if (!self) return;  // the execution is gone: nothing waits for this answer
  // Moved into the handler: this (dispatcher) thread must not be left holding
  // the last reference, or ~Execution would run off the strand (see Flush).
  Strand& strand = self->strand_;
  net::post(strand, [self = std::move(self), fn = std::move(fn)]() mutable { fn(*self); });
}

void TaskStep::Dispatch(Execution& ex, Frame& f) {
  uint64_t attempt = ++f.Task().task_attempt;
  int id = f.id;
  std::weak_ptr<Execution> weak = ex.weak_from_this();
  task::TaskRequest request = *f.Task().task;
  request.on_submitted = [weak, id, attempt](Json output) {
    Post(weak, [id, attempt, output = std::move(output)](Execution& e) {
      OnSubmitted(e, id, attempt, output);
    });
  };
  auto done = [weak, id, attempt](task::TaskOutcome outcome) {
    Post(weak, [id, attempt, outcome = std::move(outcome)](Execution& e) mutable {
      OnOutcome(e, id, attempt, std::move(outcome));
    });
  };
  std::shared_ptr<task::TaskDispatcher> dispatcher = ex.services_->options.dispatcher;
  if (!dispatcher) {
    task::TaskOutcome none;
    none.error = {errors::kTaskFailed, "No task dispatcher is configured for " + request.spec.arn,
                  std::nullopt};
    return done(std::move(none));
  }
  dispatcher->Dispatch(std::move(request), std::move(done));
}

// The frame still waiting for this dispatch, or null.
Frame* TaskStep::Awaiting(Execution& ex, int frame_id, uint64_t attempt) {
  if (ex.closed_ || frame_id < 0 || frame_id >= static_cast<int>(ex.frames_.size())) return nullptr;
  Frame& f = *ex.frames_[frame_id];
  if (f.status != Frame::Status::kRunning || f.block != Frame::Block::kTask ||
      f.Task().task_attempt != attempt) {
    return nullptr;
  }
  return &f;
}

void TaskStep::OnOutcome(Execution& ex, int frame_id, uint64_t attempt, task::TaskOutcome outcome) {
  Frame* f = Awaiting(ex, frame_id, attempt);
  if (!f) return;
  if (outcome.submitted) {
    RecordSubmitted(ex, *f, outcome.submitted_output);
    ex.Drain();
    return;
  }
  f->on_wake = nullptr;  // the timeout no longer applies
  if (f->timer) f->timer->cancel();
  if (outcome.ok) {
    Settle(ex, *f, [&](Frame& fr) { Succeed(ex, fr, std::move(outcome.result)); });
  } else if (outcome.error.error == errors::kTimeout) {
    Settle(ex, *f, [&](Frame& fr) { TimeOut(ex, fr, outcome.error.cause); });
  } else {
    Settle(ex, *f, [&](Frame& fr) { Fail(ex, fr, std::move(outcome.error)); });
  }
  ex.Schedule(frame_id);
  ex.Drain();
}

void TaskStep::OnSubmitted(Execution& ex, int frame_id, uint64_t attempt, const Json& output) {
  Frame* f = Awaiting(ex, frame_id, attempt);
  if (!f) return;
  RecordSubmitted(ex, *f, output);
  ex.Drain();
}

// TaskSubmitted, once per task (not again when a resumed task is re-sent).
void TaskStep::RecordSubmitted(Execution& ex, Frame& f, const Json& output) {
  TaskPart& t = f.Task();
  if (t.task_submitted) return;
  t.task_submitted = true;
  ex.Emit(f, EventType(t.task->spec, "Submitted"),
          WithResource(t.task->spec, OutputDetails(output)));
  if (!t.early_answer || ex.closed_) return;
  TaskAnswer answer = std::move(*t.early_answer);
  t.early_answer.reset();
  ApplyAnswer(ex, f, std::move(answer));
}

// ---------------------------------------------------------------- SendTask*

// The running frame whose task has this token: callbacks and activities, and
// .sync tasks, which AWS also lets SendTask* complete.
Frame* TaskStep::WaitingOn(Execution& ex, const std::string& token) {
  if (ex.closed_ || ex.replaying_) return nullptr;
  for (auto& f : ex.frames_) {
    if (f->status == Frame::Status::kRunning && f->block == Frame::Block::kTask && f->Task().task &&
        f->Task().task->task_token == token) {
      return f.get();
    }
  }
  return nullptr;
}

Status TaskStep::Answer(Execution& ex, const std::string& token, TaskAnswer answer) {
  Frame* f = WaitingOn(ex, token);
  if (!f) {
    return Status(ErrorCode::kTaskTimedOut,
                  "Task Timed Out: 'Provided task does not exist anymore'");
  }
  if (answer.kind == TaskAnswer::Kind::kHeartbeat) {
    bool running = f->Task().task->spec.activity ? f->Task().activity_started : true;
    if (Heartbeats(*f) && running) StartHeartbeat(ex, *f, ex.Now());
    return Status::Ok();
  }
  // A callback answered before its service call returned: TaskSubmitted first.
  if (f->Task().task->spec.pattern == Pattern::kWaitForTaskToken && !f->Task().task_submitted) {
    f->Task().early_answer = std::move(answer);
    return Status::Ok();
  }
  ApplyAnswer(ex, *f, std::move(answer));
  ex.Drain();
  return Status::Ok();
}

void TaskStep::ApplyAnswer(Execution& ex, Frame& f, TaskAnswer answer) {
  f.on_wake = nullptr;
  if (f.timer) f.timer->cancel();
  if (answer.kind == TaskAnswer::Kind::kSuccess) {
    Settle(ex, f, [&](Frame& fr) { Succeed(ex, fr, std::move(answer.output)); });
  } else {
    StatesError error{answer.error.value_or(""), answer.cause, std::nullopt};
    Settle(ex, f, [&](Frame& fr) { Fail(ex, fr, std::move(error)); });
  }
  ex.Schedule(f.id);
}

void TaskStep::Take(Execution& ex, const std::string& token, const std::string& worker,
                    std::function<void(bool)> taken) {
  Frame* f = WaitingOn(ex, token);
  if (!f || !f->Task().task->spec.activity) return taken(false);
  if (f->Task().activity_started) {
    // Its ActivityStarted is in the history already (see Resume).
    if (!f->Task().activity_reoffered) return taken(false);
    f->Task().activity_reoffered = false;
    return taken(true);
  }
  f->Task().activity_started = true;
  Json details = Json::object();
  if (!worker.empty()) details["workerName"] = worker;
  ex.Emit(*f, "ActivityStarted", std::move(details));
  if (Heartbeats(*f)) StartHeartbeat(ex, *f, ex.last_event_time_);
  ex.on_durable_.push_back([taken = std::move(taken)](Status st) { taken(st.ok()); });
  ex.Drain();
}

// ---------------------------------------------------------------- replay

void TaskStep::Resume(Execution& ex, Frame& f) {
  TaskPart& t = f.Task();
  // SendTaskHeartbeat leaves no event: a heartbeat clock restarts now.
  bool running = t.task->spec.activity ? t.activity_started : true;
  if (Heartbeats(f) && running) t.heartbeat_at = ex.Now() + *t.task->heartbeat_seconds * 1000;
  ArmTimeout(ex, f);
  if (t.task->spec.activity) {
    ++t.task_attempt;
    // A started task is offered again too (at-least-once): the crash may have
    // lost GetActivityTask's answer, and only a worker that got it can answer.
    // Whichever worker answers first with the token completes the task.
    t.activity_reoffered = t.activity_started;
    QueueActivity(ex, f);
    return;
  }
  // A submitted callback task keeps its token: the worker still holds it.
  if (t.task_submitted && t.task->spec.pattern == Pattern::kWaitForTaskToken) return;
  Dispatch(ex, f);
}

// The frame's next stored event answers the task.
void TaskStep::ReplayAnswer(Execution& ex, Frame& f) {
  TaskPart& t = f.Task();
  const storage::HistoryEvent& next = ex.replay_[ex.replay_pos_];
  const ResourceSpec& spec = t.task->spec;
  if (next.type == EventType(spec, "Submitted")) {
    ex.Emit(f, next.type, nullptr);
    t.task_submitted = true;
    f.block = Frame::Block::kTask;
    f.on_wake = [&ex](Frame& fr) { ReplayAnswer(ex, fr); };
    return;
  }
  if (next.type == "ActivityStarted" && spec.activity) {
    ex.Emit(f, next.type, nullptr);
    t.activity_started = true;
    f.block = Frame::Block::kTask;
    f.on_wake = [&ex](Frame& fr) { ReplayAnswer(ex, fr); };
    return;
  }
  if (next.type == EventType(spec, "Succeeded")) {
    auto output = ParseJson(OptString(next.details, "output").value_or("null"));
    Json result = output.ok() ? std::move(output).value() : Json();
    return Settle(ex, f, [&](Frame& fr) { Succeed(ex, fr, std::move(result)); });
  }
  if (next.type == EventType(spec, "TimedOut")) {
    return Settle(ex, f, [&](Frame& fr) { TimeOut(ex, fr, OptString(next.details, "cause")); });
  }
  StatesError error{OptString(next.details, "error").value_or(""), OptString(next.details, "cause"),
                    std::nullopt};
  Settle(ex, f, [&](Frame& fr) { Fail(ex, fr, std::move(error)); });
}

// ---------------------------------------------------------------- closing

// Runs a closing step; what it throws (ResultSelector, Output...) is the
// state's error.
template <typename Fn>
void TaskStep::Settle(Execution& ex, Frame& f, Fn fn) {
  f.block = Frame::Block::kNone;
  try {
    fn(f);
  } catch (const StatesException& e) {
    ex.HandleStateError(f, e.error());
  } catch (const std::exception& e) {
    ex.HandleStateError(f, {errors::kRuntime, std::string(e.what()), std::nullopt});
  }
}

void TaskStep::Succeed(Execution& ex, Frame& f, Json result) {
  ex.Emit(f, EventType(f.Task().task->spec, "Succeeded"),
          WithResource(f.Task().task->spec, OutputDetails(result)));
  if (ex.closed_) return;
  Complete(ex, f, std::move(result));
}

void TaskStep::Fail(Execution& ex, Frame& f, StatesError error) {
  TaskPart& t = f.Task();
  Json details = Json::object();
  if (!error.error.empty()) details["error"] = error.error;
  if (error.cause) details["cause"] = *error.cause;
  ex.Emit(f, EventType(t.task->spec, "Failed"), WithResource(t.task->spec, std::move(details)));
  if (ex.closed_) return;
  t.task_failure = true;
  ex.HandleStateError(f, std::move(error));
  t.task_failure = false;
}

void TaskStep::TimeOut(Execution& ex, Frame& f, std::optional<std::string> cause) {
  f.block = Frame::Block::kNone;
  Json details = {{"error", errors::kTimeout}};
  if (cause && !cause->empty())
    details["cause"] = *cause;
  else
    cause.reset();
  ex.Emit(f, EventType(f.Task().task->spec, "TimedOut"),
          WithResource(f.Task().task->spec, std::move(details)));
  if (ex.closed_) return;
  ex.HandleStateError(f, {errors::kTimeout, std::move(cause), std::nullopt});
}

// ResultSelector -> ResultPath -> OutputPath (JSONPath), or Output and
// Assign over $states.result (JSONata); then TaskStateExited.
void TaskStep::Complete(Execution& ex, Frame& f, Json result) {
  const asl::State& state = *f.state;
  Json context = Context(ex, f);
  FrameScope scope(ex.frames_, f.id, nullptr);
  ExprContext ctx{&f.raw_input, &context, &scope};
  Json output;
  Json assigned;
  if (state.query_language == asl::QueryLanguage::kJsonata) {
    assigned = ex.EvaluateAssign(f, state.assign, f.raw_input, &result, nullptr);
    output = state.output ? ex.EvalJsonata(f, *state.output, "Output", &result, nullptr) : result;
  } else {
    Json selected = std::move(result);
    if (state.result_selector) {
      ExprContext inner = ctx;
      inner.input = &selected;
      selected = state.result_selector->Evaluate(inner);
    }
    assigned = ex.EvaluateAssign(f, state.assign, selected, nullptr, nullptr);
    output = ApplyResultPathAndOutputPath(state.result_path, state.output_path, f.raw_input,
                                          std::move(selected), ctx);
  }
  ex.ApplyAssign(f, assigned);
  ex.ExitState(f, "TaskStateExited", std::move(output), state.next, assigned);
}

}  // namespace stepline::runtime
