// Test harness for the API layer: a real in-memory SQLite store, the real ASL
// parser, a manual clock and a fake engine that records executions through
// the Store and finishes them on command. Calls go straight to Handle.
//
// Thread-safety: one harness per test; Call blocks until the answer arrives.
#pragma once

#include <catch2/catch.hpp>

#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "common/json.h"
#include "engine/runtime/engine.h"
#include "server/api/handler.h"
#include "storage/store.h"

namespace stepline::api::testing {

inline const char* kRole = "arn:aws:iam::123456789012:role/r";
inline const char* kPassDefinition = R"({"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}})";
inline const char* kWaitDefinition =
    R"({"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":5,"End":true}}})";

// Records executions like the engine does (record + ExecutionStarted in one
// batch), then leaves them RUNNING until Finish/Stop.
class FakeEngine final : public runtime::ExecutionEngine {
 public:
  FakeEngine(storage::Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  void Start(storage::ExecutionRecord record, std::shared_ptr<const asl::StateMachine> machine,
             std::function<void(Status)> started,
             std::function<void(const runtime::ExecutionOutcome&)> finished) override {
    REQUIRE(machine != nullptr);
    storage::WriteBatch batch;
    storage::HistoryEvent event;
    event.id = 1;
    event.timestamp = record.start_date;
    event.type = "ExecutionStarted";
    event.details = {{"input", record.input},
                     {"inputDetails", {{"truncated", false}}},
                     {"roleArn", record.role_arn}};
    event.engine = {{"replay", "internal"}};
    batch.append_events.push_back({record.arn, {event}});
    batch.insert_executions.push_back(record);
    // Like the engine, the store decides: a repeated name is refused there.
    Status status = store_.CommitAndWait(std::move(batch));
    if (status.ok()) {
      std::lock_guard<std::mutex> lock(mu_);
      started_.push_back(record);
      if (finished) finished_[record.arn] = std::move(finished);
    }
    started(status);
  }

  void Stop(const std::string& arn, std::optional<std::string> error,
            std::optional<std::string> cause,
            std::function<void(Result<EpochMillis>)> done) override {
    storage::ExecutionUpdate update;
    update.arn = arn;
    update.status = "ABORTED";
    update.error = error;
    update.cause = cause;
    update.stop_date = clock_.NowMillis();
    Status st = Close(update, "ExecutionAborted", Json::object());
    if (!st.ok()) return done(st);
    done(*update.stop_date);
  }

  // Records the answer; every token is a task that no longer waits.
  void AnswerTask(const std::string& token, runtime::TaskAnswer answer,
                  std::function<void(Status)> done) override {
    answers.emplace_back(token, std::move(answer));
    done(
        Status(ErrorCode::kTaskTimedOut, "Task Timed Out: 'Provided task does not exist anymore'"));
  }

  // Answers every poll with `next_activity_task` (then clears it).
  void PollActivity(const std::string& activity_arn, const std::string& worker_name,
                    std::function<void(std::optional<runtime::ActivityTask>)> done) override {
    polls.emplace_back(activity_arn, worker_name);
    std::optional<runtime::ActivityTask> task = std::move(next_activity_task);
    next_activity_task.reset();
    done(std::move(task));
  }

  // Appends ExecutionRedriven (with the token) and marks the record RUNNING
  // with its new redrive count and date, as the engine does.
  void Redrive(storage::ExecutionRecord record, std::shared_ptr<const asl::StateMachine> machine,
               std::string client_token, std::function<void(Result<EpochMillis>)> done) override {
    REQUIRE(machine != nullptr);
    redrives.push_back(record.arn);
    auto events = store_.LoadEvents(record.arn);
    if (!events.ok()) return done(events.status());
    storage::HistoryEvent event;
    event.id = events->back().id + 1;
    event.previous_event_id = events->back().id;
    event.timestamp = clock_.NowMillis();
    event.type = "ExecutionRedriven";
    event.details = {{"redriveCount", record.redrive_count + 1}};
    event.engine = {{"token", client_token}};
    storage::WriteBatch batch;
    batch.append_events.push_back({record.arn, {event}});
    batch.update_executions.push_back({record.arn, "RUNNING", std::nullopt, std::nullopt,
                                       std::nullopt, std::nullopt, record.redrive_count + 1,
                                       event.timestamp});
    Status st = store_.CommitAndWait(std::move(batch));
    if (!st.ok()) return done(st);
    done(event.timestamp);
  }

  std::vector<std::string> redrives;
  std::vector<std::pair<std::string, runtime::TaskAnswer>> answers;
  std::vector<std::pair<std::string, std::string>> polls;
  std::optional<runtime::ActivityTask> next_activity_task;

  // Closes a RUNNING execution as SUCCEEDED with `output`.
  void Succeed(const std::string& arn, const std::string& output) {
    storage::ExecutionUpdate update;
    update.arn = arn;
    update.status = "SUCCEEDED";
    update.output = output;
    update.stop_date = clock_.NowMillis();
    REQUIRE(Close(update, "ExecutionSucceeded",
                  {{"output", output}, {"outputDetails", {{"truncated", false}}}})
                .ok());
  }

  void Fail(const std::string& arn, const std::string& error, const std::string& cause) {
    storage::ExecutionUpdate update;
    update.arn = arn;
    update.status = "FAILED";
    update.error = error;
    update.cause = cause;
    update.stop_date = clock_.NowMillis();
    REQUIRE(Close(update, "ExecutionFailed", {{"error", error}, {"cause", cause}}).ok());
  }

  std::vector<storage::ExecutionRecord> started() {
    std::lock_guard<std::mutex> lock(mu_);
    return started_;
  }

  Status Recover() override { return Status::Ok(); }
  void Shutdown() override {}

 private:
  Status Close(const storage::ExecutionUpdate& update, const std::string& type, Json details) {
    auto events = store_.LoadEvents(update.arn);
    if (!events.ok()) return events.status();
    if (events->empty()) return Status(ErrorCode::kExecutionDoesNotExist, "no such execution");
    storage::HistoryEvent event;
    event.id = events->back().id + 1;
    event.previous_event_id = events->back().id;
    event.timestamp = *update.stop_date;
    event.type = type;
    event.details = std::move(details);
    storage::WriteBatch batch;
    batch.update_executions.push_back(update);
    batch.append_events.push_back({update.arn, {event}});
    Status st = store_.CommitAndWait(std::move(batch));
    if (st.ok()) Notify(update);
    return st;
  }

  void Notify(const storage::ExecutionUpdate& update) {
    std::function<void(const runtime::ExecutionOutcome&)> finished;
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = finished_.find(update.arn);
      if (it == finished_.end()) return;
      finished = std::move(it->second);
      finished_.erase(it);
    }
    runtime::ExecutionOutcome outcome;
    outcome.status = update.status;
    outcome.output = update.output;
    outcome.error = update.error;
    outcome.cause = update.cause;
    outcome.stop_date = update.stop_date.value_or(0);
    finished(outcome);
  }

  storage::Store& store_;
  const Clock& clock_;
  std::mutex mu_;
  std::vector<storage::ExecutionRecord> started_;
  std::map<std::string, std::function<void(const runtime::ExecutionOutcome&)>> finished_;
};

struct Answer {
  int status = 0;
  Json body;
  std::string type;  // error_type

  std::string message() const { return body.value("message", ""); }
};

class Harness {
 public:
  // `dispatcher`: what TestState calls for an unmocked Task (none by default).
  explicit Harness(std::shared_ptr<task::TaskDispatcher> dispatcher = nullptr) {
    auto store = storage::OpenSqliteStore({":memory:"});
    INFO(store.status().ToString());
    REQUIRE(store.ok());
    store_ = std::move(store).value();
    engine_ = std::make_unique<FakeEngine>(*store_, clock_);
    ApiDeps deps;
    deps.store = store_.get();
    deps.engine = engine_.get();
    deps.clock = &clock_;
    deps.region = "us-east-1";
    deps.account = "123456789012";
    deps.dispatcher = std::move(dispatcher);
    handler_ = MakeApiHandler(deps);
  }
  ~Harness() { store_->Close(); }

  // Sends a request; the future is ready once the handler answers.
  std::future<ApiResponse> Send(const std::string& target, const std::string& body) {
    auto promise = std::make_shared<std::promise<ApiResponse>>();
    auto future = promise->get_future();
    handler_->Handle({target, body, "req-1", "us-east-1"},
                     [promise](ApiResponse response) { promise->set_value(std::move(response)); });
    return future;
  }

  Answer CallRaw(const std::string& target, const std::string& body) {
    return ToAnswer(Send(target, body).get());
  }

  static Answer ToAnswer(ApiResponse response) {
    Answer answer;
    answer.status = response.http_status;
    answer.body = Json::parse(response.body);
    answer.type = response.error_type;
    if (response.http_status >= 400) {
      REQUIRE(answer.body.value("__type", "") == response.error_type);
    }
    return answer;
  }

  Answer Call(const std::string& action, const Json& body) {
    return CallRaw("AWSStepFunctions." + action, DumpJson(body));
  }

  // Calls and requires success.
  Json Ok(const std::string& action, const Json& body) {
    Answer answer = Call(action, body);
    INFO(action << " -> " << answer.body.dump());
    REQUIRE(answer.status == 200);
    return answer.body;
  }

  std::string CreateMachine(const std::string& name,
                            const std::string& definition = kPassDefinition,
                            const std::string& type = "STANDARD") {
    return Ok("CreateStateMachine", {{"name", name},
                                     {"definition", definition},
                                     {"roleArn", kRole},
                                     {"type", type}})["stateMachineArn"];
  }

  std::string Start(const std::string& machine_arn, const std::string& name,
                    const std::string& input = "{}") {
    return Ok("StartExecution",
              {{"stateMachineArn", machine_arn}, {"name", name}, {"input", input}})["executionArn"];
  }

  ManualClock& clock() { return clock_; }
  FakeEngine& engine() { return *engine_; }
  storage::Store& store() { return *store_; }

 private:
  ManualClock clock_{1700000000123};
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<FakeEngine> engine_;
  std::unique_ptr<ApiHandler> handler_;
};

inline std::string SmArn(const std::string& name) {
  return "arn:aws:states:us-east-1:123456789012:stateMachine:" + name;
}
inline std::string ExecArn(const std::string& sm, const std::string& name) {
  return "arn:aws:states:us-east-1:123456789012:execution:" + sm + ":" + name;
}

}  // namespace stepline::api::testing
