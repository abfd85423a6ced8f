// TestState: one state run once, through the API handler.
#include "tests/server/api/api_test_util.h"

using namespace stepline;
using namespace stepline::api::testing;

namespace {

Json Test(Harness& h, const Json& state, const Json& extra = Json::object()) {
  Json body = {{"definition", DumpJson(state)}, {"roleArn", kRole}};
  for (const auto& [k, v] : extra.items()) body[k] = v;
  return h.Ok("TestState", body);
}

}  // namespace

TEST_CASE("TestState of a Pass state applies Parameters, ResultPath and names the next state") {
  Harness h;
  Json state = {
      {"Type", "Pass"}, {"Parameters", {{"v.$", "$.a"}}}, {"ResultPath", "$.r"}, {"Next", "After"}};
  Json out = Test(h, state, {{"input", R"({"a":7})"}, {"inspectionLevel", "DEBUG"}});
  CHECK(out["status"] == "SUCCEEDED");
  CHECK(Json::parse(out["output"].get<std::string>()) == Json::parse(R"({"a":7,"r":{"v":7}})"));
  CHECK(out["nextState"] == "After");
  CHECK(out["inspectionData"]["afterParameters"] == R"({"v":7})");
  CHECK(out["inspectionData"]["input"] == R"({"a":7})");
}

TEST_CASE("TestState of a Task uses the mocked result through ResultSelector and OutputPath") {
  Harness h;
  Json state = {{"Type", "Task"},
                {"Resource", "arn:aws:states:::lambda:invoke"},
                {"ResultSelector", {{"x.$", "$.Payload"}}},
                {"OutputPath", "$.x"},
                {"End", true}};
  Json out = Test(h, state, {{"mock", {{"result", R"({"Payload":{"ok":1}})"}}}});
  CHECK(out["status"] == "SUCCEEDED");
  CHECK(Json::parse(out["output"].get<std::string>()) == Json::parse(R"({"ok":1})"));
  CHECK_FALSE(out.contains("nextState"));
  CHECK_FALSE(out.contains("inspectionData"));
}

TEST_CASE("TestState of a Task error: a Retrier makes it RETRIABLE, a Catcher CAUGHT_ERROR") {
  Harness h;
  Json err = {{"mock", {{"errorOutput", {{"error", "Boom"}, {"cause", "bad"}}}}}};
  Json catcher = {{"ErrorEquals", {"States.ALL"}}, {"Next", "Handler"}, {"ResultPath", "$.e"}};
  Json state = {{"Type", "Task"},
                {"Resource", "arn:aws:states:::lambda:invoke"},
                {"Catch", {catcher}},
                {"End", true}};
  Json caught = Test(h, state, {{"input", R"({"a":1})"}, {"mock", err["mock"]}});
  CHECK(caught["status"] == "CAUGHT_ERROR");
  CHECK(caught["nextState"] == "Handler");
  CHECK(caught["error"] == "Boom");
  CHECK(Json::parse(caught["output"].get<std::string>()) ==
        Json::parse(R"({"a":1,"e":{"Error":"Boom","Cause":"bad"}})"));
  state["Retry"] = Json::array({{{"ErrorEquals", {"Boom"}}}});
  CHECK(Test(h, state, err)["status"] == "RETRIABLE");
  state.erase("Retry");
  state.erase("Catch");
  Json failed = Test(h, state, err);
  CHECK(failed["status"] == "FAILED");
  CHECK(failed["cause"] == "bad");
}

TEST_CASE("TestState of a Choice names the matched branch; of a Fail, its error") {
  Harness h;
  Json choice = {{"Type", "Choice"},
                 {"Choices", {{{"Variable", "$.n"}, {"NumericGreaterThan", 5}, {"Next", "Big"}}}},
                 {"Default", "Small"}};
  CHECK(Test(h, choice, {{"input", R"({"n":9})"}})["nextState"] == "Big");
  CHECK(Test(h, choice, {{"input", R"({"n":1})"}})["nextState"] == "Small");
  Json fail = {{"Type", "Fail"}, {"Error", "E"}, {"Cause", "C"}};
  Json out = Test(h, fail);
  CHECK(out["status"] == "FAILED");
  CHECK(out["error"] == "E");
  CHECK(out["cause"] == "C");
}

TEST_CASE("TestState picks stateName out of a whole machine; Wait returns at once") {
  Harness h;
  std::string machine = R"({"StartAt":"A","States":{"A":{"Type":"Pass","Next":"W"},)"
                        R"("W":{"Type":"Wait","Seconds":3600,"OutputPath":"$.k","End":true}}})";
  Json out = h.Ok(
      "TestState",
      {{"definition", machine}, {"roleArn", kRole}, {"stateName", "W"}, {"input", R"({"k":"v"})"}});
  CHECK(out["status"] == "SUCCEEDED");
  CHECK(out["output"] == R"("v")");
}

TEST_CASE("TestState refuses invalid definitions, bad JSON members and Tasks without mock") {
  Harness h;
  Answer bad = h.Call("TestState", {{"definition", R"({"Type":"Pass","Next":""})"}});
  CHECK(bad.type == "InvalidDefinition");
  Answer input = h.Call("TestState",
                        {{"definition", R"({"Type":"Pass","End":true})"}, {"input", "{not json"}});
  CHECK(input.type == "ValidationException");
  Answer level = h.Call(
      "TestState", {{"definition", R"({"Type":"Pass","End":true})"}, {"inspectionLevel", "LOUD"}});
  CHECK(level.type == "ValidationException");
  Answer task =
      h.Call("TestState", {{"definition", R"({"Type":"Task","Resource":)"
                                          R"("arn:aws:states:::lambda:invoke","End":true})"}});
  CHECK(task.type == "ValidationException");
  Answer typed = h.Call("TestState", {{"definition", 5}});
  CHECK(typed.type == "SerializationException");  // as for every action's wrong types
}

namespace {

Json Parsed(const Json& member) { return Json::parse(member.get<std::string>()); }

}  // namespace

TEST_CASE("TestState of a JSONata Task: Arguments, the mock as $states.result, Output, Assign") {
  Harness h;
  Json state = {{"Type", "Task"},
                {"QueryLanguage", "JSONata"},
                {"Resource", "arn:aws:states:::lambda:invoke"},
                {"Arguments", {{"FunctionName", "f"}, {"Payload", "{% $states.input.a + $k %}"}}},
                {"Output", "{% {'sum': $states.result.Payload + $k} %}"},
                {"Assign", {{"seen", "{% $states.result.Payload %}"}, {"k", 100}}},
                {"Next", "After"}};
  Json out = Test(h, state,
                  {{"input", R"({"a":2})"},
                   {"variables", R"({"k":10})"},
                   {"inspectionLevel", "DEBUG"},
                   {"mock", {{"result", R"({"Payload":5})"}}}});
  CHECK(out["status"] == "SUCCEEDED");
  CHECK(out["nextState"] == "After");
  CHECK(Parsed(out["output"]) == Json::parse(R"({"sum":15})"));  // Output saw k = 10, not 100
  const Json& data = out["inspectionData"];
  CHECK(Parsed(data["afterArguments"]) == Json::parse(R"({"FunctionName":"f","Payload":12})"));
  CHECK(Parsed(data["result"]) == Json::parse(R"({"Payload":5})"));
  CHECK(Parsed(data["variables"]) == Json::parse(R"({"k":100,"seen":5})"));
  CHECK_FALSE(data.contains("afterInputPath"));
  CHECK_FALSE(data.contains("afterParameters"));
}

TEST_CASE("TestState takes QueryLanguage from the machine; JSONata Choice and Pass use Output") {
  Harness h;
  std::string machine =
      R"({"QueryLanguage":"JSONata","StartAt":"C","States":{)"
      R"("C":{"Type":"Choice","Choices":[{"Condition":"{% $states.input.n > 5 %}","Next":"P",)"
      R"("Assign":{"big":true},"Output":"{% $states.input.n * 2 %}"}],"Default":"P"},)"
      R"("P":{"Type":"Pass","Output":{"v":"{% $x %}"},"End":true}}})";
  Json choice = h.Ok("TestState", {{"definition", machine},
                                   {"stateName", "C"},
                                   {"input", R"({"n":9})"},
                                   {"inspectionLevel", "DEBUG"}});
  CHECK(choice["nextState"] == "P");
  CHECK(choice["output"] == "18");
  CHECK(Parsed(choice["inspectionData"]["variables"]) == Json::parse(R"({"big":true})"));
  Json small = h.Ok("TestState", {{"definition", machine}, {"stateName", "C"}, {"input", "{}"}});
  CHECK(small["status"] == "FAILED");  // $states.input.n is undefined: not a boolean
  CHECK(small["error"] == "States.QueryEvaluationError");
  Json pass = h.Ok("TestState",
                   {{"definition", machine}, {"stateName", "P"}, {"variables", R"({"x":"y"})"}});
  CHECK(Parsed(pass["output"]) == Json::parse(R"({"v":"y"})"));
}

TEST_CASE("TestState of a JSONPath Assign shows the new variables; a Catcher assigns too") {
  Harness h;
  Json state = {{"Type", "Pass"},
                {"Result", {{"r", 1}}},
                {"Assign", {{"fromResult.$", "$.r"}, {"prev.$", "$old"}, {"old", "new"}}},
                {"End", true}};
  Json out = Test(h, state, {{"variables", R"({"old":"before"})"}, {"inspectionLevel", "DEBUG"}});
  CHECK(Parsed(out["inspectionData"]["variables"]) ==
        Json::parse(R"({"old":"new","fromResult":1,"prev":"before"})"));
  Json catcher = {{"ErrorEquals", {"States.ALL"}},
                  {"Next", "H"},
                  {"Assign", {{"err.$", "$.Error"}}},
                  {"ResultPath", nullptr}};
  Json task = {{"Type", "Task"},
               {"Resource", "arn:aws:states:::lambda:invoke"},
               {"Catch", {catcher}},
               {"End", true}};
  Json caught = Test(h, task,
                     {{"input", R"({"a":1})"},
                      {"inspectionLevel", "DEBUG"},
                      {"mock", {{"errorOutput", {{"error", "Boom"}}}}}});
  CHECK(caught["status"] == "CAUGHT_ERROR");
  CHECK(Parsed(caught["output"]) == Json::parse(R"({"a":1})"));
  CHECK(Parsed(caught["inspectionData"]["variables"]) == Json::parse(R"({"err":"Boom"})"));
  CHECK(caught["inspectionData"]["errorDetails"]["catchIndex"] == 0);
}

TEST_CASE("TestState DEBUG of a JSONPath Task has every data-flow step; TRACE shows the same") {
  Harness h;
  Json state = {{"Type", "Task"},
                {"Resource", "arn:aws:states:::lambda:invoke"},
                {"InputPath", "$.in"},
                {"Parameters", {{"p.$", "$.v"}}},
                {"ResultSelector", {{"s.$", "$.Payload"}}},
                {"ResultPath", "$.res"},
                {"OutputPath", "$.res"},
                {"End", true}};
  Json extra = {{"input", R"({"in":{"v":3}})"},
                {"revealSecrets", true},
                {"mock", {{"result", R"({"Payload":"x"})"}, {"fieldValidationMode", "NONE"}}}};
  for (const char* level : {"DEBUG", "TRACE"}) {
    extra["inspectionLevel"] = level;
    Json out = Test(h, state, extra);
    const Json& d = out["inspectionData"];
    CHECK(Parsed(d["input"]) == Json::parse(R"({"in":{"v":3}})"));
    CHECK(Parsed(d["afterInputPath"]) == Json::parse(R"({"v":3})"));
    CHECK(Parsed(d["afterParameters"]) == Json::parse(R"({"p":3})"));
    CHECK(Parsed(d["result"]) == Json::parse(R"({"Payload":"x"})"));
    CHECK(Parsed(d["afterResultSelector"]) == Json::parse(R"({"s":"x"})"));
    CHECK(Parsed(d["afterResultPath"]) == Json::parse(R"({"in":{"v":3},"res":{"s":"x"}})"));
    CHECK(Parsed(out["output"]) == Json::parse(R"({"s":"x"})"));
  }
  Answer mode = h.Call("TestState", {{"definition", DumpJson(state)},
                                     {"mock", {{"result", "{}"}, {"fieldValidationMode", "LAX"}}}});
  CHECK(mode.type == "ValidationException");
  Answer pass_mock = h.Call(
      "TestState", {{"definition", R"({"Type":"Pass","End":true})"}, {"mock", {{"result", "{}"}}}});
  CHECK(pass_mock.type == "ValidationException");
  CHECK(pass_mock.message() == "State type 'Pass' is not supported when a mock is specified");
}

TEST_CASE("TestState retrierRetryCount: RETRIABLE with the backoff until MaxAttempts, then Catch") {
  Harness h;
  Json retrier = {{"ErrorEquals", {"Boom"}},
                  {"IntervalSeconds", 2},
                  {"BackoffRate", 3},
                  {"MaxAttempts", 3},
                  {"MaxDelaySeconds", 10}};
  Json state = {{"Type", "Task"},
                {"Resource", "arn:aws:states:::lambda:invoke"},
                {"Retry", {{{"ErrorEquals", {"Other"}}}, retrier}},
                {"Catch", {{{"ErrorEquals", {"Boom"}}, {"Next", "H"}}}},
                {"End", true}};
  auto at = [&](int count) {
    return Test(h, state,
                {{"inspectionLevel", "DEBUG"},
                 {"mock", {{"errorOutput", {{"error", "Boom"}, {"cause", "c"}}}}},
                 {"stateConfiguration", {{"retrierRetryCount", count}}}});
  };
  Json first = at(0);
  CHECK(first["status"] == "RETRIABLE");
  CHECK(first["inspectionData"]["errorDetails"] ==
        Json::parse(R"({"retryIndex":1,"retryBackoffIntervalSeconds":2})"));
  CHECK(at(1)["inspectionData"]["errorDetails"]["retryBackoffIntervalSeconds"] == 6);
  CHECK(at(2)["inspectionData"]["errorDetails"]["retryBackoffIntervalSeconds"] == 10);  // capped
  Json exhausted = at(3);
  CHECK(exhausted["status"] == "CAUGHT_ERROR");
  CHECK(exhausted["nextState"] == "H");
  state.erase("Catch");
  Json failed = Test(h, state,
                     {{"mock", {{"errorOutput", {{"error", "Boom"}}}}},
                      {"stateConfiguration", {{"retrierRetryCount", 3}}}});
  CHECK(failed["status"] == "FAILED");
  Answer negative = h.Call("TestState", {{"definition", DumpJson(state)},
                                         {"mock", {{"errorOutput", {{"error", "Boom"}}}}},
                                         {"stateConfiguration", {{"retrierRetryCount", -1}}}});
  CHECK(negative.type == "ValidationException");
}

TEST_CASE("TestState context: the caller's $$ reaches paths and $states.context") {
  Harness h;
  Json ctx = {{"Execution", {{"Name", "run-7"}}}, {"State", {{"Name", "X"}}}};
  Json pass = {{"Type", "Pass"}, {"Parameters", {{"n.$", "$$.Execution.Name"}}}, {"End", true}};
  Json out = Test(h, pass, {{"context", DumpJson(ctx)}});
  CHECK(Parsed(out["output"]) == Json::parse(R"({"n":"run-7"})"));
  Json ata = {{"Type", "Pass"},
              {"QueryLanguage", "JSONata"},
              {"Output", "{% $states.context.Execution.Name %}"},
              {"End", true}};
  CHECK(Test(h, ata, {{"context", DumpJson(ctx)}})["output"] == R"("run-7")");
  Answer bad = h.Call("TestState", {{"definition", DumpJson(pass)}, {"context", "[1]"}});
  CHECK(bad.type == "ValidationException");
}

TEST_CASE("TestState of a Map: ItemsPath, ItemSelector and the numbers, the mock as its result") {
  Harness h;
  Json processor = {{"StartAt", "I"}, {"States", {{"I", {{"Type", "Pass"}, {"End", true}}}}}};
  Json map = {{"Type", "Map"},
              {"ItemsPath", "$.xs"},
              {"ItemSelector", {{"i.$", "$$.Map.Item.Index"}, {"v.$", "$$.Map.Item.Value"}}},
              {"MaxConcurrency", 2},
              {"ToleratedFailureCount", 1},
              {"ItemProcessor", processor},
              {"ResultPath", "$.out"},
              {"End", true}};
  Json extra = {{"input", R"({"xs":["a","b"]})"},
                {"inspectionLevel", "DEBUG"},
                {"mock", {{"result", R"(["A","B"])"}}}};
  Json out = Test(h, map, extra);
  CHECK(out["status"] == "SUCCEEDED");
  CHECK(Parsed(out["output"]) == Json::parse(R"({"xs":["a","b"],"out":["A","B"]})"));
  const Json& d = out["inspectionData"];
  CHECK(Parsed(d["afterItemsPath"]) == Json::parse(R"(["a","b"])"));
  CHECK(Parsed(d["afterItemSelector"]) == Json::parse(R"([{"i":0,"v":"a"},{"i":1,"v":"b"}])"));
  CHECK(d["maxConcurrency"] == 2);
  CHECK(d["toleratedFailureCount"] == 1);
  extra["stateConfiguration"] = {{"mapIterationFailureCount", 1}};
  CHECK(Test(h, map, extra)["status"] == "SUCCEEDED");  // within ToleratedFailureCount
  extra["stateConfiguration"] = {{"mapIterationFailureCount", 2}};
  Json exceeded = Test(h, map, extra);
  CHECK(exceeded["status"] == "FAILED");
  CHECK(exceeded["error"] == "States.ExceedToleratedFailureThreshold");
  Answer no_mock = h.Call("TestState", {{"definition", DumpJson(map)}});
  CHECK(no_mock.type == "ValidationException");
  Answer object =
      h.Call("TestState", {{"definition", DumpJson(map)}, {"mock", {{"result", "{}"}}}});
  CHECK(object.type == "ValidationException");
}

TEST_CASE("TestState of a Parallel: a mocked error from errorCausedByState is retried or caught") {
  Harness h;
  Json branch = {{"StartAt", "B"}, {"States", {{"B", {{"Type", "Pass"}, {"End", true}}}}}};
  Json par = {{"Type", "Parallel"},
              {"Branches", {branch}},
              {"Parameters", {{"x.$", "$.a"}}},
              {"Retry", {{{"ErrorEquals", {"States.ALL"}}, {"MaxAttempts", 1}}}},
              {"Catch", {{{"ErrorEquals", {"States.ALL"}}, {"Next", "H"}}}},
              {"Next", "After"}};
  Json ok = Test(h, par,
                 {{"input", R"({"a":1})"},
                  {"inspectionLevel", "DEBUG"},
                  {"mock", {{"result", R"([{"x":1}])"}}}});
  CHECK(ok["nextState"] == "After");
  CHECK(Parsed(ok["inspectionData"]["afterParameters"]) == Json::parse(R"({"x":1})"));
  Json err = {{"input", R"({"a":1})"},
              {"mock", {{"errorOutput", {{"error", "E"}, {"cause", "c"}}}}},
              {"stateConfiguration", {{"errorCausedByState", "B"}}}};
  CHECK(Test(h, par, err)["status"] == "RETRIABLE");
  err["stateConfiguration"]["retrierRetryCount"] = 1;
  CHECK(Test(h, par, err)["status"] == "CAUGHT_ERROR");
  err["stateConfiguration"]["errorCausedByState"] = "Nope";
  CHECK(h.Call("TestState", {{"definition", DumpJson(par)},
                             {"mock", err["mock"]},
                             {"stateConfiguration", err["stateConfiguration"]}})
            .type == "ValidationException");
}

TEST_CASE("TestState: an unknown stateName and a JSONata field in a JSONPath state are refused") {
  Harness h;
  std::string machine = R"({"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}})";
  CHECK(h.Call("TestState", {{"definition", machine}, {"stateName", "Z"}}).type ==
        "ValidationException");
  Answer mixed = h.Call("TestState", {{"definition", R"({"Type":"Pass","Output":{},"End":true})"}});
  CHECK(mixed.type == "InvalidDefinition");
}

namespace {

// Answers every call with its parameters as the result, or fails when they ask to.
class EchoDispatcher final : public task::TaskDispatcher {
 public:
  void Dispatch(task::TaskRequest request, std::function<void(task::TaskOutcome)> done) override {
    seen = request.parameters;
    task::TaskOutcome outcome;
    outcome.ok = !request.parameters.contains("fail");
    if (outcome.ok) outcome.result = {{"Echo", request.parameters}};
    if (!outcome.ok) outcome.error = {"Svc.Failed", "asked to", std::nullopt};
    done(std::move(outcome));
  }
  Json seen;
};

}  // namespace

TEST_CASE("TestState of an unmocked Task calls the service through the dispatcher") {
  auto dispatcher = std::make_shared<EchoDispatcher>();
  Harness h(dispatcher);
  Json state = {{"Type", "Task"},
                {"Resource", "arn:aws:states:::lambda:invoke"},
                {"Parameters", {{"v.$", "$.a"}}},
                {"ResultSelector", {{"e.$", "$.Echo.v"}}},
                {"Catch", {{{"ErrorEquals", {"Svc.Failed"}}, {"Next", "H"}}}},
                {"End", true}};
  Json out = Test(h, state, {{"input", R"({"a":3})"}, {"inspectionLevel", "DEBUG"}});
  CHECK(dispatcher->seen == Json::parse(R"({"v":3})"));
  CHECK(out["status"] == "SUCCEEDED");
  CHECK(Parsed(out["output"]) == Json::parse(R"({"e":3})"));
  CHECK(Parsed(out["inspectionData"]["result"]) == Json::parse(R"({"Echo":{"v":3}})"));
  state["Parameters"] = {{"fail", true}};
  Json caught = Test(h, state);
  CHECK(caught["status"] == "CAUGHT_ERROR");
  CHECK(caught["cause"] == "asked to");
  state["Parameters"] = {{"v.$", "$.missing"}};  // fails before any call
  dispatcher->seen = nullptr;
  CHECK(Test(h, state)["error"] == "States.Runtime");
  CHECK(dispatcher->seen.is_null());
  state["Resource"] = "arn:aws:states:::lambda:invoke.waitForTaskToken";
  state["Parameters"] = {{"t.$", "$$.Task.Token"}};
  CHECK(h.Call("TestState", {{"definition", DumpJson(state)}}).type == "ValidationException");
}

TEST_CASE("TestState of a distributed Map reads mapItemReaderData as its ReaderConfig says") {
  Harness h;
  Json reader = {{"Resource", "arn:aws:states:::s3:getObject"},
                 {"ReaderConfig", {{"InputType", "CSV"}, {"CSVHeaderLocation", "FIRST_ROW"}}},
                 {"Parameters", {{"Bucket", "b"}, {"Key", "k.csv"}}}};
  Json processor = {{"ProcessorConfig", {{"Mode", "DISTRIBUTED"}, {"ExecutionType", "STANDARD"}}},
                    {"StartAt", "I"},
                    {"States", {{"I", {{"Type", "Pass"}, {"End", true}}}}}};
  Json map = {{"Type", "Map"},
              {"ItemReader", reader},
              {"ItemProcessor", processor},
              {"ItemSelector", {{"row.$", "$$.Map.Item.Value"}}},
              {"End", true}};
  Json out = Test(h, map,
                  {{"inspectionLevel", "DEBUG"},
                   {"mock", {{"result", "[]"}}},
                   {"stateConfiguration", {{"mapItemReaderData", "a,b\n1,2\n3,4\n"}}}});
  CHECK(out["status"] == "SUCCEEDED");
  CHECK(Parsed(out["inspectionData"]["afterItemSelector"]) ==
        Json::parse(R"([{"row":{"a":"1","b":"2"}},{"row":{"a":"3","b":"4"}}])"));
}

namespace {

// Answers an HTTP Task as an endpoint would, reporting the exchange when asked:
// the request carries the definition's headers, one of them a credential.
class HttpDispatcher final : public task::TaskDispatcher {
 public:
  void Dispatch(task::TaskRequest request, std::function<void(task::TaskOutcome)> done) override {
    asked_for_exchange = static_cast<bool>(request.on_http_exchange);
    task::HttpExchange e;
    e.method = request.parameters.value("Method", "GET");
    e.url = request.parameters.value("ApiEndpoint", "") + "?q=1";
    e.request_headers = {{"X-Trace", "t1"}, {"authorization", "Basic c2VjcmV0"}};
    e.request_body = R"({"n":1})";
    e.answered = !down;
    if (e.answered) {
      e.status_code = 201;
      e.status_message = "Created";
      e.response_headers = {{"Content-Type", "application/json"}, {"X-Id", "7"}};
      e.response_body = R"({"id": 7})";
    }
    if (request.on_http_exchange) request.on_http_exchange(std::move(e));
    task::TaskOutcome outcome;
    outcome.ok = !down;
    if (outcome.ok) outcome.result = {{"StatusCode", 201}};
    if (!outcome.ok) outcome.error = {"States.Http.Socket", "refused", std::nullopt};
    done(std::move(outcome));
  }
  bool down = false;
  bool asked_for_exchange = false;
};

}  // namespace

TEST_CASE("TestState TRACE of an HTTP Task shows its request and response; secrets need reveal") {
  auto dispatcher = std::make_shared<HttpDispatcher>();
  Harness h(dispatcher);
  Json state = {
      {"Type", "Task"},
      {"Resource", "arn:aws:states:::http:invoke"},
      {"Parameters", {{"ApiEndpoint", "https://api.example.com/orders"}, {"Method", "POST"}}},
      {"End", true}};
  Json out = Test(h, state, {{"inspectionLevel", "TRACE"}});
  CHECK(dispatcher->asked_for_exchange);
  CHECK(out["status"] == "SUCCEEDED");
  const Json& d = out["inspectionData"];
  CHECK(Parsed(d["result"]) == Json::parse(R"({"StatusCode":201})"));
  CHECK(d["request"] == Json{{"protocol", "https"},
                             {"method", "POST"},
                             {"url", "https://api.example.com/orders?q=1"},
                             {"headers", "[X-Trace: t1]"},  // the credential left out
                             {"body", R"({"n":1})"}});
  CHECK(d["response"] == Json{{"protocol", "https"},
                              {"statusCode", "201"},
                              {"statusMessage", "Created"},
                              {"headers", "[content-type: application/json, x-id: 7]"},
                              {"body", R"({"id": 7})"}});

  out = Test(h, state, {{"inspectionLevel", "TRACE"}, {"revealSecrets", true}});
  CHECK(out["inspectionData"]["request"]["headers"] ==
        "[X-Trace: t1, authorization: Basic c2VjcmV0]");

  dispatcher->down = true;  // no answer: the request alone
  out = Test(h, state, {{"inspectionLevel", "TRACE"}});
  CHECK(out["error"] == "States.Http.Socket");
  CHECK(out["inspectionData"]["request"]["method"] == "POST");
  CHECK_FALSE(out["inspectionData"].contains("response"));

  dispatcher->down = false;  // DEBUG does not ask for the exchange, nor show one
  out = Test(h, state, {{"inspectionLevel", "DEBUG"}, {"revealSecrets", true}});
  CHECK_FALSE(dispatcher->asked_for_exchange);
  CHECK(out["inspectionData"].contains("result"));
  CHECK_FALSE(out["inspectionData"].contains("request"));

  out = Test(h, state, {{"inspectionLevel", "TRACE"}, {"mock", {{"result", "{}"}}}});
  CHECK(out["status"] == "SUCCEEDED");  // mocked: nothing was sent
  CHECK_FALSE(out["inspectionData"].contains("request"));
  CHECK(h.Call("TestState", {{"definition", DumpJson(state)}, {"revealSecrets", "yes"}}).type ==
        "SerializationException");
}
