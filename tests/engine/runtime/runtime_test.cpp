// The interpreter end to end (without HTTP): definitions parsed by the ASL
// parser, executions run by the engine on Asio, history read back from an
// in-memory SQLite store. Waits and retries are scaled to zero.
#include <utility>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include "common/ids.h"
#include "common/limits.h"
#include "engine/asl/parser.h"
#include "engine/runtime/engine_impl.h"
#include "storage/store.h"
#include "tests/engine/runtime/task_harness.h"

namespace net = boost::asio;
using namespace stepline;

// The harness (task_harness.h) runs without a Task dispatcher here: these
// machines have no Task states.
namespace {

// Events stored so far (none while the first batch is still in flight).
size_t StoredEvents(storage::Store& store, const std::string& arn) {
  auto events = store.LoadEvents(arn);
  return events.ok() ? events->size() : 0;
}

}  // namespace

TEST_CASE("a Pass chain succeeds with AWS's event sequence") {
  Harness h(nullptr);
  auto o = h.Run(R"({"StartAt":"A","States":{
      "A":{"Type":"Pass","Result":{"x":1},"ResultPath":"$.a","Next":"B"},
      "B":{"Type":"Pass","OutputPath":"$.a","End":true}}})",
                 R"({"in":true})");
  REQUIRE(o.status == "SUCCEEDED");
  CHECK(Out(o) == Json::parse(R"({"x":1})"));
  CHECK(h.Shape() == std::vector<std::string>{"1:0:ExecutionStarted", "2:0:PassStateEntered",
                                              "3:2:PassStateExited", "4:3:PassStateEntered",
                                              "5:4:PassStateExited", "6:5:ExecutionSucceeded"});
  auto events = h.History();
  CHECK(events[1].details["name"] == "A");
  CHECK(Json::parse(events[1].details["input"].get<std::string>()) ==
        Json::parse(R"({"in":true})"));
  CHECK(Json::parse(events[2].details["output"].get<std::string>())["a"]["x"] == 1);
}

TEST_CASE("a Fail state fails the execution with its error and cause") {
  Harness h(nullptr);
  auto o = h.Run(R"({"StartAt":"F","States":{"F":{"Type":"Fail","Error":"E","Cause":"C"}}})");
  CHECK(o.status == "FAILED");
  CHECK(o.error == "E");
  CHECK(o.cause == "C");
  CHECK(h.Shape() == std::vector<std::string>{"1:0:ExecutionStarted", "2:0:FailStateEntered",
                                              "3:2:ExecutionFailed"});
}

TEST_CASE("Choice follows the first matching rule, else Default") {
  Harness h(nullptr);
  std::string def = R"({"StartAt":"C","States":{
      "C":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericGreaterThan":5,"Next":"Big"}],
           "Default":"Small"},
      "Big":{"Type":"Pass","Result":"big","End":true},
      "Small":{"Type":"Pass","Result":"small","End":true}}})";
  CHECK(Out(h.Run(def, R"({"n":9})")) == "big");
  CHECK(Out(h.Run(def, R"({"n":1})")) == "small");
  CHECK(h.Shape()[2] == "3:2:ChoiceStateExited");
}

TEST_CASE("a Choice with no match and no Default fails with States.NoChoiceMatched") {
  Harness h(nullptr);
  auto o = h.Run(R"({"StartAt":"C","States":{
      "C":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericEquals":1,"Next":"X"}]},
      "X":{"Type":"Succeed"}}})",
                 R"({"n":2})");
  CHECK(o.status == "FAILED");
  CHECK(o.error == "States.NoChoiceMatched");
}

TEST_CASE("a Wait completes (time scaled to zero) and records its events") {
  Harness h(nullptr);
  auto o = h.Run(R"({"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"End":true}}})",
                 R"({"k":1})");
  CHECK(o.status == "SUCCEEDED");
  CHECK(Out(o) == Json::parse(R"({"k":1})"));
  CHECK(h.Shape() == std::vector<std::string>{"1:0:ExecutionStarted", "2:0:WaitStateEntered",
                                              "3:2:WaitStateExited", "4:3:ExecutionSucceeded"});
}

TEST_CASE("a sequential Map matches AWS's iteration events and previousEventIds") {
  Harness h(nullptr);
  auto o = h.Run(R"({"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":1,
      "ItemProcessor":{"ProcessorConfig":{"Mode":"INLINE"},"StartAt":"P",
      "States":{"P":{"Type":"Pass","End":true}}},"End":true}}})",
                 "[1,2]");
  REQUIRE(o.status == "SUCCEEDED");
  CHECK(Out(o) == Json::parse("[1,2]"));
  CHECK(h.Shape() == std::vector<std::string>{
                         "1:0:ExecutionStarted", "2:0:MapStateEntered", "3:2:MapStateStarted",
                         "4:3:MapIterationStarted", "5:4:PassStateEntered", "6:5:PassStateExited",
                         "7:6:MapIterationSucceeded", "8:6:MapIterationStarted",
                         "9:8:PassStateEntered", "10:9:PassStateExited",
                         "11:10:MapIterationSucceeded", "12:11:MapStateSucceeded",
                         "13:11:MapStateExited", "14:13:ExecutionSucceeded"});
}

TEST_CASE("Map ItemSelector sees $$.Map.Item") {
  Harness h(nullptr);
  auto o = h.Run(R"({"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.xs",
      "ItemSelector":{"i.$":"$$.Map.Item.Index","v.$":"$$.Map.Item.Value","k.$":"$.k"},
      "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}})",
                 R"({"xs":["a","b"],"k":7})");
  REQUIRE(o.status == "SUCCEEDED");
  CHECK(Out(o) == Json::parse(R"([{"i":0,"v":"a","k":7},{"i":1,"v":"b","k":7}])"));
}

TEST_CASE("Parallel returns branch outputs in branch order") {
  Harness h(nullptr);
  auto o = h.Run(R"({"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
      {"StartAt":"A","States":{"A":{"Type":"Pass","Result":1,"End":true}}},
      {"StartAt":"B","States":{"B":{"Type":"Wait","Seconds":1,"Next":"B2"},
                               "B2":{"Type":"Pass","Result":2,"End":true}}}]}}})");
  REQUIRE(o.status == "SUCCEEDED");
  CHECK(Out(o) == Json::parse("[1,2]"));
}

TEST_CASE("Retry on Parallel re-runs the branches, then the error fails the execution") {
  Harness h(nullptr);
  auto o = h.Run(R"({"StartAt":"P","States":{"P":{"Type":"Parallel","Branches":[
      {"StartAt":"F","States":{"F":{"Type":"Fail","Error":"FailureType","Cause":"why"}}}],
      "Retry":[{"ErrorEquals":["FailureType"],"MaxAttempts":2}],"Next":"X"},
      "X":{"Type":"Pass","End":true}}})");
  CHECK(o.status == "FAILED");
  CHECK(o.error == "FailureType");
  CHECK(o.cause == "why");
  CHECK(h.Shape() == std::vector<std::string>{"1:0:ExecutionStarted", "2:0:ParallelStateEntered",
                                              "3:2:ParallelStateStarted", "4:3:FailStateEntered",
                                              "5:4:ParallelStateStarted", "6:5:FailStateEntered",
                                              "7:6:ParallelStateStarted", "8:7:FailStateEntered",
                                              "9:8:ParallelStateFailed", "10:9:ExecutionFailed"});
}

TEST_CASE("Retry on Map emits MapIterationFailed and restarts the Map") {
  Harness h(nullptr);
  auto o = h.Run(R"({"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":1,
      "ItemProcessor":{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"E","Cause":"C"}}},
      "Retry":[{"ErrorEquals":["E"],"MaxAttempts":1}],"End":true}}})",
                 "[1]");
  CHECK(o.status == "FAILED");
  CHECK(h.Shape() == std::vector<std::string>{"1:0:ExecutionStarted", "2:0:MapStateEntered",
                                              "3:2:MapStateStarted", "4:3:MapIterationStarted",
                                              "5:4:FailStateEntered", "6:5:MapIterationFailed",
                                              "7:5:MapStateStarted", "8:7:MapIterationStarted",
                                              "9:8:FailStateEntered", "10:9:MapIterationFailed",
                                              "11:9:MapStateFailed", "12:11:ExecutionFailed"});
}

TEST_CASE("Catch routes the error output to the catcher's Next") {
  Harness h(nullptr);
  auto o = h.Run(R"({"StartAt":"P","States":{"P":{"Type":"Parallel","Branches":[
      {"StartAt":"F","States":{"F":{"Type":"Fail","Error":"Oops","Cause":"bad"}}}],
      "Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.err","Next":"H"}],"End":true},
      "H":{"Type":"Pass","End":true}}})",
                 R"({"keep":1})");
  REQUIRE(o.status == "SUCCEEDED");
  CHECK(Out(o) == Json::parse(R"({"keep":1,"err":{"Error":"Oops","Cause":"bad"}})"));
}

TEST_CASE("a missing InputPath is a States.Runtime error naming the state") {
  Harness h(nullptr);
  auto o = h.Run(R"({"StartAt":"pass","States":{"pass":{"Type":"Pass",
      "InputPath":"$.NoSuchInputPath","End":true}}})");
  CHECK(o.status == "FAILED");
  CHECK(o.error == "States.Runtime");
  CHECK(o.cause ==
        "An error occurred while executing the state 'pass' (entered at the event id #2). Invalid "
        "path '$.NoSuchInputPath' : No results for path: $['NoSuchInputPath']");
}

TEST_CASE("variables assigned in one state are read by later states") {
  Harness h(nullptr);
  auto o = h.Run(R"({"StartAt":"A","States":{
      "A":{"Type":"Pass","Assign":{"x":42,"y.$":"$.in"},"Next":"B"},
      "B":{"Type":"Pass","Parameters":{"x.$":"$x","y.$":"$y"},"End":true}}})",
                 R"({"in":"v"})");
  REQUIRE(o.status == "SUCCEEDED");
  CHECK(Out(o) == Json::parse(R"({"x":42,"y":"v"})"));
  auto events = h.History();
  CHECK(events[2].details["assignedVariables"]["x"] == "42");
  CHECK(events[2].details["assignedVariables"]["y"] == "\"v\"");
}

TEST_CASE("StopExecution aborts a waiting execution with AWS's events") {
  Harness h(nullptr, 1.0);  // real time: the Wait must still be pending when we stop
  std::optional<runtime::ExecutionOutcome> outcome;
  std::string arn =
      h.StartOnly(R"({"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"End":true}}})",
                  NewRecord("{}"), [&](const auto& o) { outcome = o; });
  // Wait until the WaitStateEntered event is durable, then stop.
  h.RunUntil([&] { return StoredEvents(h.store(), arn) >= 2; });
  std::optional<Result<EpochMillis>> stopped;
  h.engine().Stop(arn, std::string("Err"), std::string("Cause"),
                  [&](Result<EpochMillis> r) { stopped = std::move(r); });
  h.RunUntil([&] { return stopped.has_value() && outcome.has_value(); });
  CHECK(stopped->ok());
  CHECK(outcome->status == "ABORTED");
  auto shape = h.Shape();
  // As AWS records it: no WaitStateAborted, and ExecutionAborted points where
  // WaitStateEntered pointed.
  REQUIRE(shape.size() == 3);
  CHECK(shape[1] == "2:0:WaitStateEntered");
  CHECK(shape[2] == "3:0:ExecutionAborted");
  auto rec = h.store().GetExecution(arn).value();
  CHECK(rec->status == "ABORTED");
  CHECK(rec->error == "Err");
}

TEST_CASE("the whole-execution TimeoutSeconds ends it as TIMED_OUT") {
  Harness h(nullptr, 0.001);
  auto o = h.Run(R"({"TimeoutSeconds":1,"StartAt":"W","States":{
      "W":{"Type":"Wait","Seconds":100000,"End":true}}})");
  CHECK(o.status == "TIMED_OUT");
  CHECK(o.error == "States.Timeout");
  CHECK(h.Shape().back().find("ExecutionTimedOut") != std::string::npos);
}

TEST_CASE("an execution abandoned mid-Wait is resumed from its history by a new engine") {
  std::string def = R"json({"StartAt":"A","States":{
      "A":{"Type":"Pass","Assign":{"id.$":"States.UUID()"},"Next":"M"},
      "M":{"Type":"Map","MaxConcurrency":1,"ItemProcessor":{"StartAt":"W","States":{
          "W":{"Type":"Wait","Seconds":3600,"End":true}}},"Next":"B"},
      "B":{"Type":"Pass","Parameters":{"id.$":"$id","items.$":"$"},"End":true}}})json";
  auto store = StoreWith(def);
  storage::ExecutionRecord record = NewRecord("[1,2]");
  std::string arn = record.arn;

  // First process: real time, so the first iteration's Wait is still pending.
  {
    net::io_context io;
    auto engine = runtime::MakeEngine(io, *store, *SystemClock::Instance(), {});
    engine->Start(record, asl::ParseDefinition(def).value(), [](Status st) { REQUIRE(st.ok()); });
    auto guard = net::make_work_guard(io);
    while (StoredEvents(*store, arn) < 7) io.run_one();
    // "Crash": the io_context and engine go away with the Wait pending.
  }
  auto before = store->LoadEvents(arn).value();
  REQUIRE(before.back().type == "WaitStateEntered");
  std::string assigned = before[2].details["assignedVariables"]["id"].get<std::string>();

  // Second process: recovers and finishes (time scaled to zero).
  net::io_context io;
  runtime::EngineOptions options;
  options.wait_time_scale = 0;
  auto engine = runtime::MakeEngine(io, *store, *SystemClock::Instance(), options);
  REQUIRE(engine->Recover().ok());
  auto guard = net::make_work_guard(io);
  while (store->GetExecution(arn).value()->status == "RUNNING") io.run_one();

  auto rec = store->GetExecution(arn).value();
  REQUIRE(rec->status == "SUCCEEDED");
  // The UUID assigned before the crash survives (replay takes recorded values).
  Json out = Json::parse(*rec->output);
  CHECK(DumpJson(out["id"]) == assigned);
  CHECK(out["items"] == Json::parse("[[1,2]]").at(0));
  auto events = store->LoadEvents(arn).value();
  for (size_t i = 0; i < events.size(); ++i) CHECK(events[i].id == static_cast<int64_t>(i + 1));
  for (size_t i = 0; i < before.size(); ++i) CHECK(events[i].type == before[i].type);
  std::vector<std::string> tail;
  for (size_t i = before.size(); i < events.size(); ++i) tail.push_back(events[i].type);
  CHECK(tail == std::vector<std::string>{"WaitStateExited", "MapIterationSucceeded",
                                         "MapIterationStarted", "WaitStateEntered",
                                         "WaitStateExited", "MapIterationSucceeded",
                                         "MapStateSucceeded", "MapStateExited", "PassStateEntered",
                                         "PassStateExited", "ExecutionSucceeded"});
  store->Close();
}

TEST_CASE("an execution that reaches 25,000 history events fails with its last event") {
  Harness h(nullptr);
  Json items = Json::array();
  for (int i = 0; i < 7000; ++i) items.push_back(i);  // 4 events per iteration
  auto o = h.Run(R"({"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":1,
      "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}})",
                 DumpJson(items));
  CHECK(o.status == "FAILED");
  CHECK(o.error == "States.Runtime");
  auto history = h.History();
  REQUIRE(history.size() == static_cast<size_t>(limits::kMaxHistoryEvents));
  CHECK(history.back().type == "ExecutionFailed");
  CHECK(history.back().id == limits::kMaxHistoryEvents);
}

TEST_CASE("a distributed Map records its map run, not its iterations") {
  Harness h(nullptr);
  auto o = h.Run(R"({"StartAt":"M","States":{"M":{"Type":"Map","Label":"L",
      "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},
        "StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}})",
                 "[1,2,3]");
  CHECK(o.status == "SUCCEEDED");
  CHECK(Out(o) == Json::parse("[1,2,3]"));
  CHECK(h.Shape() == std::vector<std::string>{"1:0:ExecutionStarted", "2:0:MapStateEntered",
                                              "3:2:MapStateStarted", "4:3:MapRunStarted",
                                              "5:4:MapRunSucceeded", "6:5:MapStateSucceeded",
                                              "7:5:MapStateExited", "8:7:ExecutionSucceeded"});
  std::string run = h.History()[3].details["mapRunArn"].get<std::string>();
  CHECK(run.rfind("arn:aws:states:us-east-1:123456789012:mapRun:tasks/L:", 0) == 0);
}

TEST_CASE("a failing distributed Map iteration fails the map run") {
  Harness h(nullptr);
  auto o = h.Run(R"({"StartAt":"M","States":{"M":{"Type":"Map",
      "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},
        "StartAt":"F","States":{"F":{"Type":"Fail","Error":"E"}}},"End":true}}})",
                 "[1]");
  CHECK(o.status == "FAILED");
  CHECK(o.error == "States.ExceedToleratedFailureThreshold");
  auto shape = h.Shape();
  REQUIRE(shape.size() == 7);
  CHECK(shape[4] == "5:4:MapRunFailed");
  CHECK(shape[5] == "6:5:MapStateFailed");
}

TEST_CASE("MaxConcurrencyPath accepts integer text and names a bad value as AWS does") {
  Harness h(nullptr);
  std::string def = R"({"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.v",
      "MaxConcurrencyPath":"$.c",
      "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}})";
  CHECK(h.Run(def, R"({"v":[1,2],"c":"1"})").status == "SUCCEEDED");
  auto bad = h.Run(def, R"({"v":[1],"c":1.5})");
  CHECK(bad.status == "FAILED");
  CHECK(bad.cause.value_or("").find("The MaxConcurrencyPath field refers to value \"1.5\" which is "
                                    "not a valid integer: $.c") != std::string::npos);
}

TEST_CASE("a fractional SecondsPath cannot be parsed as a long value") {
  Harness h(nullptr);
  auto o = h.Run(R"({"StartAt":"W","States":{"W":{"Type":"Wait","SecondsPath":"$.s","End":true}}})",
                 R"({"s":1.5})");
  CHECK(o.status == "FAILED");
  CHECK(o.cause.value_or("").find(
            "The SecondsPath parameter cannot be parsed as a long value: $.s == 1.5") !=
        std::string::npos);
}

TEST_CASE("a JSONata evaluation failure records EvaluationFailed where AWS chains it") {
  Harness h(nullptr);
  auto o = h.Run(R"({"QueryLanguage":"JSONata","StartAt":"M","States":{"M":{"Type":"Map",
      "Items":"{% true %}",
      "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}})");
  CHECK(o.status == "FAILED");
  CHECK(o.error == "States.QueryEvaluationError");
  CHECK(o.cause.value_or("").find("The JSONata expression 'true' specified for the field 'Items' "
                                  "returned an unexpected result type") != std::string::npos);
  CHECK(h.Shape() == std::vector<std::string>{"1:0:ExecutionStarted", "2:0:MapStateEntered",
                                              "3:0:EvaluationFailed", "4:3:MapStateFailed",
                                              "5:4:ExecutionFailed"});
}

TEST_CASE("an iteration's EvaluationFailed is recorded once: the Map fails with its error") {
  Harness h(nullptr);
  auto o = h.Run(R"({"QueryLanguage":"JSONata","StartAt":"M","States":{"M":{"Type":"Map",
      "Items":"{% [1] %}",
      "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass",
        "Output":{"e":"{% $nope.x %}"},"End":true}}},"End":true}}})");
  CHECK(o.status == "FAILED");
  CHECK(o.error == "States.QueryEvaluationError");
  // As AWS recorded MAP_CATCH_ERROR_OUTPUT_WITH_RETRY: EvaluationFailed chained
  // to what PassStateEntered followed, then MapIterationFailed and MapStateFailed.
  CHECK(h.Shape() == Lines{"1:0:ExecutionStarted", "2:0:MapStateEntered", "3:2:MapStateStarted",
                           "4:3:MapIterationStarted", "5:4:PassStateEntered",
                           "6:4:EvaluationFailed", "7:6:MapIterationFailed", "8:6:MapStateFailed",
                           "9:8:ExecutionFailed"});
}
