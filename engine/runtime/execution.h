// Execution: one running execution of a state machine — the interpreter.
//
// An execution is a tree of frames: the root program, each Parallel branch
// and each Map iteration. A frame walks its program's states one at a time;
// compound states wait on their child frames. Everything runs on the
// execution's strand: no locks.
//
// Every observable step is a history event (Emit). Events produced while
// handling one stimulus (start, timer, stop, child completion) form one
// transition and are committed to the Store as one WriteBatch (Flush), in
// order; the Store group-commits batches of many executions.
//
// Recovery (Resume) is deterministic replay: the interpreter runs again from
// ExecutionStarted with the stored history as its oracle. Each Emit consumes
// the stored event with the same id (and checks its type) instead of
// appending; Now() returns the stored timestamps; state outputs are taken
// from the stored events, so non-deterministic values (UUIDs, random
// numbers) come back exactly as recorded. When every frame is blocked, the
// next stored event's frame ("engine.f") says which stimulus came next, and
// that frame's wake-up runs at once. When the history is exhausted the
// execution continues live, timers re-armed with their remaining time.
//
// Thread-safety: every member function must run on strand(), except the
// constructor. Invariant: event ids are 1..last_event_id_, contiguous.
#pragma once

#include <utility>  // before asio: Boost 1.74 + g++ 12 coroutine headers need it

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/json.h"
#include "engine/asl/model.h"
#include "engine/runtime/activity_queue.h"
#include "engine/runtime/engine.h"
#include "engine/states_error.h"
#include "storage/store.h"

namespace stepline::runtime {

namespace net = boost::asio;
using Strand = net::strand<net::io_context::executor_type>;

// What an execution needs from the engine that owns it.
struct ExecutionServices {
  net::io_context* io = nullptr;
  storage::Store* store = nullptr;
  const Clock* clock = nullptr;
  EngineOptions options;
  // Called on the strand once the execution has closed and its last batch is durable.
  std::function<void(const std::string& arn)> on_closed;
  // Queues an activity task for workers (any thread; the engine posts it).
  std::function<void(ActivityWork)> queue_activity;
  // Where map runs are reported (DescribeMapRun...); may be null.
  MapRunRegistry* map_runs = nullptr;
};

// A map run's state when it failed in its iterations, as its MapRunFailed
// event stored it (engine data "redrive"): a redrive re-runs the iterations
// that did not succeed and keeps the others' results.
struct MapRunRedrive {
  std::string map_run_arn;
  Json items;                         // Frame::items of the run
  bool selected = false;              // Frame::items_selected
  std::vector<bool> done;             // per iteration: succeeded before
  std::vector<int64_t> starts;        // per iteration: how often it ran before
  std::vector<Json> outputs, inputs;  // per iteration (meaningful where done)
};

// A Task state in flight: the part of a Frame that only Task states use.
struct TaskPart {
  // Task state in flight (task.cpp): its request, and which dispatch the
  // awaited answer belongs to (answers to other attempts are ignored).
  std::shared_ptr<const task::TaskRequest> task;
  uint64_t task_attempt = 0;
  bool task_submitted = false;      // TaskSubmitted recorded for this attempt
  bool activity_started = false;    // ActivityStarted recorded: a worker holds the token
  bool activity_reoffered = false;  // started before a restart, offered to workers again
  bool task_failure = false;        // the error being handled is the task's own TaskFailed
  EpochMillis task_deadline = 0;    // TimeoutSeconds ends the task here (0: never)
  EpochMillis heartbeat_at = 0;     // HeartbeatSeconds ends the task here (0: not running)
  // SendTaskSuccess/Failure that came before the TaskSubmitted it follows.
  std::optional<TaskAnswer> early_answer;
};

// The part of a Frame that only Parallel and Map states (their parent
// frames) use.
struct CompoundPart {
  // Compound states: children and their results.
  std::vector<int> children;
  std::vector<Json> child_outputs;
  size_t children_done = 0;
  size_t children_started = 0;
  Json items;                  // Map: the items being iterated
  Json effective_input;        // Parallel/Map: input after InputPath/Parameters
  size_t max_concurrency = 0;  // Map: 0 = unbounded
  int64_t compound_started_cursor = 0;
  bool compound_failing = false;  // a child failed; Retry may restart the state

  // Distributed Map run (map_run.cpp); its ARN is Frame::map_run_arn.
  std::string map_run_id;       // the run ARN's last part (ResultWriter keys)
  bool map_io = false;          // waiting for the ItemReader or the ResultWriter
  uint64_t map_io_attempt = 0;  // which S3 call the awaited answer belongs to
  bool items_selected = false;  // frame.items already went through ItemSelector (batches)
  size_t children_failed = 0;   // failed iterations, within the tolerated threshold so far
  std::optional<double> tolerated_count;
  std::optional<double> tolerated_percentage;
  std::vector<Json> child_inputs;         // iteration inputs (ResultWriter)
  std::vector<StatesError> child_errors;  // per iteration, set when it failed
  std::optional<Json> map_result;         // replaces the iteration results (ResultWriter)
  bool map_settled = false;  // replay: the run closed in the stored history (not re-run)
  // What a run that failed in its iterations stored for its redrive (the
  // items, which iterations succeeded and their results; see map_run.h).
  std::shared_ptr<const MapRunRedrive> map_redrive;
  int64_t map_redrives = 0;  // MapRunRedriven events of the current run
};

struct Frame {
  enum class Status { kRunning, kSucceeded, kFailed, kAborted };
  enum class Block { kNone, kTimer, kRetry, kChildren, kTask };

  int id = 0;
  int parent = -1;      // -1 for the root frame
  size_t slot = 0;      // branch / iteration index within the parent
  bool silent = false;  // distributed Map iteration: its events are not in this history
  // Distributed Map iteration (and the frames under it): the id of the
  // iteration's root frame, whose child execution history gets its events.
  int child_log = -1;
  const asl::Program* program = nullptr;
  Status status = Status::kRunning;

  // The state being executed and its entry.
  const asl::State* state = nullptr;
  const asl::State* pending = nullptr;  // next state to enter
  Json raw_input;                       // input of `state` (or of `pending`)
  int64_t entered_event_id = 0;
  int64_t entered_prev = 0;  // previousEventId of the StateEntered event
  EpochMillis entered_time = 0;
  int64_t cursor = 0;  // previousEventId of the next event of this frame

  // Retry bookkeeping for the current state entry.
  std::vector<int64_t> retry_counts;
  int64_t retry_total = 0;

  // What the frame waits on.
  Block block = Block::kNone;
  std::unique_ptr<net::steady_timer> timer;
  EpochMillis wake_at = 0;
  std::function<void(Frame&)> on_wake;  // runs when the timer fires
  // Distributed Map run (map_run.cpp): its ARN, empty for other frames.
  std::string map_run_arn;
  // What only Task states and compound states need, allocated by their first
  // use: a frame parked in a Wait carries neither.
  std::unique_ptr<TaskPart> task_part;
  std::unique_ptr<CompoundPart> compound_part;
  TaskPart& Task() {
    if (!task_part) task_part = std::make_unique<TaskPart>();
    return *task_part;
  }
  // Read-only views that allocate nothing (an empty part when there is none).
  const TaskPart& TaskView() const { return task_part ? *task_part : kNoTask; }
  CompoundPart& Compound() {
    if (!compound_part) compound_part = std::make_unique<CompoundPart>();
    return *compound_part;
  }
  const CompoundPart& CompoundView() const { return compound_part ? *compound_part : kNoCompound; }
  inline static const TaskPart kNoTask{};
  inline static const CompoundPart kNoCompound{};

  // Map iteration context ($$.Map.Item).
  std::optional<Json> map_item_value;
  size_t map_item_index = 0;

  Json variables;     // this frame's workflow variables (null until the first Assign)
  Json output;        // when kSucceeded
  StatesError error;  // when kFailed
};

// What a running execution keeps of its ExecutionRecord; the whole record
// is held only until Begin has queued it for the store.
struct RunningRecord {
  std::string arn;
  std::string state_machine_arn;
  std::string role_arn;
  std::string mock_test_case;  // attributes.mockTestCase: which mocked responses Task states get
  EpochMillis start_date = 0;
  std::optional<EpochMillis> redrive_date;
  bool express = false;
};

class Execution : public std::enable_shared_from_this<Execution> {
 public:
  // `services` are the engine's, shared by all its executions.
  Execution(std::shared_ptr<const ExecutionServices> services, storage::ExecutionRecord record,
            std::shared_ptr<const asl::StateMachine> machine);

  Strand& strand() { return strand_; }
  const std::string& arn() const { return record_.arn; }
  // Its closing event is written (or being written); on the strand.
  bool closed() const { return closed_; }

  // Live start: commits the record with ExecutionStarted, then runs.
  void Begin(std::function<void(Status)> started,
             std::function<void(const ExecutionOutcome&)> finished);
  // Recovery after a restart: replays `events` (the stored history of this
  // RUNNING execution), then continues live.
  void Resume(std::vector<storage::HistoryEvent> events,
              std::function<void(const ExecutionOutcome&)> finished);
  // RedriveExecution (redrive.cpp): replays `events` (the whole history of
  // this closed execution), then appends ExecutionRedriven and re-runs the
  // unsuccessful states. `done` gets the redrive date once that is durable.
  void Redrive(std::vector<storage::HistoryEvent> events, std::string client_token,
               std::function<void(Result<EpochMillis>)> done);
  // SendTask* for the task waiting on `token`: OK, or kTaskTimedOut when no
  // task waits on it any more.
  Status AnswerTask(const std::string& token, TaskAnswer answer);
  // A worker takes the activity task `token`: `taken(true)` once its
  // ActivityStarted is durable, so a worker never holds a token whose start a
  // crash could lose; false when the task no longer waits for a worker.
  void TakeActivity(const std::string& token, const std::string& worker,
                    std::function<void(bool)> taken);
  // UpdateMapRun for a run of this execution: kResourceNotFound when no
  // running Map state runs it.
  Status UpdateMapRun(const std::string& map_run_arn, const MapRunUpdate& update);
  // StopExecution.
  void Stop(std::optional<std::string> error, std::optional<std::string> cause,
            std::function<void(Result<EpochMillis>)> done);

 private:
  friend class FrameScope;
  friend class TaskStep;
  friend class MapRunStep;

  // --- events and commits (execution.cpp) ---
  // Appends an event (live) or consumes the stored one (replay); returns its
  // id. `replayed`, when given, receives the stored event during replay.
  int64_t Emit(Frame& frame, const std::string& type, Json details, bool advance = true,
               Json engine = nullptr, const storage::HistoryEvent** replayed = nullptr);
  void AppendPending(const std::string& arn, storage::HistoryEvent event);
  void Flush();
  EpochMillis Now() const;
  void BuildContextBase(const storage::ExecutionRecord& record);  // for machines that read $$

  // --- driving frames (execution.cpp) ---
  Frame& NewFrame(int parent, size_t slot, const asl::Program* program);
  void Schedule(int frame_id);
  void Drain();
  void Step(Frame& frame);
  void EnterState(Frame& frame);
  void ExitState(Frame& frame, const std::string& type, Json output, const std::string& next,
                 const Json& assigned);
  void FinishFrame(Frame& frame);
  static void ReplayedOutput(const storage::HistoryEvent& stored, Frame& frame, Json& output);
  void FailFrame(Frame& frame, StatesError error);
  void CloseExecution(const std::string& status, const std::string& event_type, Json details,
                      std::optional<std::string> output, std::optional<std::string> error,
                      std::optional<std::string> cause);
  // How AbortFrames records what it ends: nothing (timeouts, history limit),
  // a StopExecution (compound and Wait states), or the siblings of a failed
  // branch / iteration, whose in-flight Task states get TaskStateAborted too
  // and whose events all follow `chain_to`, the failure event, as AWS records.
  enum class AbortEvents { kNone, kStop, kBranch };
  void AbortFrames(int frame_id, AbortEvents events, int64_t chain_to = 0);
  void FailHistoryLimit();
  void StartTimer(Frame& frame, EpochMillis wake_at, std::function<void(Frame&)> fire);
  void ArmTimer(Frame& frame);
  void Wake(Frame& frame);
  bool ReplayNextStimulus();
  void FinishReplay();
  void ArmExecutionTimeout();
  void StartReplay(std::vector<storage::HistoryEvent> events);
  void AbortNow(std::optional<std::string> error, std::optional<std::string> cause);
  void TimeOutNow();

  // --- redrive (redrive.cpp) ---
  // True when the close event just emitted is followed by a redrive (stored,
  // or the one Redrive asked for once the replay is exhausted).
  bool RedriveFollows() const;
  void ApplyRedrive();
  void ReviveFrame(Frame& frame, int64_t cursor);
  bool ReviveChildren(Frame& frame, int64_t cursor);
  // A closed stimulus the replay meets when every frame is blocked: a stop
  // (…Aborted events up to ExecutionAborted) or the execution timeout.
  bool ReplayCloseStimulus(const storage::HistoryEvent& next);
  void FailRedrive(const std::string& why);

  // --- errors, retry and catch (recovery.cpp... errors.cpp) ---
  void HandleStateError(Frame& frame, StatesError error);
  bool TryRetry(Frame& frame, const StatesError& error);
  bool TryCatch(Frame& frame, const StatesError& error);
  std::string WrapCause(const Frame& frame, const std::string& cause) const;

  // --- context and scopes ---
  Json ContextObject(const Frame& frame, bool with_retry) const;
  Json StatesBinding(const Frame& frame, const Json* result, const Json* error_output) const;
  Json EvaluateAssign(const Frame& frame, const asl::Assign& assign, const Json& jsonpath_input,
                      const Json* states_result, const Json* error_output) const;
  void ApplyAssign(Frame& frame, const Json& values);
  Json EvalJsonata(const Frame& frame, const jsonata::Template& tmpl, std::string_view field,
                   const Json* result, const Json* error_output) const;

  // --- state types (states.cpp, compound.cpp) ---
  void RunPass(Frame& frame);
  void RunChoice(Frame& frame);
  void RunWait(Frame& frame);
  void RunSucceed(Frame& frame);
  void RunFail(Frame& frame);
  void RunTask(Frame& frame);
  void ResumeTask(Frame& frame);  // end of replay with the task in flight (task.cpp)
  void RunParallel(Frame& frame);
  void RunMap(Frame& frame);
  Json MapItems(Frame& frame);
  std::optional<double> MapNumber(const Frame& frame, const asl::DynamicNumber& number,
                                  const std::string& field, bool integer);
  void StartMapRun(Frame& frame);
  void BeginIterations(Frame& frame, Json items);
  Json SelectItem(Frame& frame, size_t index, const Json& item);
  void StartIterations(Frame& frame);
  bool ToleratesFailures(const Frame& frame) const;
  void OnChildFinished(Frame& parent, Frame& child);
  void CompleteCompound(Frame& frame);
  void FailCompound(Frame& frame, StatesError error);

  std::shared_ptr<const ExecutionServices> services_;
  RunningRecord record_;
  std::unique_ptr<storage::ExecutionRecord> start_record_;  // until Begin (or a replay) starts
  std::shared_ptr<const asl::StateMachine> machine_;
  Strand strand_;
  Json input_;
  Json context_base_;  // $$ without State/Map/Task; null when the machine never
                       // reads the context object (asl::StateMachine::reads_context)
  std::vector<std::unique_ptr<Frame>> frames_;
  std::vector<int> ready_;
  int64_t last_event_id_ = 0;
  EpochMillis last_event_time_ = 0;  // timestamp of the last emitted (or replayed) event
  // What the next Flush commits; allocated by the first write after a flush,
  // so a parked execution carries no empty batch.
  std::unique_ptr<storage::WriteBatch> pending_;
  storage::WriteBatch& Pending() {
    if (!pending_) pending_ = std::make_unique<storage::WriteBatch>();
    return *pending_;
  }
  // Histories of the running child executions of map runs, by the id of the
  // iteration's root frame (allocated with the first one).
  struct ChildLog {
    std::string arn;
    int64_t last_id = 0;
  };
  std::unique_ptr<std::map<int, ChildLog>> child_logs_;
  int64_t EmitChild(Frame& frame, const std::string& type, Json details, bool advance);
  // Task dispatches per state name (the mocked responses' invocation number);
  // replay recounts them, as it re-runs every dispatch decision.
  std::map<std::string, int64_t> task_invocations_;
  bool closed_ = false;
  bool draining_ = false;
  bool first_batch_ = true;
  std::unique_ptr<net::steady_timer> timeout_timer_;
  std::function<void(Status)> started_;
  std::function<void(const ExecutionOutcome&)> finished_;
  // Called on the strand once the pending batch is durable (or failed).
  std::vector<std::function<void(Status)>> on_durable_;
  std::unique_ptr<ExecutionOutcome> outcome_;  // set by CloseExecution
  // Replay state (Resume).
  std::vector<storage::HistoryEvent> replay_;
  size_t replay_pos_ = 0;
  bool replaying_ = false;
  // Redrive state: redrives applied so far (replayed or live), the base of
  // the execution timeout (start or last redrive), and a pending live redrive.
  int64_t redrive_count_ = 0;
  EpochMillis timeout_base_ = 0;
  bool redrive_requested_ = false;
  bool redrive_in_batch_ = false;
  std::string redrive_token_;
  std::function<void(Result<EpochMillis>)> redrive_done_;
};

}  // namespace stepline::runtime
