// Test support for Task states: a fake TaskDispatcher, an engine harness on
// its own io_context (run on the test thread), and stores for Recover().
//
// Thread-safety: FakeDispatcher is thread-safe; Harness runs on the test thread.
#pragma once

#include <utility>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <mutex>
#include <thread>

#include "common/ids.h"
#include "engine/asl/parser.h"
#include "engine/runtime/engine_impl.h"
#include "storage/store.h"

namespace net = boost::asio;
using namespace stepline;
using task::TaskOutcome;
using task::TaskRequest;

namespace {

// Answers with `answer(request, attempt)`, or keeps the callback when it
// returns nullopt (the task stays in flight). Thread-safe.
class FakeDispatcher : public task::TaskDispatcher {
 public:
  using Answer = std::function<std::optional<TaskOutcome>(const TaskRequest&, int call)>;
  explicit FakeDispatcher(Answer answer) : answer_(std::move(answer)) {}

  void Dispatch(TaskRequest request, std::function<void(TaskOutcome)> done) override {
    std::optional<TaskOutcome> outcome;
    {
      std::lock_guard<std::mutex> lock(mu_);
      requests_.push_back(request);
      outcome = answer_(request, static_cast<int>(requests_.size()) - 1);
      if (!outcome) held_.push_back(done);
    }
    if (outcome) done(std::move(*outcome));
  }

  std::vector<TaskRequest> requests() {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }
  std::vector<std::function<void(TaskOutcome)>> held() {
    std::lock_guard<std::mutex> lock(mu_);
    return held_;
  }

 private:
  std::mutex mu_;
  Answer answer_;
  std::vector<TaskRequest> requests_;
  std::vector<std::function<void(TaskOutcome)>> held_;
};

inline TaskOutcome Ok(Json result) {
  TaskOutcome o;
  o.ok = true;
  o.result = std::move(result);
  return o;
}

inline TaskOutcome Err(std::string error, std::optional<std::string> cause) {
  TaskOutcome o;
  o.error = {std::move(error), std::move(cause), std::nullopt};
  return o;
}

const char* kSmArn = "arn:aws:states:us-east-1:123456789012:stateMachine:tasks";

inline storage::ExecutionRecord NewRecord(const std::string& input) {
  storage::ExecutionRecord record;
  record.name = NewUuid();
  record.state_machine_arn = kSmArn;
  record.arn = "arn:aws:states:us-east-1:123456789012:execution:tasks:" + record.name;
  record.input = input;
  record.role_arn = "arn:aws:iam::123456789012:role/r";
  record.revision_id = "rev-1";
  record.start_date = SystemClock::Instance()->NowMillis();
  return record;
}

class Harness {
 public:
  Harness(std::shared_ptr<task::TaskDispatcher> dispatcher, double scale = 0.0,
          storage::Store* store = nullptr, int64_t activity_poll_millis = 60000) {
    if (!store) {
      owned_ = std::move(storage::OpenSqliteStore({":memory:"})).value();
      store = owned_.get();
    }
    store_ = store;
    runtime::EngineOptions options;
    options.wait_time_scale = scale;
    options.dispatcher = std::move(dispatcher);
    options.activity_poll_millis = activity_poll_millis;
    engine_ = runtime::MakeEngine(io_, *store_, *SystemClock::Instance(), options);
  }
  ~Harness() {
    if (owned_) owned_->Close();
  }

  std::string StartOnly(const std::string& definition, storage::ExecutionRecord record,
                        std::function<void(const runtime::ExecutionOutcome&)> finished) {
    auto machine = asl::ParseDefinition(definition);
    REQUIRE(machine.ok());
    arn_ = record.arn;
    engine_->Start(
        std::move(record), *machine, [](Status st) { REQUIRE(st.ok()); }, std::move(finished));
    return arn_;
  }

  runtime::ExecutionOutcome Run(const std::string& definition, const std::string& input = "{}",
                                storage::ExecutionRecord record = NewRecord("{}")) {
    record.input = input;
    std::optional<runtime::ExecutionOutcome> outcome;
    StartOnly(definition, std::move(record), [&](const auto& o) { outcome = o; });
    RunUntil([&] { return outcome.has_value(); });
    return *outcome;
  }

  void RunUntil(const std::function<bool()>& done) {
    while (!done()) io_.run_one();
  }
  // Runs what is ready without blocking.
  void Poll() { io_.poll(); }

  std::vector<storage::HistoryEvent> History() { return store_->LoadEvents(arn_).value(); }
  size_t Stored() {
    auto events = store_->LoadEvents(arn_);
    return events.ok() ? events->size() : 0;
  }

  // "id:prev:type" lines, the shape the recorded AWS histories pin down.
  std::vector<std::string> Shape() {
    std::vector<std::string> out;
    for (const auto& e : History()) {
      out.push_back(std::to_string(e.id) + ":" + std::to_string(e.previous_event_id) + ":" +
                    e.type);
    }
    return out;
  }

  runtime::ExecutionEngine& engine() { return *engine_; }
  storage::Store& store() { return *store_; }
  const std::string& arn() const { return arn_; }  // of the last execution started

 private:
  net::io_context io_;
  // Keeps io_ from stopping while a Task waits with nothing else queued.
  net::executor_work_guard<net::io_context::executor_type> work_ = net::make_work_guard(io_);
  std::unique_ptr<storage::Store> owned_;
  storage::Store* store_ = nullptr;
  std::unique_ptr<runtime::ExecutionEngine> engine_;
  std::string arn_;
};

inline Json Out(const runtime::ExecutionOutcome& o) { return Json::parse(o.output.value()); }

inline Json Detail(const storage::HistoryEvent& e, const char* key) {
  return Json::parse(e.details.at(key).get<std::string>());
}

using Lines = std::vector<std::string>;

// A store holding the state machine of `definition`, for Recover().
inline std::unique_ptr<storage::Store> StoreWith(const std::string& definition) {
  auto store = std::move(storage::OpenSqliteStore({":memory:"})).value();
  storage::StateMachineRecord sm;
  sm.arn = kSmArn;
  sm.name = "tasks";
  sm.definition = definition;
  sm.revision_id = "rev-1";
  storage::WriteBatch setup;
  setup.put_state_machines.push_back(sm);
  setup.put_revisions.push_back({sm.arn, "rev-1", definition, "arn:aws:iam::1:role/r", 0, {}});
  REQUIRE(store->CommitAndWait(std::move(setup)).ok());
  return store;
}

}  // namespace
