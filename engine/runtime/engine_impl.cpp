#include "engine/runtime/engine_impl.h"

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>
#include <unordered_map>

#include "common/limits.h"
#include "engine/asl/parser.h"
#include "engine/runtime/activity_queue.h"
#include "engine/runtime/execution.h"
#include "engine/runtime/task_token.h"

namespace stepline::runtime {
namespace {

// How long (in 1 ms waits) a redrive waits for an execution that has just
// closed to leave the registry.
constexpr int kMaxClosingWaits = 5000;

class Engine final : public ExecutionEngine {
 public:
  Engine(net::io_context& io, storage::Store& store, const Clock& clock, EngineOptions options)
      : io_(io),
        store_(store),
        clock_(clock),
        options_(std::move(options)),
        registry_(net::make_strand(io)),
        activities_(
            registry_, std::chrono::milliseconds(options_.activity_poll_millis),
            [this](const ActivityWork& work, const std::string& worker,
                   ActivityQueue::Taken taken) { Deliver(work, worker, std::move(taken)); }),
        map_runs_(&store),
        services_(MakeServices()) {}

  void Start(storage::ExecutionRecord record, std::shared_ptr<const asl::StateMachine> machine,
             std::function<void(Status)> started,
             std::function<void(const ExecutionOutcome&)> finished) override {
    auto execution = std::make_shared<Execution>(Services(), std::move(record), std::move(machine));
    net::post(registry_, [this, execution, started = std::move(started),
                          finished = std::move(finished)]() mutable {
      if (running_.count(execution->arn())) {
        started(Status(ErrorCode::kExecutionAlreadyExists,
                       "Execution Already Exists: '" + execution->arn() + "'"));
        return;
      }
      Register(execution);
      net::post(execution->strand(), [execution, started = std::move(started),
                                      finished = std::move(finished)]() mutable {
        execution->Begin(std::move(started), std::move(finished));
      });
    });
  }

  void Stop(const std::string& execution_arn, std::optional<std::string> error,
            std::optional<std::string> cause,
            std::function<void(Result<EpochMillis>)> done) override {
    net::post(registry_, [this, execution_arn, error = std::move(error), cause = std::move(cause),
                          done = std::move(done)]() mutable {
      auto it = running_.find(execution_arn);
      if (it == running_.end()) {
        StopOrphan(execution_arn, std::move(error), std::move(cause), std::move(done));
        return;
      }
      auto execution = it->second;
      net::post(execution->strand(), [execution, error = std::move(error), cause = std::move(cause),
                                      done = std::move(done)]() mutable {
        execution->Stop(std::move(error), std::move(cause), std::move(done));
      });
    });
  }

  void AnswerTask(const std::string& token, TaskAnswer answer,
                  std::function<void(Status)> done) override {
    std::optional<TokenTarget> target = ParseTaskToken(token);
    if (!target) return done(Status(ErrorCode::kInvalidToken, "Invalid Token: 'Invalid token'"));
    net::post(registry_, [this, token, arn = target->execution_arn, answer = std::move(answer),
                          done = std::move(done)]() mutable {
      auto it = running_.find(arn);
      if (it == running_.end()) return done(ClosedTaskStatus(arn));
      auto execution = it->second;
      net::post(execution->strand(),
                [execution, token, answer = std::move(answer), done = std::move(done)]() mutable {
                  done(execution->AnswerTask(token, std::move(answer)));
                });
    });
  }

  void PollActivity(const std::string& activity_arn, const std::string& worker_name,
                    std::function<void(std::optional<ActivityTask>)> done) override {
    net::post(registry_, [this, activity_arn, worker_name, done = std::move(done)]() mutable {
      activities_.Poll(activity_arn, worker_name, std::move(done));
    });
  }

  void Redrive(storage::ExecutionRecord record, std::shared_ptr<const asl::StateMachine> machine,
               std::string client_token, std::function<void(Result<EpochMillis>)> done) override {
    auto request = std::make_shared<RedriveRequest>(RedriveRequest{
        std::move(record), std::move(machine), std::move(client_token), std::move(done), false});
    net::post(registry_, [this, request] { RedriveOnRegistry(request); });
  }

  Status Recover() override {
    auto running = store_.ListRunningExecutions();
    if (!running.ok()) return running.status();
    size_t resumed = 0;
    for (storage::ExecutionRecord& record : *running) {
      if (ResumeOne(std::move(record))) ++resumed;
    }
    if (!running->empty()) {
      spdlog::info("resumed {} of {} running execution(s)", resumed, running->size());
    }
    return Status::Ok();
  }

  // Drains in-flight commits: the store runs callbacks in submission order,
  // so once an empty batch completes, every earlier Flush callback has
  // posted its continuation (and its execution reference) to a strand of
  // io_, which outlives the engine. After Close this returns at once.
  void Shutdown() override { (void)store_.CommitAndWait(storage::WriteBatch()); }

  ~Engine() override { Shutdown(); }

  const MapRunRegistry* map_runs() const override { return &map_runs_; }

  void UpdateMapRun(const std::string& map_run_arn, MapRunUpdate update,
                    std::function<void(Status)> done) override {
    std::optional<MapRunInfo> run = map_runs_.Get(map_run_arn);
    if (!run) {
      return done(Status(ErrorCode::kResourceNotFound, "Resource not found: '" + map_run_arn + "'")
                      .WithDetail(map_run_arn));
    }
    net::post(registry_, [this, map_run_arn, exec = run->execution_arn, update,
                          done = std::move(done)]() mutable {
      auto it = running_.find(exec);
      if (it == running_.end()) {
        RecordUpdate(map_run_arn, update);
        return done(Status::Ok());
      }
      std::shared_ptr<Execution> execution = it->second;
      net::post(execution->strand(),
                [this, execution, map_run_arn, update, done = std::move(done)]() mutable {
                  Status st = execution->UpdateMapRun(map_run_arn, update);
                  if (st.code() == ErrorCode::kResourceNotFound) {  // the run has just ended
                    RecordUpdate(map_run_arn, update);
                    st = Status::Ok();
                  }
                  done(st);
                });
    });
  }

 private:
  struct RedriveRequest {
    storage::ExecutionRecord record;
    std::shared_ptr<const asl::StateMachine> machine;
    std::string token;
    std::function<void(Result<EpochMillis>)> done;
    int waits = 0;  // times it found the execution closing, still registered
  };

  // Runs on registry_. An execution that just closed (the caller read its
  // closed record) may still be registered: the store's callback has yet to
  // reach its strand and send on_closed here. While the registered execution
  // says it has closed, the request waits a millisecond and looks again (for
  // at most kMaxClosingWaits of them).
  void RedriveOnRegistry(std::shared_ptr<RedriveRequest> request) {
    auto it = running_.find(request->record.arn);
    if (it != running_.end()) {
      std::shared_ptr<Execution> registered = it->second;
      net::post(registered->strand(), [this, request, registered] {
        bool closing = registered->closed();
        net::post(registry_, [this, request, closing] {
          if (closing && ++request->waits <= kMaxClosingWaits) {
            auto timer =
                std::make_shared<net::steady_timer>(registry_, std::chrono::milliseconds(1));
            timer->async_wait([this, request, timer](auto) { RedriveOnRegistry(request); });
            return;
          }
          request->done(Status(ErrorCode::kExecutionNotRedrivable,
                               "Execution is RUNNING and cannot be redriven"));
        });
      });
      return;
    }
    if (running_.size() >= limits::kMaxOpenExecutions) {
      return request->done(
          Status(ErrorCode::kExecutionLimitExceeded,
                 "The maximum number of running executions has been reached. Running executions "
                 "must end or be stopped before a new execution can be started."));
    }
    // Read here, on the registry: a redrive that just closed is durable.
    auto events = store_.LoadEvents(request->record.arn);
    if (!events.ok()) return request->done(events.status());
    request->record.status = "RUNNING";
    auto execution =
        std::make_shared<Execution>(Services(), std::move(request->record), request->machine);
    Register(execution);
    net::post(execution->strand(), [execution, request,
                                    events = std::move(events).value()]() mutable {
      execution->Redrive(std::move(events), std::move(request->token), std::move(request->done));
    });
  }

  // Rebuilds one execution from its stored history and lets it continue.
  bool ResumeOne(storage::ExecutionRecord record) {
    auto revision = store_.GetRevision(record.state_machine_arn, record.revision_id);
    if (!revision.ok() || !*revision) {
      spdlog::error("{}: cannot resume: revision {} of its state machine is missing", record.arn,
                    record.revision_id);
      return false;
    }
    auto machine =
        asl::ParseDefinition((*revision)->definition, asl::ParseOptions{record.type == "EXPRESS"});
    auto events = store_.LoadEvents(record.arn);
    if (!machine.ok() || !events.ok() || events->empty()) {
      spdlog::error("{}: cannot resume: {}", record.arn,
                    !machine.ok() ? machine.status().ToString() : "no history");
      return false;
    }
    auto execution = std::make_shared<Execution>(Services(), std::move(record), *machine);
    Register(execution);
    net::post(execution->strand(), [execution, events = std::move(events).value()]() mutable {
      execution->Resume(std::move(events), nullptr);
    });
    return true;
  }

  void RecordUpdate(const std::string& map_run_arn, const MapRunUpdate& update) {
    map_runs_.Update(map_run_arn, [&](MapRunInfo& info) {
      if (update.max_concurrency) info.max_concurrency = *update.max_concurrency;
      if (update.tolerated_failure_count) {
        info.tolerated_failure_count = *update.tolerated_failure_count;
      }
      if (update.tolerated_failure_percentage) {
        info.tolerated_failure_percentage = *update.tolerated_failure_percentage;
      }
    });
  }

  // One for all executions (they hold a reference, not a copy).
  std::shared_ptr<const ExecutionServices> MakeServices() {
    auto services = std::make_shared<ExecutionServices>(
        ExecutionServices{&io_, &store_, &clock_, options_, nullptr, nullptr});
    services->map_runs = &map_runs_;
    services->on_closed = [this](const std::string& arn) {
      net::post(registry_, [this, arn] { running_.erase(arn); });
    };
    services->queue_activity = [this](ActivityWork work) {
      net::post(registry_,
                [this, work = std::move(work)]() mutable { activities_.Push(std::move(work)); });
    };
    return services;
  }
  const std::shared_ptr<const ExecutionServices>& Services() const { return services_; }

  // Runs on registry_, for an ARN not registered yet. The key views the
  // execution's own ARN, which lives (unchanged) as long as the entry.
  void Register(const std::shared_ptr<Execution>& execution) {
    running_.emplace(execution->arn(), execution);
  }

  // A task token whose execution the engine does not run: its task has
  // closed (TaskTimedOut, as AWS answers) unless the execution is unknown.
  Status ClosedTaskStatus(const std::string& arn) {
    auto record = store_.GetExecution(arn);
    if (record.ok() && !*record) {
      return Status(ErrorCode::kTaskDoesNotExist,
                    "Task Does Not Exist: 'Provided task does not exist'");
    }
    return Status(ErrorCode::kTaskTimedOut,
                  "Task Timed Out: 'Provided task does not exist anymore'");
  }

  // Runs on registry_ (ActivityQueue): asks the execution to record ActivityStarted.
  void Deliver(const ActivityWork& work, const std::string& worker, ActivityQueue::Taken taken) {
    auto it = running_.find(work.execution_arn);
    if (it == running_.end()) return taken(false);
    auto execution = it->second;
    net::post(execution->strand(),
              [execution, token = work.token, worker, taken = std::move(taken)]() mutable {
                execution->TakeActivity(token, worker, std::move(taken));
              });
  }

  // A RUNNING execution the engine does not run (left over from a previous
  // process): abort it directly in the store, continuing its history.
  void StopOrphan(const std::string& arn, std::optional<std::string> error,
                  std::optional<std::string> cause, std::function<void(Result<EpochMillis>)> done) {
    auto record = store_.GetExecution(arn);
    if (!record.ok()) return done(record.status());
    if (!*record || (*record)->status != "RUNNING") {
      return done(
          Status(ErrorCode::kExecutionDoesNotExist, "Execution Does Not Exist: '" + arn + "'"));
    }
    auto events = store_.LoadEvents(arn);
    if (!events.ok()) return done(events.status());
    storage::HistoryEvent aborted;
    aborted.id = static_cast<int64_t>(events->size()) + 1;
    aborted.previous_event_id = events->empty() ? 0 : events->back().id;
    aborted.timestamp = clock_.NowMillis();
    aborted.type = "ExecutionAborted";
    aborted.details = Json::object();
    if (error) aborted.details["error"] = *error;
    if (cause) aborted.details["cause"] = *cause;
    storage::WriteBatch batch;
    batch.append_events.push_back({arn, {aborted}});
    batch.update_executions.push_back({arn, "ABORTED", std::nullopt, error, cause,
                                       aborted.timestamp, std::nullopt, std::nullopt});
    EpochMillis stopped = aborted.timestamp;
    // Answers on the registry strand, not on the store's writer thread.
    store_.Commit(std::move(batch),
                  [registry = registry_, done = std::move(done), stopped](Status st) mutable {
                    net::post(registry, [done = std::move(done), stopped, st]() {
                      if (!st.ok()) return done(st);
                      done(stopped);
                    });
                  });
  }

  net::io_context& io_;
  storage::Store& store_;
  const Clock& clock_;
  EngineOptions options_;
  Strand registry_;
  // RUNNING executions by ARN (keys view Execution::arn()); confined to registry_.
  std::unordered_map<std::string_view, std::shared_ptr<Execution>> running_;
  ActivityQueue activities_;  // confined to registry_
  MapRunRegistry map_runs_;
  std::shared_ptr<const ExecutionServices> services_;
};

}  // namespace

std::unique_ptr<ExecutionEngine> MakeEngine(net::io_context& io, storage::Store& store,
                                            const Clock& clock, EngineOptions options) {
  return std::make_unique<Engine>(io, store, clock, std::move(options));
}

}  // namespace stepline::runtime
