// RedriveExecution inside the interpreter.
//
// A redrive is one more stimulus of the event-sourced execution: Redrive
// replays the closed execution's whole history (its closing stop or timeout
// included, see ReplayCloseStimulus), and when the closing event has been
// consumed, ApplyRedrive appends ExecutionRedriven and revives the frames that
// did not succeed: a failed or aborted state is entered again with the input
// it had; a Map or Parallel state whose iterations or branches failed keeps
// its successful children and re-runs only the others (Map iterations that
// never started start as usual; a distributed Map redrives its map run, see
// map_run.h). A restart after a redrive replays the same
// way: the stored ExecutionRedriven that follows a close event is applied
// instead of closing, so the execution resumes where the redrive left it.
#include <spdlog/spdlog.h>

#include "common/timefmt.h"
#include "engine/runtime/execution.h"
#include "engine/runtime/map_run.h"

namespace stepline::runtime {
namespace {

constexpr std::string_view kAbortedSuffix = "Aborted";

bool IsAbortEvent(const std::string& type) {
  return type.size() >= kAbortedSuffix.size() &&
         type.compare(type.size() - kAbortedSuffix.size(), kAbortedSuffix.size(), kAbortedSuffix) ==
             0;
}

std::optional<std::string> OptionalMember(const Json& details, const char* name) {
  if (!details.is_object()) return std::nullopt;
  auto it = details.find(name);
  if (it == details.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

}  // namespace

void Execution::Redrive(std::vector<storage::HistoryEvent> events, std::string client_token,
                        std::function<void(Result<EpochMillis>)> done) {
  redrive_token_ = std::move(client_token);
  redrive_done_ = std::move(done);
  redrive_requested_ = true;
  StartReplay(std::move(events));
  // The replay runs to its end synchronously: a redrive still requested here
  // met a history that does not close in error (e.g. SUCCEEDED).
  if (redrive_requested_)
    FailRedrive("Execution cannot be redriven: its history does not end in a failure");
}

bool Execution::RedriveFollows() const {
  if (!replaying_) return false;
  if (replay_pos_ < replay_.size()) return replay_[replay_pos_].type == "ExecutionRedriven";
  return redrive_requested_;
}

bool Execution::ReplayCloseStimulus(const storage::HistoryEvent& next) {
  if (next.type == "ExecutionTimedOut") {
    TimeOutNow();
    return true;
  }
  // StopExecution: the aborted states' events, then ExecutionAborted.
  size_t i = replay_pos_;
  while (i < replay_.size() && replay_[i].type != "ExecutionAborted" &&
         IsAbortEvent(replay_[i].type)) {
    ++i;
  }
  if (i >= replay_.size() || replay_[i].type != "ExecutionAborted") return false;
  const Json& details = replay_[i].details;
  AbortNow(OptionalMember(details, "error"), OptionalMember(details, "cause"));
  return true;
}

void Execution::ApplyRedrive() {
  bool live = replay_pos_ >= replay_.size();
  if (live) redrive_requested_ = false;  // the one asked for (earlier ones are replayed)
  ++redrive_count_;
  Frame& root = *frames_[0];
  Json engine = Json::object();
  if (live && !redrive_token_.empty()) engine["token"] = redrive_token_;
  int64_t id =
      Emit(root, "ExecutionRedriven", {{"redriveCount", redrive_count_}}, true, std::move(engine));
  if (closed_) return;  // the replay diverged
  EpochMillis at = last_event_time_;
  if (machine_->reads_context) {
    context_base_["Execution"]["RedriveCount"] = redrive_count_;
    context_base_["Execution"]["RedriveTime"] = FormatIso8601Millis(at);
  }
  timeout_base_ = at;
  if (live) {
    record_.redrive_date = at;
    Pending().update_executions.push_back({record_.arn, "RUNNING", std::nullopt, std::nullopt,
                                           std::nullopt, std::nullopt, redrive_count_, at});
    redrive_in_batch_ = true;
  }
  ReviveFrame(root, id);
  ArmExecutionTimeout();
}

void Execution::ReviveFrame(Frame& frame, int64_t cursor) {
  if (frame.status == Frame::Status::kSucceeded) return;
  frame.status = Frame::Status::kRunning;
  frame.error = StatesError{};
  frame.cursor = cursor;
  if (frame.timer) frame.timer->cancel();
  frame.on_wake = nullptr;
  // Answers to the tasks of the closed attempt are ignored from now on.
  if (TaskPart* t = frame.task_part.get()) {
    t->task.reset();
    ++t->task_attempt;
    t->task_submitted = false;
    t->activity_started = false;
    t->task_deadline = 0;
    t->heartbeat_at = 0;
    t->early_answer.reset();
  }
  if (frame.compound_part) frame.compound_part->compound_failing = false;
  if (frame.state && ReviveChildren(frame, cursor)) return;
  frame.block = Frame::Block::kNone;
  if (frame.state) frame.pending = frame.state;
  Schedule(frame.id);
}

// A Map or Parallel state that failed (or was aborted) because of its
// children re-runs the unsuccessful ones; false when the state itself must
// be entered again (it failed before or after its children).
bool Execution::ReviveChildren(Frame& frame, int64_t cursor) {
  const asl::State& state = *frame.state;
  bool map = state.type == asl::StateType::kMap;
  if (map && state.as<asl::MapSpec>().distributed) return MapRunStep::Redrive(*this, frame);
  const CompoundPart& part = frame.CompoundView();
  if ((!map && state.type != asl::StateType::kParallel) || part.children.empty()) return false;
  bool unstarted = map && part.children_started < part.items.size();
  bool unsuccessful = unstarted;
  for (int id : part.children) {
    unsuccessful = unsuccessful || frames_[id]->status != Frame::Status::kSucceeded;
  }
  if (!unsuccessful) return false;
  frame.block = Frame::Block::kChildren;
  for (int id : part.children) {
    Frame& child = *frames_[id];
    if (child.status == Frame::Status::kSucceeded) continue;
    child.cursor = cursor;
    if (map) Emit(child, "MapIterationStarted", {{"index", child.slot}, {"name", state.name}});
    ReviveFrame(child, child.cursor);
  }
  if (unstarted) {
    try {
      StartIterations(frame);
    } catch (const StatesException& e) {
      HandleStateError(frame, e.error());
    }
  }
  return true;
}

void Execution::FailRedrive(const std::string& why) {
  if (!redrive_done_) return;
  redrive_requested_ = false;
  auto done = std::move(redrive_done_);
  spdlog::error("{}: cannot redrive: {}", arn(), why);
  closed_ = true;
  replaying_ = false;
  pending_.reset();  // nothing of a failed redrive is written
  if (timeout_timer_) timeout_timer_->cancel();
  done(Status(ErrorCode::kExecutionNotRedrivable, why));
  if (services_->on_closed) services_->on_closed(arn());
}

}  // namespace stepline::runtime
