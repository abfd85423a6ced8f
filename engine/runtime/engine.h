// ExecutionEngine: runs executions of state machines. The API layer creates
// and validates requests; the engine owns everything that happens to an
// execution after that: history events, timers, stops, task tokens.
//
// Each execution lives on its own strand; the engine has no locks. Its
// history events are the source of truth: they are committed to the Store
// (one batch per transition, group-committed under load) and replayed on
// Recover() after a restart.
//
// Task states hand their work to EngineOptions::dispatcher; its answers may
// come on any thread and are posted back onto the execution's strand.
// Callback tasks (.waitForTaskToken) and activities wait for AnswerTask
// (SendTaskSuccess/Failure/Heartbeat). A task token names its execution and
// its Scheduled event, so the token -> (execution, frame, attempt) lookup is
// the registry of running executions plus the frames their histories rebuild
// (Recover replays them): tokens stay valid across restarts. Activity tasks
// wait in per-activity queues until a worker takes one (PollActivity); the
// queues are rebuilt from the histories on Recover. An
// execution started with record.attributes["mockTestCase"] = "<case>" (the
// "<stateMachineArn>#<case>" of Step Functions Local) passes that test case
// to the dispatcher.
//
// Thread-safety: every method may be called from any thread; callbacks run
// on an engine thread.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "common/clock.h"
#include "common/status.h"
#include "engine/asl/model.h"
#include "engine/runtime/map_runs.h"
#include "engine/task/task_dispatch.h"
#include "storage/store.h"

namespace stepline::runtime {

struct EngineOptions {
  std::string region = "us-east-1";
  std::string account = "123456789012";
  // Multiplies every Wait, Retry interval and timeout (Step Functions Local's
  // WAIT_TIME_SCALE). 0 makes them instant, in order.
  double wait_time_scale = 1.0;
  // Runs the work of Task states (integrations::MakeDefaultDispatcher in the
  // server, fakes in tests). Null: every Task fails with States.TaskFailed.
  std::shared_ptr<task::TaskDispatcher> dispatcher;
  // How long GetActivityTask waits for a task before answering empty (AWS: 60 s).
  int64_t activity_poll_millis = 60000;
};

// SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat.
struct TaskAnswer {
  enum class Kind { kSuccess, kFailure, kHeartbeat };
  Kind kind = Kind::kHeartbeat;
  Json output;  // kSuccess: the parsed output
  std::optional<std::string> error;
  std::optional<std::string> cause;
};

// An activity task given to a worker by GetActivityTask.
struct ActivityTask {
  std::string token;
  std::string input;  // JSON text
};

// Outcome of a finished (or stopped) execution, for StartSyncExecution.
struct ExecutionOutcome {
  std::string status;  // SUCCEEDED | FAILED | TIMED_OUT | ABORTED
  std::optional<std::string> output;
  std::optional<std::string> error;
  std::optional<std::string> cause;
  EpochMillis stop_date = 0;
};

class ExecutionEngine {
 public:
  virtual ~ExecutionEngine() = default;

  // Starts a new execution. `record` is complete (arn, names, input, dates,
  // revision) with status RUNNING. The record and its ExecutionStarted event
  // are committed in one batch; `started` runs once that is durable (or with
  // the failure, e.g. kExecutionAlreadyExists on a racing duplicate), then
  // the execution runs. `finished`, if set, runs when it closes.
  virtual void Start(storage::ExecutionRecord record,
                     std::shared_ptr<const asl::StateMachine> machine,
                     std::function<void(Status)> started,
                     std::function<void(const ExecutionOutcome&)> finished = nullptr) = 0;

  // StopExecution: aborts a RUNNING execution (ExecutionAborted). `done` gets
  // the stop date, or kExecutionDoesNotExist when the engine does not run it.
  virtual void Stop(const std::string& execution_arn, std::optional<std::string> error,
                    std::optional<std::string> cause,
                    std::function<void(Result<EpochMillis>)> done) = 0;

  // Answers the task waiting on `token`. `done` gets OK, kInvalidToken (not
  // a token of this engine), kTaskDoesNotExist (its execution is unknown) or
  // kTaskTimedOut (the task is no longer waiting: closed, timed out, stopped).
  virtual void AnswerTask(const std::string& token, TaskAnswer answer,
                          std::function<void(Status)> done) = 0;

  // GetActivityTask: hands the oldest queued task of `activity_arn` to the
  // worker (recording ActivityStarted) or, after activity_poll_millis, nullopt.
  // Holds no thread while waiting.
  virtual void PollActivity(const std::string& activity_arn, const std::string& worker_name,
                            std::function<void(std::optional<ActivityTask>)> done) = 0;

  // RedriveExecution: `record` is a FAILED / ABORTED / TIMED_OUT execution
  // (checked by the caller), `machine` the definition it ran. Its history is
  // replayed, ExecutionRedriven (engine data: `client_token`) appended with
  // the record's new redrive count and date, and the unsuccessful states run
  // again. `done` gets the redrive date once durable, or
  // kExecutionNotRedrivable when the engine runs it already or its history
  // cannot be redriven. The default answers kExecutionNotRedrivable.
  virtual void Redrive(storage::ExecutionRecord record,
                       std::shared_ptr<const asl::StateMachine> machine, std::string client_token,
                       std::function<void(Result<EpochMillis>)> done) {
    (void)machine;
    (void)client_token;
    done(Status(ErrorCode::kExecutionNotRedrivable,
                "Execution cannot be redriven: '" + record.arn + "'"));
  }

  // The map runs of distributed Maps (DescribeMapRun, ListMapRuns); null when
  // the engine keeps none.
  virtual const MapRunRegistry* map_runs() const { return nullptr; }

  // UpdateMapRun: the new limits apply to the run at once (a finished run only
  // records them). `done` gets OK or kResourceNotFound for an unknown run.
  virtual void UpdateMapRun(const std::string& map_run_arn, MapRunUpdate update,
                            std::function<void(Status)> done) {
    (void)update;
    done(Status(ErrorCode::kResourceNotFound, "Resource not found: '" + map_run_arn + "'"));
  }

  // Resumes every RUNNING execution found in the store (call once at startup).
  virtual Status Recover() = 0;

  // Stops timers and drains in-flight commits (shutdown).
  virtual void Shutdown() = 0;
};

}  // namespace stepline::runtime
