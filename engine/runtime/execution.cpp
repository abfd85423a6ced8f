#include "engine/runtime/execution.h"
#include "engine/runtime/map_run.h"

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>

#include "common/limits.h"
#include "common/timefmt.h"
#include "engine/runtime/dataflow.h"
#include "engine/runtime/history.h"

namespace stepline::runtime {

Execution::Execution(std::shared_ptr<const ExecutionServices> services,
                     storage::ExecutionRecord record,
                     std::shared_ptr<const asl::StateMachine> machine)
    : services_(std::move(services)),
      machine_(std::move(machine)),
      strand_(net::make_strand(*services_->io)) {
  record_.arn = record.arn;
  record_.state_machine_arn = record.state_machine_arn;
  record_.role_arn = record.role_arn;
  if (record.attributes.is_object()) {
    record_.mock_test_case = record.attributes.value("mockTestCase", std::string());
  }
  record_.start_date = record.start_date;
  record_.redrive_date = record.redrive_date;
  record_.express = record.type == "EXPRESS";
  auto parsed = ParseJson(record.input);
  input_ = parsed.ok() ? std::move(parsed).value() : Json::object();
  timeout_base_ = record.start_date;
  if (machine_->reads_context) BuildContextBase(record);
  start_record_ = std::make_unique<storage::ExecutionRecord>(std::move(record));
}

void Execution::BuildContextBase(const storage::ExecutionRecord& record) {
  std::string sm_name = record.state_machine_arn.substr(record.state_machine_arn.rfind(':') + 1);
  context_base_ = Json::object();
  context_base_["Execution"] = {{"Id", record.arn},
                                {"Input", input_},
                                {"StartTime", FormatIso8601Millis(record.start_date)},
                                {"Name", record.name},
                                {"RoleArn", record.role_arn}};
  // Express executions cannot be redriven: AWS leaves RedriveCount out. The
  // count grows as the history's ExecutionRedriven events are (re)applied.
  if (record.type != "EXPRESS") context_base_["Execution"]["RedriveCount"] = 0;
  context_base_["StateMachine"] = {{"Id", record.state_machine_arn}, {"Name", sm_name}};
}

EpochMillis Execution::Now() const {
  if (replaying_ && replay_pos_ < replay_.size()) return replay_[replay_pos_].timestamp;
  return services_->clock->NowMillis();
}

// ---------------------------------------------------------------- lifecycle

void Execution::Begin(std::function<void(Status)> started,
                      std::function<void(const ExecutionOutcome&)> finished) {
  started_ = std::move(started);
  finished_ = std::move(finished);
  storage::ExecutionRecord& record = *start_record_;
  Frame& root = NewFrame(-1, 0, &machine_->root);
  Json details = {{"input", record.input},
                  {"inputDetails", {{"truncated", false}}},
                  {"roleArn", record.role_arn}};
  if (!record.state_machine_alias_arn.empty()) {
    details["stateMachineAliasArn"] = record.state_machine_alias_arn;
  }
  if (!record.state_machine_version_arn.empty()) {
    details["stateMachineVersionArn"] = record.state_machine_version_arn;
  }
  Pending().insert_executions.push_back(std::move(record));
  start_record_.reset();
  Emit(root, "ExecutionStarted", std::move(details), /*advance=*/false);
  root.pending = root.program->Find(root.program->start_at);
  root.raw_input = input_;
  // The first batch must be durable before anything else happens: a racing
  // duplicate StartExecution fails here and the execution never runs.
  Flush();
}

void Execution::Resume(std::vector<storage::HistoryEvent> events,
                       std::function<void(const ExecutionOutcome&)> finished) {
  finished_ = std::move(finished);
  StartReplay(std::move(events));
}

void Execution::StartReplay(std::vector<storage::HistoryEvent> events) {
  start_record_.reset();  // stored already
  first_batch_ = false;
  replay_ = std::move(events);
  replay_pos_ = 0;
  replaying_ = true;
  Frame& root = NewFrame(-1, 0, &machine_->root);
  Emit(root, "ExecutionStarted", nullptr, /*advance=*/false);
  root.pending = root.program->Find(root.program->start_at);
  root.raw_input = input_;
  ArmExecutionTimeout();
  Schedule(0);
  Drain();
}

void Execution::Stop(std::optional<std::string> error, std::optional<std::string> cause,
                     std::function<void(Result<EpochMillis>)> done) {
  if (closed_) {
    done(Status(ErrorCode::kExecutionDoesNotExist, "Execution Does Not Exist: '" + arn() + "'"));
    return;
  }
  AbortNow(std::move(error), std::move(cause));
  EpochMillis stopped = outcome_ ? outcome_->stop_date : 0;
  Flush();
  done(stopped);
}

void Execution::AbortNow(std::optional<std::string> error, std::optional<std::string> cause) {
  // AWS records a stop during a Wait as ExecutionAborted alone, pointing where
  // the WaitStateEntered pointed.
  Frame& root = *frames_[0];
  if (root.status == Frame::Status::kRunning && root.state &&
      root.state->type == asl::StateType::kWait && root.block == Frame::Block::kTimer) {
    AbortFrames(0, AbortEvents::kNone);
    root.cursor = root.entered_prev;
  } else {
    AbortFrames(0, AbortEvents::kStop);
  }
  Json details = Json::object();
  if (error) details["error"] = *error;
  if (cause) details["cause"] = *cause;
  CloseExecution("ABORTED", "ExecutionAborted", std::move(details), std::nullopt, error, cause);
}

// ---------------------------------------------------------------- events

int64_t Execution::Emit(Frame& frame, const std::string& type, Json details, bool advance,
                        Json engine, const storage::HistoryEvent** replayed) {
  if (frame.silent)
    return frame.child_log < 0 ? 0 : EmitChild(frame, type, std::move(details), advance);
  if (replaying_ && replay_pos_ < replay_.size()) {
    const storage::HistoryEvent& stored = replay_[replay_pos_++];
    if (stored.type != type || stored.id != last_event_id_ + 1) {
      spdlog::error(
          "{}: replay diverged at event {} (stored {}, computed {}); the execution is "
          "left RUNNING",
          arn(), stored.id, stored.type, type);
      replaying_ = false;
      closed_ = true;
      FailRedrive("Execution cannot be redriven: its history does not replay");
      return last_event_id_;
    }
    last_event_id_ = stored.id;
    last_event_time_ = stored.timestamp;
    if (advance) frame.cursor = stored.id;
    if (replayed) *replayed = &stored;
    return stored.id;
  }
  if (replaying_) FinishReplay();
  if (closed_) return last_event_id_;  // nothing follows the closing event
  if (last_event_id_ + 1 >= limits::kMaxHistoryEvents && !record_.express &&
      type.rfind("Execution", 0) != 0) {
    FailHistoryLimit();
    return last_event_id_;
  }
  storage::HistoryEvent event;
  event.id = ++last_event_id_;
  event.previous_event_id = frame.cursor;
  event.timestamp = Now();
  last_event_time_ = event.timestamp;
  event.type = type;
  event.details = std::move(details);
  if (engine.is_null()) engine = Json::object();
  engine["f"] = frame.id;
  event.engine = std::move(engine);
  if (advance) frame.cursor = event.id;
  AppendPending(record_.arn, std::move(event));
  return last_event_id_;
}

// An event of a map run's child execution: its own history, ids and
// cursors; written live, also while the parent replays (the iterations of
// a run that was open re-run from their start, see map_run.h).
int64_t Execution::EmitChild(Frame& frame, const std::string& type, Json details, bool advance) {
  if (!child_logs_) return 0;
  auto it = child_logs_->find(frame.child_log);
  if (it == child_logs_->end()) return 0;
  ChildLog& log = it->second;
  int64_t id = ++log.last_id;
  storage::HistoryEvent event;
  event.id = id;
  event.previous_event_id = frame.cursor;
  event.timestamp = services_->clock->NowMillis();
  event.type = type;
  event.details = std::move(details);
  event.engine = Json::object();
  if (advance) frame.cursor = event.id;
  AppendPending(log.arn, std::move(event));
  return id;
}

void Execution::AppendPending(const std::string& arn, storage::HistoryEvent event) {
  std::vector<storage::EventAppend>& appends = Pending().append_events;
  if (appends.empty() || appends.back().execution_arn != arn) appends.push_back({arn, {}});
  appends.back().events.push_back(std::move(event));
}

void Execution::Flush() {
  if (!pending_ || pending_->empty()) {
    // Nothing new to write: what they wait for is durable already.
    auto durable = std::move(on_durable_);
    on_durable_.clear();
    for (auto& fn : durable) fn(Status::Ok());
    return;
  }
  storage::WriteBatch batch = std::move(*pending_);
  pending_.reset();
  bool first = first_batch_;
  first_batch_ = false;
  bool closing = closed_;
  std::function<void(Result<EpochMillis>)> redriven;
  if (redrive_in_batch_) redriven = std::move(redrive_done_);
  auto durable = std::move(on_durable_);
  on_durable_.clear();
  redrive_in_batch_ = false;
  EpochMillis redrive_date = record_.redrive_date.value_or(0);
  auto self = shared_from_this();
  // The callback runs on the store's writer thread. It hands its reference
  // to the strand (moved, not copied): were the writer thread left holding
  // the last one, ~Execution would destroy the timers off the strand, racing
  // the I/O threads (seen as a hang in runtime_tests).
  services_->store->Commit(
      std::move(batch), [self, first, closing, redriven = std::move(redriven), redrive_date,
                         durable = std::move(durable)](Status status) mutable {
        Strand& strand = self->strand_;
        net::post(strand,
                  [self = std::move(self), first, closing, status, redriven = std::move(redriven),
                   redrive_date, durable = std::move(durable)]() {
                    for (auto& fn : durable) fn(status);
                    if (redriven) {
                      if (status.ok()) {
                        redriven(redrive_date);
                      } else {
                        redriven(status);
                      }
                    }
                    if (first) {
                      auto started = std::move(self->started_);
                      if (started) started(status);
                      if (!status.ok()) {
                        self->closed_ = true;
                        if (self->timeout_timer_) self->timeout_timer_->cancel();
                        if (self->services_->on_closed) self->services_->on_closed(self->arn());
                        return;
                      }
                      if (!closing) {
                        self->ArmExecutionTimeout();
                        self->Schedule(0);
                        self->Drain();
                      }
                    }
                    if (closing) {
                      if (self->finished_) {
                        self->finished_(self->outcome_ ? *self->outcome_ : ExecutionOutcome{});
                      }
                      if (self->services_->on_closed) self->services_->on_closed(self->arn());
                    }
                  });
      });
}

// ---------------------------------------------------------------- frames

Frame& Execution::NewFrame(int parent, size_t slot, const asl::Program* program) {
  auto frame = std::make_unique<Frame>();
  frame->id = static_cast<int>(frames_.size());
  frame->parent = parent;
  frame->slot = slot;
  frame->program = program;
  if (parent >= 0) {
    frame->cursor = frames_[parent]->cursor;
    frame->silent = frames_[parent]->silent;
    frame->child_log = frames_[parent]->child_log;
  }
  frames_.push_back(std::move(frame));
  return *frames_.back();
}

void Execution::Schedule(int frame_id) { ready_.push_back(frame_id); }

void Execution::Drain() {
  if (draining_) return;
  draining_ = true;
  while (true) {
    for (size_t i = 0; i < ready_.size() && !closed_; ++i) Step(*frames_[ready_[i]]);
    ready_.clear();
    if (!replaying_ || closed_) break;
    if (!ReplayNextStimulus()) {
      FinishReplay();
      break;
    }
  }
  draining_ = false;
  Flush();
}

bool Execution::ReplayNextStimulus() {
  if (replay_pos_ >= replay_.size()) return false;
  const storage::HistoryEvent& next = replay_[replay_pos_];
  if (ReplayCloseStimulus(next)) return true;
  int id = next.engine.is_object() ? next.engine.value("f", -1) : -1;
  if (id < 0 || id >= static_cast<int>(frames_.size()) || !frames_[id]->on_wake) {
    spdlog::error("{}: replay cannot place stored event {} ({}); the execution is left RUNNING",
                  arn(), next.id, next.type);
    replaying_ = false;
    closed_ = true;
    FailRedrive("Execution cannot be redriven: its history does not replay");
    return false;
  }
  Wake(*frames_[id]);
  return true;
}

void Execution::FinishReplay() {
  replaying_ = false;
  if (redrive_requested_)
    FailRedrive("Execution cannot be redriven: its history does not end in a failure");
  replay_.clear();
  replay_.shrink_to_fit();
  for (auto& f : frames_) {
    if (f->status == Frame::Status::kRunning && f->block == Frame::Block::kTask) {
      ResumeTask(*f);
      continue;
    }
    if (f->status == Frame::Status::kRunning && f->on_wake) ArmTimer(*f);
  }
}

void Execution::Step(Frame& frame) {
  while (!closed_ && frame.status == Frame::Status::kRunning && frame.pending &&
         frame.block == Frame::Block::kNone) {
    frame.state = frame.pending;
    frame.pending = nullptr;
    try {
      EnterState(frame);
    } catch (const StatesException& e) {
      HandleStateError(frame, e.error());
    } catch (const std::exception& e) {
      HandleStateError(frame, {errors::kRuntime, std::string(e.what()), std::nullopt});
    }
  }
}

void Execution::EnterState(Frame& frame) {
  const asl::State& state = *frame.state;
  frame.retry_counts.assign(state.retry.size(), 0);
  frame.retry_total = 0;
  frame.entered_time = Now();
  frame.entered_prev = frame.cursor;
  frame.entered_event_id = Emit(frame, StateEventType(state.type, "Entered"),
                                {{"name", state.name},
                                 {"input", DumpJson(frame.raw_input)},
                                 {"inputDetails", {{"truncated", false}}}});
  switch (state.type) {
    case asl::StateType::kPass:
      return RunPass(frame);
    case asl::StateType::kChoice:
      return RunChoice(frame);
    case asl::StateType::kWait:
      return RunWait(frame);
    case asl::StateType::kSucceed:
      return RunSucceed(frame);
    case asl::StateType::kFail:
      return RunFail(frame);
    case asl::StateType::kTask:
      return RunTask(frame);
    case asl::StateType::kParallel:
      return RunParallel(frame);
    case asl::StateType::kMap:
      return RunMap(frame);
  }
}

void Execution::ExitState(Frame& frame, const std::string& type, Json output,
                          const std::string& next, const Json& assigned) {
  CheckPayloadSize(output, frame.state->name);
  Json details = {{"name", frame.state->name},
                  {"output", DumpJson(output)},
                  {"outputDetails", {{"truncated", false}}}};
  if (assigned.is_object() && !assigned.empty()) {
    Json vars = Json::object();
    for (const auto& [name, value] : assigned.items()) vars[name] = DumpJson(value);
    details["assignedVariables"] = std::move(vars);
    details["assignedVariablesDetails"] = {{"truncated", false}};
  }
  Json engine = Json::object();
  if (!next.empty()) engine["next"] = next;
  const storage::HistoryEvent* stored = nullptr;
  Emit(frame, type, std::move(details), true, std::move(engine), &stored);
  if (stored) ReplayedOutput(*stored, frame, output);
  if (next.empty()) {
    frame.output = std::move(output);
    frame.status = Frame::Status::kSucceeded;
    FinishFrame(frame);
    return;
  }
  frame.pending = frame.program->Find(next);
  frame.raw_input = std::move(output);
}

// During replay the recorded output (and assigned variables) win over the
// recomputed ones, so non-deterministic values stay as they were.
void Execution::ReplayedOutput(const storage::HistoryEvent& stored, Frame& frame, Json& output) {
  if (!stored.details.is_object()) return;
  auto out = stored.details.find("output");
  if (out != stored.details.end() && out->is_string()) {
    auto parsed = ParseJson(out->get<std::string>());
    if (parsed.ok()) output = std::move(parsed).value();
  }
  auto vars = stored.details.find("assignedVariables");
  if (vars != stored.details.end() && vars->is_object()) {
    for (const auto& [name, text] : vars->items()) {
      if (!text.is_string()) continue;
      auto parsed = ParseJson(text.get<std::string>());
      if (parsed.ok()) frame.variables[name] = std::move(parsed).value();
    }
  }
}

void Execution::FinishFrame(Frame& frame) {
  if (frame.parent >= 0) return OnChildFinished(*frames_[frame.parent], frame);
  std::string output = DumpJson(frame.output);
  CloseExecution("SUCCEEDED", "ExecutionSucceeded",
                 {{"output", output}, {"outputDetails", {{"truncated", false}}}}, output,
                 std::nullopt, std::nullopt);
}

void Execution::FailFrame(Frame& frame, StatesError error) {
  frame.status = Frame::Status::kFailed;
  frame.error = std::move(error);
  if (frame.parent >= 0) return OnChildFinished(*frames_[frame.parent], frame);
  Json details = Json::object();
  if (!frame.error.error.empty()) details["error"] = frame.error.error;
  if (frame.error.cause) details["cause"] = *frame.error.cause;
  std::optional<std::string> err;
  if (!frame.error.error.empty()) err = frame.error.error;
  bool timeout = frame.error.error == errors::kTimeout && frame.state == nullptr;
  CloseExecution(timeout ? "TIMED_OUT" : "FAILED",
                 timeout ? "ExecutionTimedOut" : "ExecutionFailed", std::move(details),
                 std::nullopt, err, frame.error.cause);
}

void Execution::CloseExecution(const std::string& status, const std::string& event_type,
                               Json details, std::optional<std::string> output,
                               std::optional<std::string> error, std::optional<std::string> cause) {
  Emit(*frames_[0], event_type, std::move(details));
  if (redrive_requested_ && status == "SUCCEEDED") {
    return FailRedrive("Execution is SUCCEEDED and cannot be redriven");
  }
  if (status != "SUCCEEDED" && RedriveFollows()) return ApplyRedrive();
  closed_ = true;
  for (auto& f : frames_) {
    if (f->timer) f->timer->cancel();
  }
  if (timeout_timer_) timeout_timer_->cancel();
  EpochMillis now = Now();
  Pending().update_executions.push_back(
      {record_.arn, status, output, error, cause, now, std::nullopt, std::nullopt});
  outcome_ = std::make_unique<ExecutionOutcome>(
      ExecutionOutcome{status, std::move(output), std::move(error), std::move(cause), now});
}

void Execution::AbortFrames(int frame_id, AbortEvents events, int64_t chain_to) {
  Frame& frame = *frames_[frame_id];
  if (frame.status != Frame::Status::kRunning) return;
  if (events == AbortEvents::kBranch) frame.cursor = chain_to;
  for (int child : frame.CompoundView().children) AbortFrames(child, events, chain_to);
  if (frame.timer) frame.timer->cancel();
  frame.status = Frame::Status::kAborted;
  bool map_waiting = frame.state != nullptr && frame.state->type == asl::StateType::kMap &&
                     frame.block == Frame::Block::kChildren;
  if (map_waiting && !frame.map_run_arn.empty()) MapRunStep::Close(*this, frame, "ABORTED");
  if (events == AbortEvents::kNone || frame.state == nullptr) return;
  bool task_in_flight = frame.block == Frame::Block::kTask || frame.block == Frame::Block::kRetry;
  if (events == AbortEvents::kBranch && frame.state->type == asl::StateType::kTask &&
      task_in_flight) {
    Emit(frame, "TaskStateAborted", nullptr, false);
  } else if (map_waiting) {
    Emit(frame, "MapStateAborted", nullptr);
  } else if (frame.state->type == asl::StateType::kParallel &&
             frame.block == Frame::Block::kChildren) {
    Emit(frame, "ParallelStateAborted", nullptr);
  } else if (frame.state->type == asl::StateType::kWait && frame.block == Frame::Block::kTimer) {
    Emit(frame, "WaitStateAborted", {{"name", frame.state->name}});
  }
}

// A standard execution's history holds at most limits::kMaxHistoryEvents events; the
// last one is the ExecutionFailed that ends it.
void Execution::FailHistoryLimit() {
  AbortFrames(0, AbortEvents::kNone);
  std::string cause = "The execution reached the maximum number of history events (" +
                      std::to_string(limits::kMaxHistoryEvents) + ").";
  CloseExecution("FAILED", "ExecutionFailed", {{"error", errors::kRuntime}, {"cause", cause}},
                 std::nullopt, std::string(errors::kRuntime), cause);
}

// ---------------------------------------------------------------- timers

void Execution::StartTimer(Frame& frame, EpochMillis wake_at, std::function<void(Frame&)> fire) {
  frame.wake_at = wake_at;
  frame.on_wake = std::move(fire);
  if (!replaying_) ArmTimer(frame);
}

void Execution::ArmTimer(Frame& frame) {
  double scale = services_->options.wait_time_scale;
  EpochMillis delay = std::max<EpochMillis>(0, frame.wake_at - services_->clock->NowMillis());
  auto scaled = std::chrono::milliseconds(static_cast<int64_t>(static_cast<double>(delay) * scale));
  frame.timer = std::make_unique<net::steady_timer>(strand_, scaled);
  int id = frame.id;
  auto self = shared_from_this();
  frame.timer->async_wait([self, id](const boost::system::error_code& ec) {
    if (ec || self->closed_) return;
    self->Wake(*self->frames_[id]);
    self->Drain();
  });
}

void Execution::Wake(Frame& frame) {
  if (frame.status != Frame::Status::kRunning || !frame.on_wake) return;
  auto fire = std::move(frame.on_wake);
  frame.on_wake = nullptr;
  frame.block = Frame::Block::kNone;
  try {
    fire(frame);
  } catch (const StatesException& e) {
    HandleStateError(frame, e.error());
  }
  Schedule(frame.id);
}

void Execution::ArmExecutionTimeout() {
  if (!machine_->timeout_seconds) return;
  double scale = services_->options.wait_time_scale;
  EpochMillis deadline = timeout_base_ + *machine_->timeout_seconds * 1000;
  EpochMillis remaining = std::max<EpochMillis>(0, deadline - services_->clock->NowMillis());
  auto delay =
      std::chrono::milliseconds(static_cast<int64_t>(static_cast<double>(remaining) * scale));
  timeout_timer_ = std::make_unique<net::steady_timer>(strand_, delay);
  auto self = shared_from_this();
  timeout_timer_->async_wait([self](const boost::system::error_code& ec) {
    if (ec || self->closed_ || self->replaying_) return;
    self->TimeOutNow();
    self->Flush();
  });
}

void Execution::TimeOutNow() {
  AbortFrames(0, AbortEvents::kNone);
  CloseExecution("TIMED_OUT", "ExecutionTimedOut", {{"error", errors::kTimeout}}, std::nullopt,
                 std::string(errors::kTimeout), std::nullopt);
}

}  // namespace stepline::runtime
