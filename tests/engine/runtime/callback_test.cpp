// Callback tasks (.waitForTaskToken), heartbeats and activities: SendTask*
// through ExecutionEngine::AnswerTask, GetActivityTask through PollActivity,
// the history events AWS records for them (corpus categories callback,
// activities, timeouts), late answers, and tokens surviving a restart.
#include <chrono>
#include <optional>

#include "engine/runtime/task_token.h"
#include "tests/engine/runtime/task_harness.h"

namespace {

const char* kQueueDef = R"({"StartAt":"T","States":{"T":{"Type":"Task",
    "Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
    "Parameters":{"QueueUrl":"q","MessageBody":{"Token.$":"$$.Task.Token"}},"End":true}}})";
const char* kActivityArn = "arn:aws:states:us-east-1:123456789012:activity:work";

TaskOutcome Submitted() {
  TaskOutcome o;
  o.submitted = true;
  o.submitted_output = {{"MessageId", "m-1"}};
  return o;
}

std::shared_ptr<FakeDispatcher> SubmittingDispatcher() {
  return std::make_shared<FakeDispatcher>([](const TaskRequest&, int) { return Submitted(); });
}

runtime::TaskAnswer Success(Json output) {
  runtime::TaskAnswer a;
  a.kind = runtime::TaskAnswer::Kind::kSuccess;
  a.output = std::move(output);
  return a;
}

runtime::TaskAnswer Failure(std::optional<std::string> error, std::optional<std::string> cause) {
  runtime::TaskAnswer a;
  a.kind = runtime::TaskAnswer::Kind::kFailure;
  a.error = std::move(error);
  a.cause = std::move(cause);
  return a;
}

// AnswerTask, run to completion on the harness.
Status Answer(Harness& h, const std::string& token, runtime::TaskAnswer answer) {
  std::optional<Status> result;
  h.engine().AnswerTask(token, std::move(answer), [&](Status st) { result = st; });
  h.RunUntil([&] { return result.has_value(); });
  return *result;
}

std::optional<runtime::ActivityTask> Poll(Harness& h, const std::string& worker) {
  std::optional<std::optional<runtime::ActivityTask>> result;
  h.engine().PollActivity(kActivityArn, worker, [&](auto task) { result = std::move(task); });
  h.RunUntil([&] { return result.has_value(); });
  return *result;
}

void AddActivity(storage::Store& store) {
  storage::WriteBatch batch;
  batch.put_activities.push_back({kActivityArn, "work", 0, Json::object()});
  REQUIRE(store.CommitAndWait(std::move(batch)).ok());
}

std::string TokenOf(const std::shared_ptr<FakeDispatcher>& fake) {
  REQUIRE(!fake->requests().empty());
  REQUIRE(fake->requests().back().task_token);
  return *fake->requests().back().task_token;
}

std::string ExecStatus(const storage::Store& store, const std::string& arn) {
  return const_cast<storage::Store&>(store).GetExecution(arn).value()->status;
}

}  // namespace

TEST_CASE("SendTaskSuccess completes a callback task after TaskSubmitted, as AWS records it") {
  auto fake = SubmittingDispatcher();
  Harness h(fake);
  std::optional<runtime::ExecutionOutcome> outcome;
  h.StartOnly(kQueueDef, NewRecord("{}"), [&](const auto& o) { outcome = o; });
  h.RunUntil([&] { return h.Stored() >= 5; });
  std::string token = TokenOf(fake);
  CHECK(fake->requests()[0].parameters["MessageBody"]["Token"] == token);
  REQUIRE(Answer(h, token, Success({{"done", true}})).ok());
  h.RunUntil([&] { return outcome.has_value(); });
  CHECK(outcome->status == "SUCCEEDED");
  CHECK(Out(*outcome) == Json{{"done", true}});
  CHECK(h.Shape() == Lines{"1:0:ExecutionStarted", "2:0:TaskStateEntered", "3:2:TaskScheduled",
                           "4:3:TaskStarted", "5:4:TaskSubmitted", "6:5:TaskSucceeded",
                           "7:6:TaskStateExited", "8:7:ExecutionSucceeded"});
  auto succeeded = h.History()[5];
  CHECK(succeeded.details["output"] == R"({"done":true})");
  CHECK(succeeded.details["resource"] == "sendMessage.waitForTaskToken");
  // The task has closed: a second answer is too late.
  Status late = Answer(h, token, Success(1));
  CHECK(late.code() == ErrorCode::kTaskTimedOut);
  CHECK(late.message() == "Task Timed Out: 'Provided task does not exist anymore'");
}

TEST_CASE("SendTaskFailure fails a callback task with its error and cause; Catch sees them") {
  auto fake = SubmittingDispatcher();
  Harness h(fake);
  std::optional<runtime::ExecutionOutcome> outcome;
  h.StartOnly(R"({"StartAt":"T","States":{"T":{"Type":"Task",
      "Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
      "Parameters":{"QueueUrl":"q","MessageBody":{"Token.$":"$$.Task.Token"}},
      "Catch":[{"ErrorEquals":["Custom.Error"],"Next":"Caught"}],"End":true},
      "Caught":{"Type":"Pass","End":true}}})",
              NewRecord("{}"), [&](const auto& o) { outcome = o; });
  h.RunUntil([&] { return h.Stored() >= 5; });
  REQUIRE(Answer(h, TokenOf(fake), Failure("Custom.Error", "it broke")).ok());
  h.RunUntil([&] { return outcome.has_value(); });
  CHECK(outcome->status == "SUCCEEDED");
  CHECK(Out(*outcome) == Json{{"Error", "Custom.Error"}, {"Cause", "it broke"}});
  auto failed = h.History()[5];
  CHECK(failed.type == "TaskFailed");
  CHECK(failed.details["error"] == "Custom.Error");
  CHECK(failed.details["cause"] == "it broke");
}

TEST_CASE("SendTaskFailure without error or cause: TaskFailed without them, caught as nulls") {
  auto fake = SubmittingDispatcher();
  Harness h(fake);
  std::optional<runtime::ExecutionOutcome> outcome;
  h.StartOnly(R"({"StartAt":"T","States":{"T":{"Type":"Task",
      "Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
      "Parameters":{"QueueUrl":"q","MessageBody":{"Token.$":"$$.Task.Token"}},
      "Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.err","Next":"Caught"}],"End":true},
      "Caught":{"Type":"Pass","End":true}}})",
              NewRecord("{}"), [&](const auto& o) { outcome = o; });
  h.RunUntil([&] { return h.Stored() >= 5; });
  REQUIRE(Answer(h, TokenOf(fake), Failure(std::nullopt, std::nullopt)).ok());
  h.RunUntil([&] { return outcome.has_value(); });
  CHECK(outcome->status == "SUCCEEDED");
  CHECK(Out(*outcome) == Json{{"err", {{"Error", nullptr}, {"Cause", nullptr}}}});
  auto failed = h.History()[5];
  CHECK(failed.type == "TaskFailed");
  CHECK_FALSE(failed.details.contains("error"));
  CHECK_FALSE(failed.details.contains("cause"));
}

TEST_CASE("an answer that comes before the service call returns follows TaskSubmitted") {
  auto fake = std::make_shared<FakeDispatcher>(
      [](const TaskRequest&, int) -> std::optional<TaskOutcome> { return std::nullopt; });
  Harness h(fake);
  std::optional<runtime::ExecutionOutcome> outcome;
  h.StartOnly(kQueueDef, NewRecord("{}"), [&](const auto& o) { outcome = o; });
  h.RunUntil([&] { return !fake->held().empty(); });
  REQUIRE(Answer(h, TokenOf(fake), Success("early")).ok());
  fake->held().at(0)(Submitted());
  h.RunUntil([&] { return outcome.has_value(); });
  CHECK(Out(*outcome) == "early");
  CHECK(h.Shape()[4] == "5:4:TaskSubmitted");
  CHECK(h.Shape()[5] == "6:5:TaskSucceeded");
}

TEST_CASE("tokens that are not ours are InvalidToken; unknown executions TaskDoesNotExist") {
  Harness h(SubmittingDispatcher());
  Status invalid = Answer(h, "not-a-token", Success(1));
  CHECK(invalid.code() == ErrorCode::kInvalidToken);
  CHECK(invalid.message() == "Invalid Token: 'Invalid token'");
  std::string unknown =
      runtime::MakeTaskToken("arn:aws:states:us-east-1:123456789012:execution:tasks:gone", 3);
  CHECK(Answer(h, unknown, runtime::TaskAnswer{}).code() == ErrorCode::kTaskDoesNotExist);
  auto parsed = runtime::ParseTaskToken(unknown);
  REQUIRE(parsed);
  CHECK(parsed->scheduled_event_id == 3);
  CHECK_FALSE(runtime::ParseTaskToken("STL1zz-3"));
}

TEST_CASE("HeartbeatSeconds without a heartbeat ends the task with States.Timeout") {
  auto fake = SubmittingDispatcher();
  Harness h(fake, 0.01);
  auto o = h.Run(R"({"StartAt":"T","States":{"T":{"Type":"Task",
      "Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
      "TimeoutSeconds":600,"HeartbeatSeconds":5,
      "Parameters":{"QueueUrl":"q","MessageBody":{"Token.$":"$$.Task.Token"}},"End":true}}})");
  CHECK(o.status == "FAILED");
  CHECK(o.error == "States.Timeout");
  auto history = h.History();
  CHECK(history[2].details["heartbeatInSeconds"] == 5);
  CHECK(history[2].details["timeoutInSeconds"] == 600);
  auto timed_out = history[5];
  CHECK(timed_out.type == "TaskTimedOut");
  CHECK(timed_out.details["error"] == "States.Timeout");
  CHECK(timed_out.details["resource"] == "sendMessage.waitForTaskToken");
  CHECK(Answer(h, TokenOf(fake), runtime::TaskAnswer{}).code() == ErrorCode::kTaskTimedOut);
}

TEST_CASE("SendTaskHeartbeat pushes the heartbeat deadline back") {
  auto fake = SubmittingDispatcher();
  Harness h(fake, 0.1);  // HeartbeatSeconds 2 -> 200 ms
  std::optional<runtime::ExecutionOutcome> outcome;
  h.StartOnly(R"({"StartAt":"T","States":{"T":{"Type":"Task",
      "Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
      "HeartbeatSecondsPath":"$.hb",
      "Parameters":{"QueueUrl":"q","MessageBody":{"Token.$":"$$.Task.Token"}},"End":true}}})",
              NewRecord(R"({"hb":2})"), [&](const auto& o) { outcome = o; });
  h.RunUntil([&] { return h.Stored() >= 5; });
  std::string token = TokenOf(fake);
  auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(600);
  while (std::chrono::steady_clock::now() < until) {
    REQUIRE(Answer(h, token, runtime::TaskAnswer{}).ok());
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    h.Poll();
  }
  CHECK_FALSE(outcome.has_value());
  h.RunUntil([&] { return outcome.has_value(); });  // no more heartbeats
  CHECK(outcome->error == "States.Timeout");
  CHECK(h.History()[2].details["heartbeatInSeconds"] == 2);
}

TEST_CASE("a submitted callback survives a restart: the same token completes it") {
  auto store = StoreWith(kQueueDef);
  storage::ExecutionRecord record = NewRecord("{}");
  std::string arn = record.arn;
  std::string token;
  {
    auto first = SubmittingDispatcher();
    Harness h(first, 1.0, store.get());
    h.StartOnly(kQueueDef, record, nullptr);
    h.RunUntil([&] { return h.Stored() >= 5; });
    token = TokenOf(first);
  }
  auto second = SubmittingDispatcher();
  Harness h(second, 1.0, store.get());
  REQUIRE(h.engine().Recover().ok());
  REQUIRE(Answer(h, token, Success("after restart")).ok());
  h.RunUntil([&] { return ExecStatus(*store, arn) != "RUNNING"; });
  CHECK(ExecStatus(*store, arn) == "SUCCEEDED");
  CHECK(second->requests().empty());  // not sent again
  std::vector<std::string> types;
  auto events = store->LoadEvents(arn).value();
  for (const auto& e : events) types.push_back(e.type);
  CHECK(types == Lines{"ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted",
                       "TaskSubmitted", "TaskSucceeded", "TaskStateExited", "ExecutionSucceeded"});
  store->Close();
}

TEST_CASE("a .sync task's token completes it through SendTaskSuccess, as AWS allows") {
  auto fake = std::make_shared<FakeDispatcher>(
      [](const TaskRequest&, int) -> std::optional<TaskOutcome> { return std::nullopt; });
  Harness h(fake);
  std::optional<runtime::ExecutionOutcome> outcome;
  h.StartOnly(R"({"StartAt":"T","States":{"T":{"Type":"Task",
      "Resource":"arn:aws:states:::states:startExecution.sync",
      "Parameters":{"StateMachineArn":"sm"},"End":true}}})",
              NewRecord("{}"), [&](const auto& o) { outcome = o; });
  h.RunUntil([&] { return !fake->held().empty(); });
  REQUIRE(Answer(h, TokenOf(fake), Success("from the child")).ok());
  h.RunUntil([&] { return outcome.has_value(); });
  CHECK(Out(*outcome) == "from the child");
  fake->held().at(0)(Ok("late"));  // the dispatcher's own answer is dropped
  h.Poll();
  CHECK(h.Shape().back() == "7:6:ExecutionSucceeded");
}

TEST_CASE(".sync tasks get $$.Task.Token too") {
  auto fake = std::make_shared<FakeDispatcher>([](const TaskRequest&, int) { return Ok("x"); });
  Harness h(fake);
  auto o = h.Run(R"({"StartAt":"T","States":{"T":{"Type":"Task",
      "Resource":"arn:aws:states:::states:startExecution.sync",
      "Parameters":{"StateMachineArn":"sm","Input":{"Token.$":"$$.Task.Token"}},"End":true}}})");
  REQUIRE(o.status == "SUCCEEDED");
  std::string token = TokenOf(fake);
  CHECK(fake->requests()[0].parameters["Input"]["Token"] == token);
}

namespace {
std::string ActivityDef(const std::string& extra = "") {
  return R"({"StartAt":"A","States":{"A":{"Type":"Task","Resource":")" + std::string(kActivityArn) +
         "\"" + extra + R"(,"End":true}}})";
}
}  // namespace

TEST_CASE("an activity round trip: ActivityScheduled, a worker takes it, SendTaskSuccess") {
  auto fake = SubmittingDispatcher();
  Harness h(fake, 1.0);
  AddActivity(h.store());
  std::optional<runtime::ExecutionOutcome> outcome;
  h.StartOnly(ActivityDef(R"(,"TimeoutSeconds":300,"HeartbeatSeconds":100)"),
              NewRecord(R"({"Value1":"HelloWorld"})"), [&](const auto& o) { outcome = o; });
  auto task = Poll(h, "worker-1");
  REQUIRE(task);
  CHECK(task->input == R"({"Value1":"HelloWorld"})");
  REQUIRE(Answer(h, task->token, Success({{"out", 1}})).ok());
  h.RunUntil([&] { return outcome.has_value(); });
  CHECK(outcome->status == "SUCCEEDED");
  CHECK(Out(*outcome) == Json{{"out", 1}});
  CHECK(fake->requests().empty());  // activities are not dispatched
  CHECK(h.Shape() == Lines{"1:0:ExecutionStarted", "2:0:TaskStateEntered", "3:2:ActivityScheduled",
                           "4:3:ActivityStarted", "5:4:ActivitySucceeded", "6:5:TaskStateExited",
                           "7:6:ExecutionSucceeded"});
  auto history = h.History();
  CHECK(history[2].details == Json{{"resource", kActivityArn},
                                   {"input", R"({"Value1":"HelloWorld"})"},
                                   {"inputDetails", {{"truncated", false}}},
                                   {"timeoutInSeconds", 300},
                                   {"heartbeatInSeconds", 100}});
  CHECK(history[3].details == Json{{"workerName", "worker-1"}});
  CHECK(history[4].details ==
        Json{{"output", R"({"out":1})"}, {"outputDetails", {{"truncated", false}}}});
}

TEST_CASE("an activity failure and an activity timeout are recorded as AWS records them") {
  Harness h(SubmittingDispatcher(), 0.01);
  AddActivity(h.store());
  std::optional<runtime::ExecutionOutcome> outcome;
  h.StartOnly(ActivityDef(), NewRecord("{}"), [&](const auto& o) { outcome = o; });
  auto task = Poll(h, "");
  REQUIRE(task);
  REQUIRE(Answer(h, task->token, Failure("Programmatic Error", "why")).ok());
  h.RunUntil([&] { return outcome.has_value(); });
  CHECK(outcome->error == "Programmatic Error");
  auto history = h.History();
  CHECK(history[3].details == Json::object());  // no workerName
  CHECK(history[4].details == Json{{"error", "Programmatic Error"}, {"cause", "why"}});

  auto o = h.Run(ActivityDef(R"(,"TimeoutSeconds":5)"));
  CHECK(o.error == "States.Timeout");
  CHECK(h.Shape().at(3) == "4:3:ActivityTimedOut");
  CHECK(h.History()[3].details == Json{{"error", "States.Timeout"}});
}

TEST_CASE("an activity that does not exist fails the state with States.Runtime") {
  Harness h(SubmittingDispatcher());
  auto o = h.Run(ActivityDef());
  CHECK(o.status == "FAILED");
  CHECK(o.error == "States.Runtime");
  CHECK(o.cause ==
        "An error occurred while executing the state 'A' (entered at the event id #2). "
        "The activity " +
            std::string(kActivityArn) + " does not exist.");
  CHECK(h.Shape() == Lines{"1:0:ExecutionStarted", "2:0:TaskStateEntered", "3:2:ExecutionFailed"});
}

TEST_CASE(
    "GetActivityTask answers empty after the poll wait; a waiting worker gets the next task") {
  Harness h(SubmittingDispatcher(), 1.0, nullptr, 30);
  AddActivity(h.store());
  CHECK_FALSE(Poll(h, "idle"));
  std::optional<std::optional<runtime::ActivityTask>> got;
  Harness h2(SubmittingDispatcher(), 1.0, nullptr, 5000);
  AddActivity(h2.store());
  h2.engine().PollActivity(kActivityArn, "waiting", [&](auto task) { got = std::move(task); });
  h2.Poll();
  std::optional<runtime::ExecutionOutcome> outcome;
  h2.StartOnly(ActivityDef(), NewRecord(R"({"n":1})"), [&](const auto& o) { outcome = o; });
  h2.RunUntil([&] { return got.has_value(); });
  REQUIRE(*got);
  CHECK((*got)->input == R"({"n":1})");
  h2.RunUntil([&] { return h2.Stored() >= 4; });  // ActivityStarted is committed
  CHECK(h2.History()[3].details == Json{{"workerName", "waiting"}});
}

TEST_CASE("an activity no worker took is queued again after a restart") {
  std::string def = ActivityDef();
  auto store = StoreWith(def);
  AddActivity(*store);
  storage::ExecutionRecord record = NewRecord(R"({"again":true})");
  std::string arn = record.arn;
  {
    Harness h(SubmittingDispatcher(), 1.0, store.get());
    h.StartOnly(def, record, nullptr);
    h.RunUntil([&] { return h.Stored() >= 3; });
  }
  Harness h(SubmittingDispatcher(), 1.0, store.get());
  REQUIRE(h.engine().Recover().ok());
  auto task = Poll(h, "after");
  REQUIRE(task);
  CHECK(task->input == R"({"again":true})");
  CHECK(task->token == runtime::MakeTaskToken(arn, 3));
  REQUIRE(Answer(h, task->token, Success("ok")).ok());
  h.RunUntil([&] { return ExecStatus(*store, arn) != "RUNNING"; });
  CHECK(ExecStatus(*store, arn) == "SUCCEEDED");
  store->Close();
}

// A crash may lose GetActivityTask's answer after ActivityStarted was
// written: the task is offered again (at-least-once), under the same token,
// without a second ActivityStarted.
TEST_CASE("a started activity task is offered again after a restart; the first answer wins") {
  std::string def = ActivityDef();
  auto store = StoreWith(def);
  AddActivity(*store);
  storage::ExecutionRecord record = NewRecord(R"({"k":1})");
  std::string arn = record.arn;
  std::string token;
  {
    Harness h(SubmittingDispatcher(), 1.0, store.get());
    h.StartOnly(def, record, nullptr);
    auto task = Poll(h, "before");
    REQUIRE(task);
    token = task->token;
    // The worker gets the token only once its ActivityStarted is durable.
    CHECK(h.Stored() >= 4);
  }
  Harness h(SubmittingDispatcher(), 1.0, store.get(), 30);
  REQUIRE(h.engine().Recover().ok());
  auto again = Poll(h, "after");
  REQUIRE(again);
  CHECK(again->token == token);
  CHECK(again->input == R"({"k":1})");
  CHECK_FALSE(Poll(h, "third"));  // offered once, not to every poll
  REQUIRE(Answer(h, token, Success("done")).ok());
  h.RunUntil([&] { return ExecStatus(*store, arn) != "RUNNING"; });
  CHECK(ExecStatus(*store, arn) == "SUCCEEDED");
  // The other holder of the token is too late.
  CHECK(Answer(h, token, Success("late")).code() == ErrorCode::kTaskTimedOut);
  std::vector<std::string> types;
  auto events = store->LoadEvents(arn).value();
  for (const auto& e : events) types.push_back(e.type);
  CHECK(types == Lines{"ExecutionStarted", "TaskStateEntered", "ActivityScheduled",
                       "ActivityStarted", "ActivitySucceeded", "TaskStateExited",
                       "ExecutionSucceeded"});
  CHECK(events[4].details["output"] == "\"done\"");
  store->Close();
}
