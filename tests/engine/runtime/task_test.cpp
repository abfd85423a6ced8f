// Task states in the interpreter, with a fake TaskDispatcher: data flow,
// the history events AWS records (shapes and previousEventIds taken from the
// recorded corpus), Retry/Catch, timeouts, late answers, and replay.
#include <utility>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <mutex>
#include <thread>

#include "common/ids.h"
#include "common/limits.h"
#include "engine/asl/parser.h"
#include "engine/runtime/engine_impl.h"
#include "storage/store.h"
#include "tests/engine/runtime/task_harness.h"

namespace net = boost::asio;
using namespace stepline;
using task::TaskOutcome;
using task::TaskRequest;

namespace {

const char* kLambdaArn = "arn:aws:lambda:us-east-1:123456789012:function:fn";

}  // namespace

TEST_CASE("a legacy Lambda Task records LambdaFunction events and applies the JSONPath data flow") {
  auto fake = std::make_shared<FakeDispatcher>([](const TaskRequest& r, int) {
    return Ok({{"echo", r.parameters}, {"n", 7}});
  });
  Harness h(fake);
  auto o = h.Run(std::string(R"({"StartAt":"T","States":{"T":{"Type":"Task","Resource":")") +
                     kLambdaArn + R"(",
      "InputPath":"$.in","Parameters":{"v.$":"$.x","ctx.$":"$$.State.Name"},
      "ResultSelector":{"n.$":"$.n","e.$":"$.echo"},"ResultPath":"$.res","OutputPath":"$.res",
      "End":true}}})",
                 R"({"in":{"x":5}})");
  REQUIRE(o.status == "SUCCEEDED");
  CHECK(Out(o) == Json::parse(R"({"n":7,"e":{"v":5,"ctx":"T"}})"));
  // As AWS recorded BASE_LAMBDA_EMPTY.
  CHECK(h.Shape() == Lines{"1:0:ExecutionStarted", "2:0:TaskStateEntered",
                           "3:2:LambdaFunctionScheduled", "4:3:LambdaFunctionStarted",
                           "5:4:LambdaFunctionSucceeded", "6:5:TaskStateExited",
                           "7:6:ExecutionSucceeded"});
  auto events = h.History();
  CHECK(events[2].details["resource"] == kLambdaArn);
  CHECK(Detail(events[2], "input") == Json::parse(R"({"v":5,"ctx":"T"})"));
  CHECK(events[2].details["inputDetails"] == Json::parse(R"({"truncated":false})"));
  CHECK(!events[2].details.contains("resourceType"));
  CHECK(events[3].details.is_null());
  CHECK(Detail(events[4], "output") == Json::parse(R"({"echo":{"v":5,"ctx":"T"},"n":7})"));
  CHECK(!events[4].details.contains("resource"));
  auto requests = fake->requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].spec.legacy_lambda);
  CHECK(requests[0].state_name == "T");
  CHECK(requests[0].region == "us-east-1");
  CHECK(requests[0].invocation == 0);
  CHECK(requests[0].test_case.empty());
  CHECK(!requests[0].task_token);
}

TEST_CASE("a service integration Task records TaskScheduled as AWS does, timeout included") {
  auto fake = std::make_shared<FakeDispatcher>([](const TaskRequest&, int) {
    return Ok({{"StatusCode", 200}, {"Payload", "ok"}});
  });
  Harness h(fake);
  auto o = h.Run(R"({"StartAt":"T","States":{"T":{"Type":"Task",
      "Resource":"arn:aws:states:::lambda:invoke","TimeoutSeconds":5,"HeartbeatSeconds":2,
      "Parameters":{"FunctionName":"f","Payload.$":"$"},"OutputPath":"$.Payload","End":true}}})",
                 R"({"a":1})");
  REQUIRE(o.status == "SUCCEEDED");
  CHECK(Out(o) == "ok");
  CHECK(h.Shape() == Lines{"1:0:ExecutionStarted", "2:0:TaskStateEntered", "3:2:TaskScheduled",
                           "4:3:TaskStarted", "5:4:TaskSucceeded", "6:5:TaskStateExited",
                           "7:6:ExecutionSucceeded"});
  auto events = h.History();
  const Json& scheduled = events[2].details;
  CHECK(scheduled["resourceType"] == "lambda");
  CHECK(scheduled["resource"] == "invoke");
  CHECK(scheduled["region"] == "us-east-1");
  CHECK(scheduled["timeoutInSeconds"] == 5);
  CHECK(scheduled["heartbeatInSeconds"] == 2);
  CHECK(Detail(events[2], "parameters") ==
        Json::parse(R"({"FunctionName":"f","Payload":{"a":1}})"));
  CHECK(events[3].details == Json::parse(R"({"resource":"invoke","resourceType":"lambda"})"));
  CHECK(events[4].details["resourceType"] == "lambda");
  CHECK(events[4].details["outputDetails"] == Json::parse(R"({"truncated":false})"));
  CHECK(fake->requests().at(0).timeout_seconds == 5);
}

TEST_CASE("Task errors are retried with the invocation count, then caught") {
  auto fake = std::make_shared<FakeDispatcher>(
      [](const TaskRequest&, int) { return Err("Lambda.ServiceException", "boom"); });
  Harness h(fake);
  auto o = h.Run(R"({"StartAt":"T","States":{
      "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
           "Parameters":{"FunctionName":"f"},
           "Retry":[{"ErrorEquals":["States.TaskFailed"],"IntervalSeconds":1,"MaxAttempts":1}],
           "Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.err","Next":"P"}],"End":true},
      "P":{"Type":"Pass","End":true}}})",
                 R"({"k":1})");
  REQUIRE(o.status == "SUCCEEDED");
  CHECK(Out(o) ==
        Json::parse(R"({"k":1,"err":{"Error":"Lambda.ServiceException","Cause":"boom"}})"));
  // As AWS recorded TASK_CATCH_ERROR_OUTPUT_WITH_RETRY.
  CHECK(h.Shape() == Lines{"1:0:ExecutionStarted", "2:0:TaskStateEntered", "3:2:TaskScheduled",
                           "4:3:TaskStarted", "5:4:TaskFailed", "6:5:TaskScheduled",
                           "7:6:TaskStarted", "8:7:TaskFailed", "9:8:TaskStateExited",
                           "10:9:PassStateEntered", "11:10:PassStateExited",
                           "12:11:ExecutionSucceeded"});
  auto events = h.History();
  CHECK(events[4].details == Json::parse(R"({"error":"Lambda.ServiceException","cause":"boom",
                                            "resource":"invoke","resourceType":"lambda"})"));
  auto requests = fake->requests();
  REQUIRE(requests.size() == 2);
  CHECK(requests[0].invocation == 0);
  CHECK(requests[1].invocation == 1);
}

TEST_CASE("an uncaught Lambda function error fails the execution with its error and cause") {
  auto fake = std::make_shared<FakeDispatcher>(
      [](const TaskRequest&, int) { return Err("CustomException", R"({"errorMessage":""})"); });
  Harness h(fake);
  auto o = h.Run(std::string(R"({"StartAt":"T","States":{"T":{"Type":"Task","Resource":")") +
                 kLambdaArn + R"(","End":true}}})");
  CHECK(o.status == "FAILED");
  CHECK(o.error == "CustomException");
  CHECK(o.cause == R"({"errorMessage":""})");
  CHECK(h.Shape() == Lines{"1:0:ExecutionStarted", "2:0:TaskStateEntered",
                           "3:2:LambdaFunctionScheduled", "4:3:LambdaFunctionStarted",
                           "5:4:LambdaFunctionFailed", "6:5:ExecutionFailed"});
  CHECK(h.History()[4].details ==
        Json::parse(R"({"error":"CustomException","cause":"{\"errorMessage\":\"\"}"})"));
}

TEST_CASE("TimeoutSeconds ends a Task that does not answer with States.Timeout") {
  auto fake = std::make_shared<FakeDispatcher>(
      [](const TaskRequest&, int) -> std::optional<TaskOutcome> { return std::nullopt; });
  SECTION("caught: the error output has an empty Cause, as AWS records it") {
    Harness h(fake, 0.01);
    auto o = h.Run(R"({"StartAt":"T","States":{
        "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","TimeoutSeconds":5,
             "Parameters":{"FunctionName.$":"$.FunctionName"},
             "Catch":[{"ErrorEquals":["States.Timeout"],"Next":"H"}],"End":true},
        "H":{"Type":"Pass","ResultPath":"$.error","End":true}}})",
                   R"({"FunctionName":"f"})");
    REQUIRE(o.status == "SUCCEEDED");
    CHECK(Out(o) == Json::parse(R"({"Error":"States.Timeout","Cause":"",
                                   "error":{"Error":"States.Timeout","Cause":""}})"));
    // As AWS recorded test_invoke_timeout.
    CHECK(h.Shape() == Lines{"1:0:ExecutionStarted", "2:0:TaskStateEntered", "3:2:TaskScheduled",
                             "4:3:TaskStarted", "5:4:TaskTimedOut", "6:5:TaskStateExited",
                             "7:6:PassStateEntered", "8:7:PassStateExited",
                             "9:8:ExecutionSucceeded"});
    CHECK(h.History()[4].details == Json::parse(R"({"error":"States.Timeout","resource":"invoke",
                                                   "resourceType":"lambda"})"));
  }
  SECTION("uncaught on a legacy Lambda: LambdaFunctionTimedOut, ExecutionFailed without cause") {
    Harness h(fake, 0.01);
    auto o = h.Run(std::string(R"({"StartAt":"T","States":{"T":{"Type":"Task","Resource":")") +
                   kLambdaArn + R"(","TimeoutSeconds":5,"End":true}}})");
    CHECK(o.status == "FAILED");
    CHECK(o.error == "States.Timeout");
    CHECK(!o.cause);
    CHECK(h.Shape() == Lines{"1:0:ExecutionStarted", "2:0:TaskStateEntered",
                             "3:2:LambdaFunctionScheduled", "4:3:LambdaFunctionStarted",
                             "5:4:LambdaFunctionTimedOut", "6:5:ExecutionFailed"});
    auto events = h.History();
    CHECK(events[2].details["timeoutInSeconds"] == 5);
    CHECK(events[4].details == Json::parse(R"({"error":"States.Timeout"})"));
    CHECK(events[5].details == Json::parse(R"({"error":"States.Timeout"})"));
  }
  SECTION("TimeoutSecondsPath reads the timeout from the input") {
    Harness h(fake, 0.01);
    auto o = h.Run(R"({"StartAt":"T","States":{"T":{"Type":"Task",
        "Resource":"arn:aws:states:::lambda:invoke","TimeoutSecondsPath":"$.t",
        "Parameters":{"FunctionName":"f"},"End":true}}})",
                   R"({"t":3})");
    CHECK(o.error == "States.Timeout");
    CHECK(h.History()[2].details["timeoutInSeconds"] == 3);
  }
}

TEST_CASE("a JSONata Task evaluates Arguments, then Output and Assign over $states.result") {
  auto fake = std::make_shared<FakeDispatcher>([](const TaskRequest& r, int) {
    return Ok({{"Payload", r.parameters["Payload"]["v"]}});
  });
  Harness h(fake);
  auto o = h.Run(R"({"QueryLanguage":"JSONata","StartAt":"T","States":{
      "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
           "Arguments":{"FunctionName":"f","Payload":{"v":"{% $states.input.x * 2 %}"}},
           "Assign":{"got":"{% $states.result.Payload %}"},
           "Output":{"r":"{% $states.result.Payload + 1 %}","in":"{% $states.input.x %}"},
           "Next":"P"},
      "P":{"Type":"Pass","Output":{"got":"{% $got %}","r":"{% $states.input.r %}"},"End":true}}})",
                 R"({"x":20})");
  REQUIRE(o.status == "SUCCEEDED");
  CHECK(Out(o) == Json::parse(R"({"got":40,"r":41})"));
  CHECK(Json::parse(fake->requests().at(0).parameters.dump()) ==
        Json::parse(R"({"FunctionName":"f","Payload":{"v":40}})"));
  auto events = h.History();
  REQUIRE(events.size() == 9);
  CHECK(events[5].type == "TaskStateExited");
  CHECK(events[5].details["assignedVariables"]["got"] == "40");
}

TEST_CASE("a Task without a dispatcher fails with States.TaskFailed, which Catch sees") {
  Harness h(nullptr);
  auto o = h.Run(R"({"StartAt":"T","States":{"T":{"Type":"Task",
      "Resource":"arn:aws:states:::sqs:sendMessage","Parameters":{"QueueUrl":"q"},
      "Catch":[{"ErrorEquals":["States.TaskFailed"],"Next":"P"}],"End":true},
      "P":{"Type":"Pass","End":true}}})");
  REQUIRE(o.status == "SUCCEEDED");
  CHECK(Out(o)["Error"] == "States.TaskFailed");
}

TEST_CASE("answers from other threads are posted to the strand; .sync records TaskSubmitted") {
  std::vector<std::thread> threads;
  std::mutex mu;
  struct Dispatcher : task::TaskDispatcher {
    std::vector<std::thread>* threads;
    std::mutex* mu;
    void Dispatch(TaskRequest r, std::function<void(TaskOutcome)> done) override {
      std::lock_guard<std::mutex> lock(*mu);
      threads->emplace_back([r = std::move(r), done = std::move(done)] {
        r.on_submitted(Json{{"executionArn", "child"}});
        done(Ok({{"Status", "SUCCEEDED"}}));
      });
    }
  };
  auto d = std::make_shared<Dispatcher>();
  d->threads = &threads;
  d->mu = &mu;
  Harness h(d);
  auto o = h.Run(R"({"StartAt":"T","States":{"T":{"Type":"Task",
      "Resource":"arn:aws:states:::states:startExecution.sync:2",
      "Parameters":{"StateMachineArn":"x"},"End":true}}})");
  for (auto& t : threads) t.join();
  REQUIRE(o.status == "SUCCEEDED");
  CHECK(h.Shape() == Lines{"1:0:ExecutionStarted", "2:0:TaskStateEntered", "3:2:TaskScheduled",
                           "4:3:TaskStarted", "5:4:TaskSubmitted", "6:5:TaskSucceeded",
                           "7:6:TaskStateExited", "8:7:ExecutionSucceeded"});
  auto events = h.History();
  CHECK(events[4].details["resource"] == "startExecution.sync:2");
  CHECK(Detail(events[4], "output") == Json::parse(R"({"executionArn":"child"})"));
}

TEST_CASE("a mock test case and $$.Task.Token reach the dispatcher") {
  auto fake = std::make_shared<FakeDispatcher>([](const TaskRequest&, int) { return Ok("done"); });
  Harness h(fake);
  storage::ExecutionRecord record = NewRecord("{}");
  record.attributes = {{"mockTestCase", "HappyPath"}};
  auto o = h.Run(R"({"StartAt":"T","States":{"T":{"Type":"Task",
      "Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
      "Parameters":{"QueueUrl":"q","MessageBody":{"token.$":"$$.Task.Token"}},"End":true}}})",
                 "{}", record);
  REQUIRE(o.status == "SUCCEEDED");
  auto r = fake->requests().at(0);
  CHECK(r.test_case == "HappyPath");
  CHECK(r.state_machine_arn == kSmArn);
  REQUIRE(r.task_token);
  CHECK(r.parameters["MessageBody"]["token"] == *r.task_token);
  CHECK(h.History()[2].details["resource"] == "sendMessage.waitForTaskToken");
}

TEST_CASE("an answer arriving after StopExecution is ignored, also once the execution is gone") {
  auto fake = std::make_shared<FakeDispatcher>(
      [](const TaskRequest&, int) -> std::optional<TaskOutcome> { return std::nullopt; });
  Harness h(fake, 1.0);
  std::optional<runtime::ExecutionOutcome> outcome;
  std::string arn = h.StartOnly(R"({"StartAt":"T","States":{"T":{"Type":"Task",
      "Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"f"},"End":true}}})",
                                NewRecord("{}"), [&](const auto& o) { outcome = o; });
  h.RunUntil([&] { return h.Stored() >= 4 && !fake->held().empty(); });
  std::optional<Result<EpochMillis>> stopped;
  h.engine().Stop(arn, std::nullopt, std::nullopt,
                  [&](Result<EpochMillis> r) { stopped = std::move(r); });
  h.RunUntil([&] { return stopped.has_value() && outcome.has_value(); });
  CHECK(outcome->status == "ABORTED");
  auto done = fake->held().at(0);
  std::thread late([&] { done(Ok("late")); });
  late.join();
  h.Poll();
  h.Poll();
  CHECK(h.Shape() == Lines{"1:0:ExecutionStarted", "2:0:TaskStateEntered", "3:2:TaskScheduled",
                           "4:3:TaskStarted", "5:4:ExecutionAborted"});
  // Again, now that nothing holds the execution any more.
  done(Ok("later"));
  h.Poll();
  CHECK(h.Stored() == 5);
}

TEST_CASE("the execution timeout with a Task in flight drops the late answer") {
  auto fake = std::make_shared<FakeDispatcher>(
      [](const TaskRequest&, int) -> std::optional<TaskOutcome> { return std::nullopt; });
  Harness h(fake, 0.001);
  auto o = h.Run(R"({"TimeoutSeconds":1,"StartAt":"T","States":{"T":{"Type":"Task",
      "Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"f"},"End":true}}})");
  CHECK(o.status == "TIMED_OUT");
  fake->held().at(0)(Ok("late"));
  h.Poll();
  CHECK(h.Shape().back() == "5:4:ExecutionTimedOut");
}

TEST_CASE("a resumed execution takes a stored TaskSucceeded instead of dispatching again") {
  std::string def = R"({"StartAt":"T","States":{
      "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
           "Parameters":{"FunctionName":"f"},"ResultPath":"$.r","Next":"W"},
      "W":{"Type":"Wait","Seconds":3600,"End":true}}})";
  auto store = StoreWith(def);
  storage::ExecutionRecord record = NewRecord(R"({"a":1})");
  std::string arn = record.arn;
  {
    auto first = std::make_shared<FakeDispatcher>([](const TaskRequest&, int) {
      return Ok({{"id", NewUuid()}});
    });
    Harness h(first, 1.0, store.get());
    h.StartOnly(def, record, nullptr);
    h.RunUntil([&] { return h.Stored() >= 7; });  // ... TaskStateExited, WaitStateEntered
  }
  auto before = store->LoadEvents(arn).value();
  REQUIRE(before.back().type == "WaitStateEntered");
  Json recorded = Json::parse(before[4].details["output"].get<std::string>());

  auto second = std::make_shared<FakeDispatcher>([](const TaskRequest&, int) { return Ok(0); });
  Harness h(second, 0.0, store.get());
  REQUIRE(h.engine().Recover().ok());
  h.RunUntil([&] { return store->GetExecution(arn).value()->status != "RUNNING"; });
  auto rec = store->GetExecution(arn).value();
  REQUIRE(rec->status == "SUCCEEDED");
  CHECK(Json::parse(*rec->output) == Json{{"a", 1}, {"r", recorded}});
  CHECK(second->requests().empty());
  auto events = store->LoadEvents(arn).value();
  CHECK(events.size() == 9);
  for (size_t i = 0; i < events.size(); ++i) CHECK(events[i].id == static_cast<int64_t>(i + 1));
  store->Close();
}

TEST_CASE("a Task in flight at a crash is dispatched again after Recover (at least once)") {
  std::string def = R"({"StartAt":"T","States":{"T":{"Type":"Task",
      "Resource":"arn:aws:states:::lambda:invoke","TimeoutSeconds":3600,
      "Parameters":{"FunctionName":"f"},"End":true}}})";
  auto store = StoreWith(def);
  storage::ExecutionRecord record = NewRecord("{}");
  std::string arn = record.arn;
  {
    auto first = std::make_shared<FakeDispatcher>(
        [](const TaskRequest&, int) -> std::optional<TaskOutcome> { return std::nullopt; });
    Harness h(first, 1.0, store.get());
    h.StartOnly(def, record, nullptr);
    h.RunUntil([&] { return h.Stored() >= 4 && !first->held().empty(); });
  }
  auto second =
      std::make_shared<FakeDispatcher>([](const TaskRequest&, int) { return Ok("again"); });
  Harness h(second, 1.0, store.get());
  REQUIRE(h.engine().Recover().ok());
  h.RunUntil([&] { return store->GetExecution(arn).value()->status != "RUNNING"; });
  auto rec = store->GetExecution(arn).value();
  REQUIRE(rec->status == "SUCCEEDED");
  CHECK(*rec->output == R"("again")");
  REQUIRE(second->requests().size() == 1);
  CHECK(second->requests()[0].parameters == Json{{"FunctionName", "f"}});
  std::vector<std::string> types;
  auto events = store->LoadEvents(arn).value();
  for (const auto& e : events) types.push_back(e.type);
  CHECK(types == Lines{"ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted",
                       "TaskSucceeded", "TaskStateExited", "ExecutionSucceeded"});
  store->Close();
}

TEST_CASE("a Task failing without Catch inside a Parallel is aborted before ParallelStateFailed") {
  auto fake = std::make_shared<FakeDispatcher>(
      [](const TaskRequest&, int) { return Err("Exception", R"({"errorMessage":"x"})"); });
  Harness h(fake);
  auto o = h.Run(R"({"StartAt":"P","States":{"P":{"Type":"Parallel","Branches":[{"StartAt":"T",
      "States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
                     "Parameters":{"FunctionName":"f"},"End":true}}}],
      "Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.e","Next":"C"}],"End":true},
      "C":{"Type":"Pass","End":true}}})");
  REQUIRE(o.status == "SUCCEEDED");
  // As AWS recorded SQS_PARALLEL_WAIT_FOR_TASK_TOKEN: TaskStateAborted and
  // ParallelStateFailed both follow the TaskFailed.
  CHECK(h.Shape() ==
        Lines{"1:0:ExecutionStarted", "2:0:ParallelStateEntered", "3:2:ParallelStateStarted",
              "4:3:TaskStateEntered", "5:4:TaskScheduled", "6:5:TaskStarted", "7:6:TaskFailed",
              "8:7:TaskStateAborted", "9:7:ParallelStateFailed", "10:9:ParallelStateExited",
              "11:10:PassStateEntered", "12:11:PassStateExited", "13:12:ExecutionSucceeded"});
}

TEST_CASE(
    "a failed Map iteration aborts the Tasks in flight in the others, chained to the failure") {
  // The iteration of item 0 (index 1) fails at once; the other task never answers.
  auto fake =
      std::make_shared<FakeDispatcher>([](const TaskRequest& r, int) -> std::optional<TaskOutcome> {
        if (r.parameters["Payload"] == 0) return Err("Boom", std::nullopt);
        return std::nullopt;
      });
  Harness h(fake);
  auto o = h.Run(R"({"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.items",
      "ItemProcessor":{"StartAt":"T","States":{"T":{"Type":"Task",
        "Resource":"arn:aws:states:::lambda:invoke",
        "Parameters":{"FunctionName":"f","Payload.$":"$"},"End":true}}},"End":true}}})",
                 R"({"items":[1,0]})");
  CHECK(o.status == "FAILED");
  CHECK(o.error == "Boom");
  // The shape of test_service_lambda_map_timeout's abort: MapIterationFailed,
  // then per other iteration TaskStateAborted + MapIterationAborted, then the
  // failed iteration's TaskStateAborted, all following the failure event.
  CHECK(h.Shape() == Lines{"1:0:ExecutionStarted", "2:0:MapStateEntered", "3:2:MapStateStarted",
                           "4:3:MapIterationStarted", "5:3:MapIterationStarted",
                           "6:4:TaskStateEntered", "7:6:TaskScheduled", "8:7:TaskStarted",
                           "9:5:TaskStateEntered", "10:9:TaskScheduled", "11:10:TaskStarted",
                           "12:11:TaskFailed", "13:12:MapIterationFailed", "14:12:TaskStateAborted",
                           "15:12:MapIterationAborted", "16:12:TaskStateAborted",
                           "17:12:MapStateFailed", "18:17:ExecutionFailed"});
}

TEST_CASE("a Task caught inside its branch is not aborted") {
  auto fake = std::make_shared<FakeDispatcher>(
      [](const TaskRequest&, int) { return Err("Boom", std::nullopt); });
  Harness h(fake);
  auto o = h.Run(R"({"StartAt":"P","States":{"P":{"Type":"Parallel","Branches":[{"StartAt":"T",
      "States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
                     "Parameters":{"FunctionName":"f"},
                     "Catch":[{"ErrorEquals":["States.ALL"],"Next":"F"}],"End":true},
                "F":{"Type":"Fail","Error":"Again"}}}],"End":true}}})");
  CHECK(o.error == "Again");
  for (const std::string& line : h.Shape()) CHECK(line.find("Aborted") == std::string::npos);
}

TEST_CASE("States.Runtime is neither retried nor caught, even when a Catch names it") {
  auto fake = std::make_shared<FakeDispatcher>([](const TaskRequest&, int) { return Ok({}); });
  Harness h(fake);
  auto o = h.Run(std::string(R"({"StartAt":"T","States":{"T":{"Type":"Task","Resource":")") +
                 kLambdaArn + R"(","OutputPath":"$.no.such",
      "Retry":[{"ErrorEquals":["States.Runtime"]}],
      "Catch":[{"ErrorEquals":["States.Runtime"],"Next":"C"}],"Next":"C"},
      "C":{"Type":"Pass","End":true}}})");
  CHECK(o.status == "FAILED");
  CHECK(o.error == "States.Runtime");
  // As AWS recorded test_catch_states_runtime.
  CHECK(h.Shape() == Lines{"1:0:ExecutionStarted", "2:0:TaskStateEntered",
                           "3:2:LambdaFunctionScheduled", "4:3:LambdaFunctionStarted",
                           "5:4:LambdaFunctionSucceeded", "6:5:ExecutionFailed"});
  CHECK(fake->requests().size() == 1);
}

TEST_CASE("a Task failing with States.DataLimitExceeded is caught by States.ALL") {
  auto fake = std::make_shared<FakeDispatcher>(
      [](const TaskRequest&, int) { return Err("States.DataLimitExceeded", "too big"); });
  Harness h(fake);
  const std::string definition =
      std::string(R"({"StartAt":"T","States":{"T":{"Type":"Task","Resource":")") + kLambdaArn +
      R"(","Catch":[{"ErrorEquals":["States.ALL"],"Next":"C"}],"End":true},
      "C":{"Type":"Pass","End":true}}})";
  auto o = h.Run(definition);
  REQUIRE(o.status == "SUCCEEDED");
  CHECK(Out(o) == Json::parse(R"({"Error":"States.DataLimitExceeded","Cause":"too big"})"));
  SECTION("but not when the state's own output is over the limit") {
    auto big = std::make_shared<FakeDispatcher>(
        [](const TaskRequest&, int) { return Ok(std::string(limits::kMaxPayloadBytes + 1, 'a')); });
    Harness h2(big);
    auto o2 = h2.Run(definition);
    CHECK(o2.status == "FAILED");
    CHECK(o2.error == "States.DataLimitExceeded");
  }
}
