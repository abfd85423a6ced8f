// RedriveExecution in the interpreter: what re-runs (the failed state, the
// unsuccessful Map iterations and Parallel branches), the history it appends,
// $$.Execution.RedriveCount, stops and timeouts, and a restart after a redrive.
#include <map>
#include <set>
#include <utility>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include "engine/asl/parser.h"
#include "engine/runtime/engine_impl.h"
#include "storage/store.h"
#include "tests/engine/runtime/task_harness.h"

namespace {

const char* kFn = "arn:aws:lambda:us-east-1:123456789012:function:fn";

std::string WithFn(std::string definition) {
  for (size_t at = definition.find("FN"); at != std::string::npos; at = definition.find("FN")) {
    definition.replace(at, 2, kFn);
  }
  return definition;
}

storage::ExecutionRecord Stored(storage::Store& store, const std::string& arn) {
  auto record = store.GetExecution(arn).value();
  REQUIRE(record.has_value());
  return *record;
}

// Redrives `arn` and waits for the engine's answer (the redrive is durable).
Result<EpochMillis> Redrive(Harness& h, const std::string& arn, const std::string& definition) {
  std::optional<Result<EpochMillis>> done;
  h.engine().Redrive(Stored(h.store(), arn), asl::ParseDefinition(definition).value(), "tok",
                     [&](Result<EpochMillis> r) { done = std::move(r); });
  h.RunUntil([&] { return done.has_value(); });
  return std::move(*done);
}

void RunUntilClosed(Harness& h, const std::string& arn) {
  h.RunUntil([&] { return Stored(h.store(), arn).status != "RUNNING"; });
}

std::vector<std::string> Types(const std::vector<storage::HistoryEvent>& events, size_t from) {
  std::vector<std::string> out;
  for (size_t i = from; i < events.size(); ++i) out.push_back(events[i].type);
  return out;
}

// Fails the first dispatch of each item in `failing`, answers the rest with the item.
std::shared_ptr<FakeDispatcher> FailOnceFor(std::set<int> failing) {
  auto seen = std::make_shared<std::set<int>>();
  return std::make_shared<FakeDispatcher>([failing, seen](const TaskRequest& r, int) {
    int item = r.parameters.value("item", 0);
    if (failing.count(item) && seen->insert(item).second) {
      return std::optional<TaskOutcome>(Err("Boom", std::string("item failed")));
    }
    return std::optional<TaskOutcome>(Ok(item * 10));
  });
}

// A distributed Map running a Task per item ({"item": n}), one at a time.
const char* kDistributedOneAtATime = R"({"StartAt":"M","States":{
    "M":{"Type":"Map","MaxConcurrency":1,"ItemSelector":{"item.$":"$$.Map.Item.Value"},
         "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},
           "StartAt":"T","States":{"T":{"Type":"Task","Resource":"FN","End":true}}},
         "End":true}}})";

}  // namespace

TEST_CASE("a redrive re-runs the failed Task, not the states before it, and keeps the history") {
  auto fake = std::make_shared<FakeDispatcher>([](const TaskRequest& r, int call) {
    if (call == 0) return std::optional<TaskOutcome>(Err("Boom", std::string("first try")));
    return std::optional<TaskOutcome>(Ok({{"rc", r.parameters["rc"]}}));
  });
  Harness h(fake);
  std::string def = WithFn(R"({"StartAt":"A","States":{
      "A":{"Type":"Pass","Result":{"a":1},"Next":"T"},
      "T":{"Type":"Task","Resource":"FN","Parameters":{"rc.$":"$$.Execution.RedriveCount"},
           "Next":"B"},
      "B":{"Type":"Pass","End":true}}})");
  REQUIRE(h.Run(def).status == "FAILED");
  std::string arn = h.arn();
  auto before = h.History();
  REQUIRE(before.back().type == "ExecutionFailed");

  auto date = Redrive(h, arn, def);
  REQUIRE(date.ok());
  RunUntilClosed(h, arn);
  auto rec = Stored(h.store(), arn);
  CHECK(rec.status == "SUCCEEDED");
  CHECK(Json::parse(*rec.output) == Json::parse(R"({"rc":1})"));
  CHECK(rec.redrive_count == 1);
  CHECK(rec.redrive_date == *date);
  CHECK_FALSE(rec.error.has_value());

  auto events = h.History();
  for (size_t i = 0; i < before.size(); ++i) CHECK(events[i].type == before[i].type);
  const auto& redriven = events[before.size()];
  CHECK(redriven.type == "ExecutionRedriven");
  CHECK(redriven.details == Json::parse(R"({"redriveCount":1})"));
  CHECK(redriven.previous_event_id == before.back().id);
  CHECK(redriven.timestamp == *date);
  CHECK(events[before.size() + 1].type == "TaskStateEntered");
  CHECK(events[before.size() + 1].previous_event_id == redriven.id);
  CHECK(Types(events, before.size() + 1) ==
        std::vector<std::string>{"TaskStateEntered", "LambdaFunctionScheduled",
                                 "LambdaFunctionStarted", "LambdaFunctionSucceeded",
                                 "TaskStateExited", "PassStateEntered", "PassStateExited",
                                 "ExecutionSucceeded"});
  // The Task ran twice (once per attempt); A's Pass did not run again, and the
  // Task's input is the one it had (Result of A).
  auto requests = fake->requests();
  REQUIRE(requests.size() == 2);
  CHECK(requests[0].parameters["rc"] == 0);
  CHECK(requests[1].parameters["rc"] == 1);
}

TEST_CASE("a redriven Map re-runs only its unsuccessful iterations") {
  auto fake = FailOnceFor({2});
  Harness h(fake);
  std::string def = WithFn(R"({"StartAt":"M","States":{
      "M":{"Type":"Map","MaxConcurrency":1,"ItemSelector":{"item.$":"$$.Map.Item.Value"},
           "ItemProcessor":{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"FN","End":true}}},
           "End":true}}})");
  REQUIRE(h.Run(def, "[1,2,3]").status == "FAILED");
  std::string arn = h.arn();
  size_t before = h.History().size();
  REQUIRE(fake->requests().size() == 2);  // item 3 never started (MaxConcurrency 1)

  REQUIRE(Redrive(h, arn, def).ok());
  RunUntilClosed(h, arn);
  auto rec = Stored(h.store(), arn);
  REQUIRE(rec.status == "SUCCEEDED");
  CHECK(Json::parse(*rec.output) == Json::parse("[10,20,30]"));
  auto requests = fake->requests();
  REQUIRE(requests.size() == 4);
  CHECK(requests[2].parameters["item"] == 2);
  CHECK(requests[3].parameters["item"] == 3);
  auto tail = Types(h.History(), before);
  REQUIRE(tail.size() > 3);
  CHECK(tail[0] == "ExecutionRedriven");
  CHECK(tail[1] == "MapIterationStarted");
  CHECK(tail[2] == "TaskStateEntered");
  CHECK(tail.back() == "ExecutionSucceeded");
}

TEST_CASE("a redriven Parallel re-runs the failed branch and keeps the other's output") {
  auto fake = FailOnceFor({2});
  Harness h(fake);
  std::string def = WithFn(R"({"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,
      "Branches":[
        {"StartAt":"T1","States":{"T1":{"Type":"Task","Resource":"FN","Parameters":{"item":1},"End":true}}},
        {"StartAt":"T2","States":{"T2":{"Type":"Task","Resource":"FN","Parameters":{"item":2},"End":true}}}]}}})");
  REQUIRE(h.Run(def).status == "FAILED");
  std::string arn = h.arn();
  size_t calls = fake->requests().size();
  REQUIRE(Redrive(h, arn, def).ok());
  RunUntilClosed(h, arn);
  auto rec = Stored(h.store(), arn);
  REQUIRE(rec.status == "SUCCEEDED");
  CHECK(Json::parse(*rec.output) == Json::parse("[10,20]"));
  // Branch 1 had succeeded (or was aborted and re-ran): item 2 ran again once.
  auto requests = fake->requests();
  int item2 = 0;
  for (size_t i = calls; i < requests.size(); ++i) item2 += requests[i].parameters["item"] == 2;
  CHECK(item2 == 1);
}

TEST_CASE("a stopped execution is redriven from the state it was stopped in") {
  Harness h(nullptr, 1.0);
  std::string def = R"({"StartAt":"A","States":{
      "A":{"Type":"Pass","Next":"W"},
      "W":{"Type":"Wait","Seconds":3600,"Next":"B"},
      "B":{"Type":"Pass","Result":"done","End":true}}})";
  std::optional<runtime::ExecutionOutcome> outcome;
  std::string arn = h.StartOnly(def, NewRecord("{}"), [&](const auto& o) { outcome = o; });
  h.RunUntil([&] { return h.Stored() >= 4; });
  std::optional<Result<EpochMillis>> stopped;
  h.engine().Stop(arn, std::nullopt, std::nullopt, [&](auto r) { stopped = std::move(r); });
  h.RunUntil([&] { return stopped.has_value() && outcome.has_value(); });
  REQUIRE(outcome->status == "ABORTED");
  size_t before = h.History().size();

  REQUIRE(Redrive(h, arn, def).ok());
  auto events = h.History();
  REQUIRE(events.size() >= before + 2);
  CHECK(events[before].type == "ExecutionRedriven");
  CHECK(events[before + 1].type == "WaitStateEntered");
  CHECK(Stored(h.store(), arn).status == "RUNNING");
  CHECK_FALSE(Stored(h.store(), arn).stop_date.has_value());
  // A second redrive while it runs is refused.
  auto again = Redrive(h, arn, def);
  CHECK(again.status().code() == ErrorCode::kExecutionNotRedrivable);
  std::optional<Result<EpochMillis>> stop2;
  h.engine().Stop(arn, std::nullopt, std::nullopt, [&](auto r) { stop2 = std::move(r); });
  h.RunUntil([&] { return stop2.has_value(); });
  RunUntilClosed(h, arn);
  CHECK(Stored(h.store(), arn).status == "ABORTED");
}

TEST_CASE("a timed-out execution is redriven, and a succeeded one cannot be") {
  Harness h(nullptr, 0.001);
  std::string def = R"({"TimeoutSeconds":1,"StartAt":"W","States":{
      "W":{"Type":"Wait","Seconds":100000,"End":true}}})";
  REQUIRE(h.Run(def).status == "TIMED_OUT");
  std::string arn = h.arn();
  size_t before = h.History().size();
  REQUIRE(Redrive(h, arn, def).ok());
  RunUntilClosed(h, arn);  // the timeout counts again from the redrive
  auto events = h.History();
  CHECK(Types(events, before) ==
        std::vector<std::string>{"ExecutionRedriven", "WaitStateEntered", "ExecutionTimedOut"});
  CHECK(Stored(h.store(), arn).redrive_count == 1);

  std::string pass = R"({"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}})";
  REQUIRE(h.Run(pass).status == "SUCCEEDED");
  auto refused = Redrive(h, h.arn(), pass);
  CHECK(refused.status().code() == ErrorCode::kExecutionNotRedrivable);
  CHECK(Stored(h.store(), h.arn()).status == "SUCCEEDED");
}

TEST_CASE("a restart after a redrive resumes the redriven execution from its history") {
  std::string def = WithFn(R"({"StartAt":"A","States":{
      "A":{"Type":"Pass","Next":"T"},
      "T":{"Type":"Task","Resource":"FN","Parameters":{"rc.$":"$$.Execution.RedriveCount"},
           "End":true}}})");
  auto store = StoreWith(def);
  std::string arn;
  size_t redriven_at = 0;
  {
    // First process: the Task fails, the redrive starts it again and the
    // answer never comes ("crash" with the task in flight).
    auto fake = std::make_shared<FakeDispatcher>([](const TaskRequest&, int call) {
      if (call == 0) return std::optional<TaskOutcome>(Err("Boom", std::nullopt));
      return std::optional<TaskOutcome>();
    });
    Harness h(fake, 0.0, store.get());
    REQUIRE(h.Run(def).status == "FAILED");
    arn = h.arn();
    redriven_at = h.History().size();
    REQUIRE(Redrive(h, arn, def).ok());
    h.RunUntil([&] { return fake->requests().size() == 2; });
    h.RunUntil([&] { return h.History().back().type == "LambdaFunctionStarted"; });
  }
  auto fake = std::make_shared<FakeDispatcher>(
      [](const TaskRequest& r, int) { return std::optional<TaskOutcome>(Ok(r.parameters)); });
  net::io_context io;
  runtime::EngineOptions options;
  options.dispatcher = fake;
  auto engine = runtime::MakeEngine(io, *store, *SystemClock::Instance(), options);
  REQUIRE(engine->Recover().ok());
  auto guard = net::make_work_guard(io);
  while (store->GetExecution(arn).value()->status == "RUNNING") io.run_one();
  auto rec = store->GetExecution(arn).value();
  REQUIRE(rec->status == "SUCCEEDED");
  CHECK(Json::parse(*rec->output) == Json::parse(R"({"rc":1})"));
  auto events = store->LoadEvents(arn).value();
  for (size_t i = 0; i < events.size(); ++i) CHECK(events[i].id == static_cast<int64_t>(i + 1));
  int redrives = 0;
  for (const auto& e : events) redrives += e.type == "ExecutionRedriven";
  CHECK(redrives == 1);
  CHECK(events[redriven_at].type == "ExecutionRedriven");
  CHECK(events.back().type == "ExecutionSucceeded");
  store->Close();
}

TEST_CASE("a Map stopped mid-iteration replays its aborts and re-runs the aborted iterations") {
  Harness h(nullptr, 1.0);
  std::string def = R"({"StartAt":"M","States":{"M":{"Type":"Map","End":true,
      "ItemProcessor":{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"End":true}}}}}})";
  std::optional<runtime::ExecutionOutcome> outcome;
  std::string arn = h.StartOnly(def, NewRecord("[1,2]"), [&](const auto& o) { outcome = o; });
  auto entered = [&] {
    int n = 0;
    if (h.Stored() == 0) return 0;  // not durable yet
    for (const auto& e : h.History()) n += e.type == "WaitStateEntered";
    return n;
  };
  h.RunUntil([&] { return entered() == 2; });
  std::optional<Result<EpochMillis>> stopped;
  h.engine().Stop(arn, std::nullopt, std::nullopt, [&](auto r) { stopped = std::move(r); });
  h.RunUntil([&] { return stopped.has_value() && outcome.has_value(); });
  REQUIRE(outcome->status == "ABORTED");
  size_t before = h.History().size();
  REQUIRE(Types(h.History(), before - 1) == std::vector<std::string>{"ExecutionAborted"});

  REQUIRE(Redrive(h, arn, def).ok());
  auto tail = Types(h.History(), before);
  CHECK(tail == std::vector<std::string>{"ExecutionRedriven", "MapIterationStarted",
                                         "MapIterationStarted", "WaitStateEntered",
                                         "WaitStateEntered"});
  CHECK(Stored(h.store(), arn).status == "RUNNING");
  std::optional<Result<EpochMillis>> again;
  h.engine().Stop(arn, std::nullopt, std::nullopt, [&](auto r) { again = std::move(r); });
  h.RunUntil([&] { return again.has_value(); });
  RunUntilClosed(h, arn);
  CHECK(Stored(h.store(), arn).status == "ABORTED");
  // A second redrive replays both stops.
  REQUIRE(Redrive(h, arn, def).ok());
  CHECK(Stored(h.store(), arn).redrive_count == 2);
  CHECK(h.History().back().type == "WaitStateEntered");
}

TEST_CASE("a redriven distributed Map redrives its map run: the failed iterations only") {
  auto fake = FailOnceFor({2});
  std::string def = WithFn(kDistributedOneAtATime);
  auto store = StoreWith(def);
  Harness h(fake, 0.0, store.get());
  REQUIRE(h.Run(def, "[1,2,3]").status == "FAILED");
  std::string arn = h.arn();
  size_t before = h.History().size();
  REQUIRE(fake->requests().size() == 2);  // item 3 never started (MaxConcurrency 1)
  std::string run_arn;
  for (const auto& e : h.History()) {
    if (e.type == "MapRunStarted") run_arn = e.details["mapRunArn"];
  }
  REQUIRE(!run_arn.empty());
  CHECK(h.engine().map_runs()->Get(run_arn)->status == "FAILED");

  REQUIRE(Redrive(h, arn, def).ok());
  RunUntilClosed(h, arn);
  auto rec = Stored(h.store(), arn);
  REQUIRE(rec.status == "SUCCEEDED");
  CHECK(Json::parse(*rec.output) == Json::parse("[10,20,30]"));
  auto requests = fake->requests();
  REQUIRE(requests.size() == 4);  // item 1 is not dispatched again
  CHECK(requests[2].parameters["item"] == 2);
  CHECK(requests[3].parameters["item"] == 3);
  auto history = h.History();
  CHECK(Types(history, before) == std::vector<std::string>{"ExecutionRedriven", "MapRunRedriven",
                                                           "MapRunSucceeded", "MapStateSucceeded",
                                                           "MapStateExited", "ExecutionSucceeded"});
  CHECK(history[before + 1].details == Json({{"mapRunArn", run_arn}, {"redriveCount", 1}}));
  CHECK(history[before + 1].previous_event_id == history[before].id);
  std::optional<runtime::MapRunInfo> run = h.engine().map_runs()->Get(run_arn);
  REQUIRE(run);
  CHECK(run->status == "SUCCEEDED");
  CHECK(run->redrive_count == 1);
  CHECK(run->redrive_date.has_value());
  CHECK(run->executions.succeeded == 3);
  CHECK(run->executions.failed == 0);
  CHECK(run->executions.aborted == 0);
  // The child executions: the failed one redriven under its own ARN; item 3
  // ran for the first time.
  storage::ExecutionQuery children;
  children.map_run_arn = run_arn;
  auto listed = h.store().ListExecutions(children).value().items;
  REQUIRE(listed.size() == 3);
  std::map<std::string, int64_t> redrives;
  for (const auto& child : listed) {
    CHECK(child.status == "SUCCEEDED");
    redrives[child.input] = child.redrive_count;
  }
  CHECK(redrives == std::map<std::string, int64_t>{
                        {R"({"item":1})", 0}, {R"({"item":2})", 1}, {R"({"item":3})", 0}});

  // A new engine on the same store answers for the run from the stored record.
  Harness later(fake, 0.0, store.get());
  REQUIRE(later.engine().Recover().ok());
  std::optional<runtime::MapRunInfo> stored = later.engine().map_runs()->Get(run_arn);
  REQUIRE(stored);
  CHECK(stored->redrive_count == 1);
  CHECK(stored->redrive_date == run->redrive_date);
  CHECK(stored->status == "SUCCEEDED");
}

TEST_CASE("a restart while a redriven map run runs resumes it; what had succeeded stays done") {
  std::string def = WithFn(R"({"StartAt":"M","States":{
      "M":{"Type":"Map","ItemSelector":{"item.$":"$$.Map.Item.Value"},
           "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},
             "StartAt":"T","States":{"T":{"Type":"Task","Resource":"FN","End":true}}},
           "End":true}}})");
  auto store = StoreWith(def);
  std::string arn;
  {
    // First process: item 2 fails, the redrive dispatches it again and the
    // answer never comes ("crash" with the iteration in flight).
    auto fake = std::make_shared<FakeDispatcher>([](const TaskRequest& r, int) {
      int item = r.parameters.value("item", 0);
      static int twos = 0;
      if (item != 2) return std::optional<TaskOutcome>(Ok(item * 10));
      if (twos++ == 0) return std::optional<TaskOutcome>(Err("Boom", std::nullopt));
      return std::optional<TaskOutcome>();
    });
    Harness h(fake, 0.0, store.get());
    REQUIRE(h.Run(def, "[1,2]").status == "FAILED");
    arn = h.arn();
    REQUIRE(Redrive(h, arn, def).ok());
    h.RunUntil([&] { return fake->requests().size() == 3; });
  }
  auto fake = std::make_shared<FakeDispatcher>([](const TaskRequest& r, int) {
    return std::optional<TaskOutcome>(Ok(r.parameters.value("item", 0) * 10));
  });
  net::io_context io;
  runtime::EngineOptions options;
  options.dispatcher = fake;
  auto engine = runtime::MakeEngine(io, *store, *SystemClock::Instance(), options);
  REQUIRE(engine->Recover().ok());
  auto guard = net::make_work_guard(io);
  while (store->GetExecution(arn).value()->status == "RUNNING") io.run_one();
  auto rec = store->GetExecution(arn).value();
  REQUIRE(rec->status == "SUCCEEDED");
  CHECK(Json::parse(*rec->output) == Json::parse("[10,20]"));
  REQUIRE(fake->requests().size() == 1);  // item 2 again, not item 1
  CHECK(fake->requests()[0].parameters["item"] == 2);
  auto events = store->LoadEvents(arn).value();
  int redriven = 0;
  for (const auto& e : events) redriven += e.type == "MapRunRedriven";
  CHECK(redriven == 1);
  CHECK(events.back().type == "ExecutionSucceeded");
  store->Close();
}

TEST_CASE("a map run redriven three times keeps what each attempt got done") {
  // MaxConcurrency 1. Item 1 fails twice, item 2 once: attempt 0 runs 0 and 1;
  // redrive 1 runs 1; redrive 2 runs 1 and 2; redrive 3 runs 2 only.
  auto calls = std::make_shared<std::map<int, int>>();
  auto fake = std::make_shared<FakeDispatcher>([calls](const TaskRequest& r, int) {
    int item = r.parameters.value("item", 0);
    int n = ++(*calls)[item];
    if ((item == 1 && n <= 2) || (item == 2 && n == 1)) {
      return std::optional<TaskOutcome>(Err("Boom", std::string("item failed")));
    }
    return std::optional<TaskOutcome>(Ok(item * 10));
  });
  std::string def = WithFn(kDistributedOneAtATime);
  auto store = StoreWith(def);
  Harness h(fake, 0.0, store.get());
  REQUIRE(h.Run(def, "[0,1,2]").status == "FAILED");
  std::string arn = h.arn();
  for (int redrive = 1; redrive <= 3; ++redrive) {
    auto rr = Redrive(h, arn, def);
    INFO("redrive " << redrive << ": " << (rr.ok() ? "ok" : rr.status().ToString()));
    REQUIRE(rr.ok());
    RunUntilClosed(h, arn);
    CHECK(Stored(h.store(), arn).status == (redrive < 3 ? "FAILED" : "SUCCEEDED"));
  }
  auto rec = Stored(h.store(), arn);
  CHECK(Json::parse(*rec.output) == Json::parse("[0,10,20]"));
  CHECK(*calls == std::map<int, int>{{0, 1}, {1, 3}, {2, 2}});
  int started = 0;
  std::vector<int64_t> counts;
  for (const auto& e : h.History()) {
    started += e.type == "MapRunStarted";
    if (e.type == "MapRunRedriven") counts.push_back(e.details["redriveCount"]);
  }
  CHECK(started == 1);
  CHECK(counts == std::vector<int64_t>{1, 2, 3});
}
