// Valid definitions parse into the model (engine/asl/model.h).
#include <catch2/catch.hpp>
#include <chrono>

#include "engine/asl/parser.h"

namespace stepline::asl {
namespace {

std::shared_ptr<const StateMachine> MustParse(const std::string& text, ParseOptions options = {}) {
  auto result = ParseDefinition(text, options);
  INFO(result.status().message());
  REQUIRE(result.ok());
  return result.value();
}

std::string OneState(const std::string& state, const std::string& extra = "") {
  return R"({"StartAt":"S","States":{"S":)" + state + extra + "}}";
}

}  // namespace

TEST_CASE("a Pass state keeps its Result, paths and Parameters", "[parser]") {
  auto m = MustParse(OneState(
      R"({"Type":"Pass","Comment":"c","InputPath":"$.in","Parameters":{"a.$":"$.x","b":1},)"
      R"("Result":{"k.$":"literal"},"ResultPath":"$.out","OutputPath":null,"End":true})"));
  const State& s = m->root.states.at(0);
  CHECK(s.name == "S");
  CHECK(s.type == StateType::kPass);
  CHECK(s.comment == "c");
  CHECK(s.end);
  CHECK(s.input_path.kind == OptionalPath::Kind::kPath);
  CHECK(s.input_path.path.text() == "$.in");
  CHECK(s.output_path.kind == OptionalPath::Kind::kNull);
  CHECK(s.result_path.path.text() == "$.out");
  CHECK(s.parameters.has_value());
  CHECK(s.as<PassSpec>().result == Json::parse(R"({"k.$":"literal"})"));
  CHECK(m->root.start_at == "S");
  CHECK(m->root.Find("S") == &s);
}

TEST_CASE("a Task state keeps Resource, timeouts, Retry and Catch", "[parser]") {
  auto m = MustParse(R"({"StartAt":"T","States":{
    "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"f"},
         "TimeoutSeconds":30,"HeartbeatSecondsPath":"$.hb","ResultSelector":{"p.$":"$.Payload"},
         "Retry":[{"ErrorEquals":["A","B"],"IntervalSeconds":2,"MaxAttempts":0,"BackoffRate":1.5,
                   "MaxDelaySeconds":10,"JitterStrategy":"FULL"},
                  {"ErrorEquals":["States.ALL"]}],
         "Catch":[{"ErrorEquals":["States.ALL"],"Next":"F","ResultPath":"$.err"}],
         "Next":"F"},
    "F":{"Type":"Fail","Error":"E","Cause":"C"}}})");
  const State& t = *m->root.Find("T");
  const auto& task = t.as<TaskSpec>();
  CHECK(task.resource == "arn:aws:states:::lambda:invoke");
  CHECK(task.timeout_seconds.literal == 30);
  CHECK(task.heartbeat_seconds.path.has_value());
  CHECK(t.result_selector.has_value());
  REQUIRE(t.retry.size() == 2);
  CHECK(t.retry[0].error_equals == std::vector<std::string>{"A", "B"});
  CHECK(t.retry[0].interval_seconds == 2);
  CHECK(t.retry[0].max_attempts == 0);
  CHECK(t.retry[0].backoff_rate == 1.5);
  CHECK(t.retry[0].max_delay_seconds == 10);
  CHECK(t.retry[0].jitter == Retrier::Jitter::kFull);
  CHECK(t.retry[1].max_attempts == 3);
  CHECK(t.retry[1].backoff_rate == 2.0);
  REQUIRE(t.catchers.size() == 1);
  CHECK(t.catchers[0].next == "F");
  CHECK(t.catchers[0].result_path.path.text() == "$.err");
  const auto& fail = m->root.Find("F")->as<FailSpec>();
  CHECK(fail.error == "E");
  CHECK(fail.cause == "C");
}

TEST_CASE("a Choice state keeps nested rules, Default and per-rule Assign", "[parser]") {
  auto m = MustParse(R"({"StartAt":"C","States":{
    "C":{"Type":"Choice","Choices":[
      {"And":[{"Variable":"$.a","NumericGreaterThan":1},
              {"Not":{"Variable":"$.b","StringMatches":"x*"}}],"Next":"P","Assign":{"v":1}},
      {"Variable":"$.t","TimestampLessThanPath":"$.u","Next":"P"}],
     "Default":"P"},
    "P":{"Type":"Pass","End":true}}})");
  const auto& choice = m->root.Find("C")->as<ChoiceSpec>();
  REQUIRE(choice.choices.size() == 2);
  const ChoiceRule& first = choice.choices[0];
  CHECK(first.op == ChoiceOp::kAnd);
  CHECK(first.next == "P");
  CHECK(first.assign.jsonpath.has_value());
  REQUIRE(first.children.size() == 2);
  CHECK(first.children[0].op == ChoiceOp::kNumericGreaterThan);
  CHECK(first.children[0].variable.text() == "$.a");
  CHECK(first.children[0].operand == 1);
  CHECK(first.children[1].op == ChoiceOp::kNot);
  CHECK(first.children[1].children.at(0).op == ChoiceOp::kStringMatches);
  CHECK(choice.choices[1].op == ChoiceOp::kTimestampLessThan);
  REQUIRE(choice.choices[1].operand_path.has_value());
  CHECK(choice.choices[1].operand_path->text() == "$.u");
  CHECK(choice.default_next == "P");
}

TEST_CASE("Wait states keep each of their four forms", "[parser]") {
  auto m = MustParse(R"({"StartAt":"A","States":{
    "A":{"Type":"Wait","Seconds":5,"Next":"B"},
    "B":{"Type":"Wait","Timestamp":"2016-03-14T01:59:00Z","Next":"C"},
    "C":{"Type":"Wait","SecondsPath":"$.s","Next":"D"},
    "D":{"Type":"Wait","TimestampPath":"$.t","End":true}}})");
  CHECK(m->root.Find("A")->as<WaitSpec>().seconds == 5);
  const auto& b = m->root.Find("B")->as<WaitSpec>();
  CHECK(b.kind == WaitSpec::Kind::kTimestamp);
  CHECK(b.timestamp_millis == 1457920740000);
  CHECK(m->root.Find("C")->as<WaitSpec>().kind == WaitSpec::Kind::kSecondsPath);
  CHECK(m->root.Find("D")->as<WaitSpec>().path.text() == "$.t");
}

TEST_CASE("Parallel branches and Map processors are separate programs", "[parser]") {
  auto m = MustParse(R"({"StartAt":"P","States":{
    "P":{"Type":"Parallel","Branches":[
       {"StartAt":"B1","States":{"B1":{"Type":"Pass","End":true}}},
       {"StartAt":"B2","States":{"B2":{"Type":"Succeed"}}}],"Next":"M"},
    "M":{"Type":"Map","ItemsPath":"$.items","MaxConcurrency":2,
         "ItemSelector":{"v.$":"$$.Map.Item.Value"},
         "ItemProcessor":{"ProcessorConfig":{"Mode":"INLINE"},
                          "StartAt":"I","States":{"I":{"Type":"Pass","End":true}}},
         "End":true}}})");
  const auto& parallel = m->root.Find("P")->as<ParallelSpec>();
  REQUIRE(parallel.branches.size() == 2);
  CHECK(parallel.branches[0]->start_at == "B1");
  CHECK(parallel.branches[1]->Find("B2")->type == StateType::kSucceed);
  const auto& map = m->root.Find("M")->as<MapSpec>();
  CHECK_FALSE(map.distributed);
  CHECK(map.items_path.path.text() == "$.items");
  CHECK(map.max_concurrency.literal == 2);
  CHECK(map.item_selector.has_value());
  REQUIRE(map.processor != nullptr);
  CHECK(map.processor->Find("I") != nullptr);
}

TEST_CASE("a legacy Iterator with Parameters parses as a Map processor", "[parser]") {
  auto m = MustParse(OneState(
      R"({"Type":"Map","Parameters":{"x.$":"$$.Map.Item.Index"},)"
      R"("Iterator":{"StartAt":"I","States":{"I":{"Type":"Pass","End":true}}},"End":true})"));
  const auto& map = m->root.states[0].as<MapSpec>();
  CHECK(map.item_selector.has_value());
  CHECK(map.processor->start_at == "I");
}

TEST_CASE("a distributed Map keeps its reader, batcher, writer and tolerances", "[parser]") {
  auto m = MustParse(OneState(R"({"Type":"Map","Label":"L",
    "ItemReader":{"Resource":"arn:aws:states:::s3:getObject",
                  "ReaderConfig":{"InputType":"JSON"},"Parameters":{"Bucket":"b","Key":"k"}},
    "ItemBatcher":{"MaxItemsPerBatch":2},"ResultWriter":{"Resource":"arn:aws:states:::s3:putObject"},
    "ToleratedFailurePercentage":5.5,"ToleratedFailureCountPath":"$.n",
    "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"EXPRESS"},
                     "StartAt":"I","States":{"I":{"Type":"Pass","End":true}}},"End":true})"));
  const auto& map = m->root.states[0].as<MapSpec>();
  CHECK(map.distributed);
  CHECK(map.execution_type == "EXPRESS");
  CHECK(map.label == "L");
  REQUIRE(map.item_reader.has_value());
  CHECK(map.item_reader->resource == "arn:aws:states:::s3:getObject");
  CHECK(map.item_reader->parameters_jsonpath.has_value());
  CHECK(map.item_batcher.has_value());
  CHECK(map.result_writer.has_value());
  CHECK(map.tolerated_failure_percentage.literal == 5.5);
  CHECK(map.tolerated_failure_count.path.has_value());
}

TEST_CASE("top-level fields land in the StateMachine", "[parser]") {
  auto m = MustParse(R"({"Comment":"x","Version":"1.0","TimeoutSeconds":60,"StartAt":"S",
                         "States":{"S":{"Type":"Succeed"}}})");
  CHECK(m->version == "1.0");
  CHECK(m->timeout_seconds == 60);
  CHECK(m->root.comment == "x");
  CHECK(m->definition["StartAt"] == "S");
  CHECK(m->root.query_language == QueryLanguage::kJsonPath);
}

TEST_CASE("Fail ErrorPath and CausePath take paths and intrinsics", "[parser]") {
  auto m = MustParse(
      OneState(R"js({"Type":"Fail","ErrorPath":"$.e","CausePath":"States.Format('x{}', $.c)"})js"));
  const auto& fail = m->root.states[0].as<FailSpec>();
  REQUIRE(fail.error_path.has_value());
  CHECK_FALSE(fail.error_path->is_intrinsic());
  REQUIRE(fail.cause_path.has_value());
  CHECK(fail.cause_path->is_intrinsic());
}

TEST_CASE("state names may be unicode and up to 80 characters", "[parser]") {
  std::string name80(80, 'n');
  std::string unicode = "état-日本語-🙂";
  std::string long_unicode;
  for (int i = 0; i < 80; ++i) long_unicode += "é";  // 80 code points, 160 bytes
  auto m = MustParse(R"({"StartAt":")" + name80 + R"(","States":{")" + name80 +
                     R"(":{"Type":"Pass","Next":")" + unicode + R"("},")" + unicode +
                     R"(":{"Type":"Pass","Next":")" + long_unicode + R"("},")" + long_unicode +
                     R"(":{"Type":"Succeed"}}})");
  CHECK(m->root.Find(unicode) != nullptr);
  CHECK(m->root.Find(long_unicode) != nullptr);
}

TEST_CASE("deeply nested Parallel states parse", "[parser][edge]") {
  std::string inner = R"({"StartAt":"L","States":{"L":{"Type":"Pass","End":true}}})";
  for (int depth = 0; depth < 40; ++depth) {
    std::string name = "P" + std::to_string(depth);
    inner = R"({"StartAt":")" + name + R"(","States":{")" + name +
            R"(":{"Type":"Parallel","End":true,"Branches":[)" + inner + "]}}}";
  }
  auto m = MustParse(inner);
  const Program* program = &m->root;
  int levels = 0;
  while (!program->states.empty() && program->states[0].type == StateType::kParallel) {
    program = program->states[0].as<ParallelSpec>().branches.at(0).get();
    ++levels;
  }
  CHECK(levels == 40);
}

TEST_CASE("a definition of almost 1 MiB parses", "[parser][edge]") {
  std::string states;
  int n = 0;
  std::string padding(900, 'x');
  while (states.size() < 1000000) {
    std::string name = "S" + std::to_string(n);
    std::string next = "S" + std::to_string(n + 1);
    states +=
        "\"" + name + R"(":{"Type":"Pass","Comment":")" + padding + R"(","Next":")" + next + "\"},";
    ++n;
  }
  states += "\"S" + std::to_string(n) + R"(":{"Type":"Succeed"})";
  std::string text = R"({"StartAt":"S0","States":{)" + states + "}}";
  REQUIRE(text.size() < 1048576);
  auto m = MustParse(text);
  CHECK(m->root.states.size() == static_cast<size_t>(n + 1));
}

TEST_CASE("a Task's Resource is parsed once, at creation, into its integration", "[parser]") {
  auto m = MustParse(OneState(
      R"({"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",)"
      R"("Parameters":{"QueueUrl":"q","MessageBody":{"t.$":"$$.Task.Token"}},"End":true})"));
  const auto& task = m->root.Find("S")->as<TaskSpec>();
  REQUIRE(task.resource_spec.has_value());
  CHECK(task.resource_spec->service == "sqs");
  CHECK(task.resource_spec->action == "sendMessage");
  CHECK(task.resource_spec->pattern == task::Pattern::kWaitForTaskToken);
  CHECK(task.resource_spec->resource == "sendMessage.waitForTaskToken");

  auto legacy = MustParse(OneState(
      R"({"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","End":true})"));
  const auto& lambda = legacy->root.Find("S")->as<TaskSpec>();
  REQUIRE(lambda.resource_spec.has_value());
  CHECK(lambda.resource_spec->legacy_lambda);
}

TEST_CASE("EXPRESS machines accept request-response tasks", "[parser]") {
  ParseOptions express;
  express.express = true;
  MustParse(OneState(R"({"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage","End":true})"),
            express);
}

}  // namespace stepline::asl

namespace stepline::asl {

TEST_CASE("JSONata states compile their expressions into the model", "[parser][jsonata]") {
  auto m = MustParse(R"({"QueryLanguage":"JSONata","StartAt":"T","States":{
    "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
         "Arguments":{"FunctionName":"f","Payload":"{% $states.input %}"},
         "Output":"{% $states.result.Payload %}","Assign":{"x":"{% 1 + 1 %}"},
         "TimeoutSeconds":"{% 10 %}","HeartbeatSeconds":5,
         "Catch":[{"ErrorEquals":["States.ALL"],"Next":"F","Output":"{% $states.errorOutput %}"}],
         "Next":"C"},
    "C":{"Type":"Choice","Choices":[{"Condition":"{% $x = 2 %}","Next":"W","Output":{"a":1}}],
         "Default":"F"},
    "W":{"Type":"Wait","Seconds":"{% $x %}","Next":"M"},
    "M":{"Type":"Map","Items":"{% [1, 2] %}","MaxConcurrency":"{% 1 %}",
         "ItemSelector":{"v":"{% $states.context.Map.Item.Value %}"},
         "ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Pass","End":true}}},"Next":"S"},
    "S":{"Type":"Succeed","Output":"{% 'done' %}"},
    "F":{"Type":"Fail","Error":"{% 'E' %}","Cause":"plain"}}})");
  CHECK(m->root.query_language == QueryLanguage::kJsonata);
  const State& t = *m->root.Find("T");
  CHECK(t.query_language == QueryLanguage::kJsonata);
  CHECK(t.arguments.has_value());
  CHECK(t.output.has_value());
  CHECK(t.assign.jsonata.has_value());
  CHECK(t.as<TaskSpec>().timeout_seconds.jsonata.has_value());
  CHECK(t.as<TaskSpec>().heartbeat_seconds.literal == 5);
  CHECK(t.catchers.at(0).output.has_value());
  const ChoiceRule& rule = m->root.Find("C")->as<ChoiceSpec>().choices.at(0);
  CHECK(rule.op == ChoiceOp::kCondition);
  CHECK(rule.condition.has_value());
  CHECK(rule.output.has_value());
  const auto& wait = m->root.Find("W")->as<WaitSpec>();
  CHECK(wait.kind == WaitSpec::Kind::kSecondsJsonata);
  CHECK(wait.jsonata.has_value());
  const auto& map = m->root.Find("M")->as<MapSpec>();
  CHECK(map.items.has_value());
  CHECK(map.max_concurrency.jsonata.has_value());
  CHECK(map.item_selector_jsonata.has_value());
  CHECK(map.processor->Find("I")->query_language == QueryLanguage::kJsonata);
  const auto& fail = m->root.Find("F")->as<FailSpec>();
  CHECK(fail.error_jsonata.has_value());
  CHECK(fail.cause == "plain");
}

TEST_CASE("a JSONata state in a JSONPath machine is allowed", "[parser][jsonata]") {
  auto m = MustParse(
      R"({"StartAt":"S","States":{"S":{"Type":"Pass","QueryLanguage":"JSONata","Output":"{% 1 %}","End":true}}})");
  CHECK(m->root.query_language == QueryLanguage::kJsonPath);
  CHECK(m->root.states[0].query_language == QueryLanguage::kJsonata);
}

TEST_CASE("invalid JSONata is reported at the failing member", "[parser][jsonata]") {
  auto diagnostics = ValidateDefinition(
      R"({"QueryLanguage":"JSONata","StartAt":"S","States":{"S":{"Type":"Task",
         "Resource":"arn:aws:states:::lambda:invoke","Arguments":{"a":{"b":"{% 1 + %}"}},"End":true}}})");
  REQUIRE(diagnostics.size() == 1);
  CHECK(diagnostics[0].code == "INVALID_JSONATA_EXPRESSION");
  CHECK(diagnostics[0].location == "/States/S/Arguments/a/b");
  auto top = ValidateDefinition(
      R"({"QueryLanguage":"JSONata","StartAt":"S","States":{"S":{"Type":"Pass","Output":"{% phone %}","End":true}}})");
  REQUIRE(top.size() == 1);
  CHECK(top[0].code == "UNSUPPORTED_JSONATA_EXPRESSION");
  CHECK(top[0].message == "Reference to 'phone' at the top level is not supported.");
  CHECK(top[0].location == "/States/S/Output");
}

}  // namespace stepline::asl

namespace stepline::asl {

TEST_CASE("a 1 MiB definition with a 100,000-member object parses in linear time",
          "[parser][edge]") {
  std::string members;
  for (int i = 0; i < 100000; ++i)
    members += "\"k" + std::to_string(i) + "\":" + std::to_string(i) + ",";
  members += "\"k5\":\"last\"";  // a repeated key keeps its first position and last value
  std::string text =
      R"({"StartAt":"S","States":{"S":{"Type":"Pass","End":true,"Result":{)" + members + "}}}}";
  auto start = std::chrono::steady_clock::now();
  auto m = MustParse(text);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(seconds < 10);
  const Json& result = *m->root.states[0].as<PassSpec>().result;
  CHECK(result.size() == 100000);
  CHECK(result.begin().key() == "k0");
  CHECK(std::next(result.begin(), 5).value() == "last");
}

}  // namespace stepline::asl
