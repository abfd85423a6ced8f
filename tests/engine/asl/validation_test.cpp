// Rejections: AWS's codes, messages and locations, and the CreateStateMachine
// message built from them.
#include <catch2/catch.hpp>

#include "engine/asl/parser.h"

namespace stepline::asl {
namespace {

// The InvalidDefinition message CreateStateMachine would return.
std::string CreateError(const std::string& text, bool express = false) {
  ParseOptions options;
  options.express = express;
  auto result = ParseDefinition(text, options);
  REQUIRE_FALSE(result.ok());
  CHECK(result.status().code() == ErrorCode::kInvalidDefinition);
  return result.status().message();
}

// The one diagnostic ValidateStateMachineDefinition would return.
Diagnostic OnlyDiagnostic(const std::string& text) {
  auto diagnostics = ValidateDefinition(text);
  INFO((diagnostics.empty() ? std::string("none") : diagnostics[0].message));
  REQUIRE(diagnostics.size() == 1);
  CHECK(diagnostics[0].severity == "ERROR");
  return diagnostics[0];
}

std::string Schema(const std::string& message, const std::string& location) {
  return "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: " + message + " at " +
         location + "'";
}

std::string Machine(const std::string& states, const std::string& start = "S") {
  return R"({"StartAt":")" + start + R"(","States":{)" + states + "}}";
}

}  // namespace

TEST_CASE("text that is not JSON is an INVALID_JSON_DESCRIPTION in Jackson's words", "[validate]") {
  Diagnostic d = OnlyDiagnostic("not a definition");
  CHECK(d.code == "INVALID_JSON_DESCRIPTION");
  CHECK(d.location == "[Source: (String)\"not a definition\"; line: 1, column: 4]");
  CHECK(d.message ==
        "Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token "
        "'null', 'true' or 'false')\n at [Source: (String)\"not a definition\"; line: 1, column: "
        "4]");
}

TEST_CASE("an empty or non-object definition must be a valid JSON object", "[validate]") {
  for (const char* text : {" ", "", "[]", "42", "\"x\""}) {
    Diagnostic d = OnlyDiagnostic(text);
    CHECK(d.code == "SCHEMA_VALIDATION_FAILED");
    CHECK(d.message == "Definition must be a valid JSON object");
    CHECK(d.location.empty());
  }
}

TEST_CASE("an empty object lacks States and StartAt", "[validate]") {
  Diagnostic d = OnlyDiagnostic("{}");
  CHECK(d.message == "These fields are required: [States, StartAt]");
  CHECK(d.location == "/");
  Diagnostic no_start = OnlyDiagnostic(R"({"States":{"S":{"Type":"Succeed"}}})");
  CHECK(no_start.message == "These fields are required: [StartAt]");
  CHECK(no_start.location == "/");
}

TEST_CASE("a JSONPath state inside a JSONata machine is rejected at the state", "[validate]") {
  Diagnostic d = OnlyDiagnostic(
      R"({"QueryLanguage":"JSONata","StartAt":"Pass","States":{"Pass":{"Type":"Pass","QueryLanguage":"JSONPath","End":true}}})");
  CHECK(d.message ==
        "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine");
  CHECK(d.location == "/States/Pass");
}

TEST_CASE("a JSONata-only field in a JSONPath state names both languages", "[validate]") {
  CHECK(CreateError(Machine(R"("S":{"Type":"Pass","Output":{},"End":true})")) ==
        Schema("The QueryLanguage is set to 'JSONPath', but field 'Output' is only supported for "
               "the 'JSONata' QueryLanguage",
               "/States/S"));
}

TEST_CASE("a JSONPath-only field in a JSONata state names both languages", "[validate]") {
  CHECK(CreateError(Machine(
            R"("S":{"Type":"Pass","QueryLanguage":"JSONata","InputPath":"$.a","End":true})")) ==
        Schema("The QueryLanguage is set to 'JSONata', but field 'InputPath' is only supported "
               "for the 'JSONPath' QueryLanguage",
               "/States/S"));
}

TEST_CASE("an unknown QueryLanguage lists the allowed values", "[validate]") {
  Diagnostic d = OnlyDiagnostic(
      R"({"QueryLanguage":"XPath","StartAt":"S","States":{"S":{"Type":"Succeed"}}})");
  CHECK(d.message == "Value should be one of the following: [JSONPath, JSONata]");
  CHECK(d.location == "/QueryLanguage");
}

TEST_CASE("ItemProcessor and Iterator cannot declare a QueryLanguage", "[validate]") {
  for (const char* key : {"ItemProcessor", "Iterator"}) {
    Diagnostic d = OnlyDiagnostic(Machine(std::string(R"("S":{"Type":"Map","End":true,")") + key +
                                          R"(":{"QueryLanguage":"JSONPath","StartAt":"I",)"
                                          R"("States":{"I":{"Type":"Succeed"}}}})"));
    CHECK(d.message == "Field 'QueryLanguage' is not supported");
    CHECK(d.location == std::string("/States/S/") + key);
  }
}

TEST_CASE("Express machines reject .waitForTaskToken integrations", "[validate]") {
  CHECK(
      CreateError(
          Machine(
              R"("SendMessageWithWait":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken","End":true})",
              "SendMessageWithWait"),
          true) ==
      Schema("Express state machine does not support '.waitForTaskToken' service integration ",
             "/States/SendMessageWithWait/Resource"));
}

TEST_CASE("dangling targets and unreachable states are joined with commas", "[validate]") {
  CHECK(CreateError(R"({"StartAt":"pass1","States":{
          "pass1":{"Type":"Pass","Next":"pass3"},
          "pass2":{"Type":"Pass","End":true}}})") ==
        "Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: "
        "pass3 at /States/pass1/Next, MISSING_TRANSITION_TARGET: State \"pass2\" is not "
        "reachable. at /States/pass2'");
}

TEST_CASE("every transition field names its target with the word Next", "[validate]") {
  auto diagnostics = ValidateDefinition(R"({"StartAt":"C","States":{
      "C":{"Type":"Choice","Choices":[{"Variable":"$.a","IsNull":true,"Next":"X1"}],"Default":"X2"},
      "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,
           "Catch":[{"ErrorEquals":["States.ALL"],"Next":"X3"}]}}})");
  std::vector<std::pair<std::string, std::string>> got;
  for (const auto& d : diagnostics) got.emplace_back(d.message, d.location);
  CHECK(got == std::vector<std::pair<std::string, std::string>>{
                   {"Missing 'Next' target: X1", "/States/C/Choices[0]/Next"},
                   {"Missing 'Next' target: X2", "/States/C/Default"},
                   {"Missing 'Next' target: X3", "/States/T/Catch[0]/Next"},
                   {"State \"T\" is not reachable.", "/States/T"}});
}

TEST_CASE("a loop without a terminal state is MISSING_END_STATE at null", "[validate]") {
  CHECK(CreateError(Machine(R"("A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","Next":"A"},)"
                            R"("C":{"Type":"Pass","Next":"A"})",
                            "A")) ==
        "Invalid State Machine Definition: 'MISSING_END_STATE: Workflow has no terminal state at "
        "null'");
  Diagnostic d = OnlyDiagnostic(
      Machine(R"("A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","Next":"A"})", "A"));
  CHECK(d.code == "MISSING_END_STATE");
  CHECK(d.location.empty());
}

TEST_CASE("references are resolved within their own scope", "[validate]") {
  Diagnostic d = OnlyDiagnostic(Machine(R"("S":{"Type":"Parallel","Next":"Done","Branches":[
      {"StartAt":"B","States":{"B":{"Type":"Pass","Next":"Done"}}}]},"Done":{"Type":"Succeed"})"));
  CHECK(d.code == "MISSING_TRANSITION_TARGET");
  CHECK(d.message == "Missing 'Next' target: Done");
  CHECK(d.location == "/States/S/Branches[0]/States/B/Next");
}

TEST_CASE("StartAt must name a state of its scope", "[validate]") {
  auto diagnostics = ValidateDefinition(Machine(R"("A":{"Type":"Succeed"})", "Nope"));
  REQUIRE(diagnostics.size() == 2);
  CHECK(diagnostics[0].message == "Missing 'Next' target: Nope");
  CHECK(diagnostics[0].location == "/StartAt");
  CHECK(diagnostics[1].message == "State \"A\" is not reachable.");
}

TEST_CASE("fields a state type does not support are rejected at the state", "[validate]") {
  CHECK(CreateError(Machine(R"("S":{"Type":"Map","TimeoutSeconds":5,"End":true,
        "ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Succeed"}}}})")) ==
        Schema("Field 'TimeoutSeconds' is not supported", "/States/S"));
  CHECK(CreateError(Machine(R"("S":{"Type":"Pass","Catch":[],"End":true})")) ==
        Schema("Field 'Catch' is not supported", "/States/S"));
  CHECK(CreateError(Machine(R"("S":{"Type":"Wait","Seconds":1,"Retry":[],"End":true})")) ==
        Schema("Field 'Retry' is not supported", "/States/S"));
  CHECK(CreateError(Machine(R"("S":{"Type":"Succeed","Next":"S"})")) ==
        Schema("Field 'Next' is not supported", "/States/S"));
  CHECK(CreateError(Machine(R"("S":{"Type":"Pass","Foo":1,"End":true})")) ==
        Schema("Field 'Foo' is not supported", "/States/S"));
  CHECK(OnlyDiagnostic(R"({"Foo":1,"StartAt":"S","States":{"S":{"Type":"Succeed"}}})").location ==
        "/");
}

TEST_CASE("an unknown Type lists AWS's state types", "[validate]") {
  CHECK(CreateError(Machine(R"("S":{"Type":"Sleep","End":true})")) ==
        Schema("The field 'Type' should have one of these values: [Task, Wait, Pass, Succeed, "
               "Fail, Choice, Parallel, Map]",
               "/States/S/Type"));
  CHECK(OnlyDiagnostic(Machine(R"("S":{"End":true})")).message ==
        "These fields are required: [Type]");
}

TEST_CASE("required fields of each state type", "[validate]") {
  CHECK(CreateError(Machine(R"("S":{"Type":"Task","End":true})")) ==
        Schema("These fields are required: [Resource]", "/States/S"));
  CHECK(OnlyDiagnostic(Machine(R"("S":{"Type":"Choice"})")).message ==
        "These fields are required: [Choices]");
  CHECK(OnlyDiagnostic(Machine(R"("S":{"Type":"Parallel","End":true})")).message ==
        "These fields are required: [Branches]");
  CHECK(OnlyDiagnostic(Machine(R"("S":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
        "Credentials":{},"End":true})"))
            .message == "The field 'RoleArn' is required but was missing");
}

TEST_CASE("Next must be non-empty and exclusive with End", "[validate]") {
  CHECK(CreateError(Machine(R"("S":{"Type":"Pass","Next":""})")) ==
        Schema("The field 'Next' should be non-empty", "/States/S/Next"));
  auto both = ValidateDefinition(
      Machine(R"("S":{"Type":"Pass","Next":"T","End":true},"T":{"Type":"Succeed"})"));
  CHECK_FALSE(both.empty());
  auto neither = ValidateDefinition(Machine(R"("S":{"Type":"Pass"})"));
  CHECK_FALSE(neither.empty());
}

TEST_CASE("field types are checked", "[validate]") {
  Diagnostic d = OnlyDiagnostic(Machine(R"("S":{"Type":"Pass","Comment":5,"End":true})"));
  CHECK(d.message == "Expected value of type [STRING]");
  CHECK(d.location == "/States/S/Comment");
  CHECK(OnlyDiagnostic(Machine(R"("S":{"Type":"Pass","End":"yes"})")).message ==
        "Expected value of type [BOOLEAN]");
  CHECK(OnlyDiagnostic(Machine(R"("S":{"Type":"Wait","Seconds":1.5,"End":true})")).message ==
        "Expected value of type [INTEGER]");
  CHECK(OnlyDiagnostic(Machine(R"("S":{"Type":"Fail","ErrorPath":5})")).location ==
        "/States/S/ErrorPath");
}

TEST_CASE("invalid paths and payload values are rejected with the field name", "[validate]") {
  CHECK(CreateError(Machine(R"("S":{"Type":"Pass","Parameters":{"a.$":"foo"},"End":true})")) ==
        Schema("The value for the field 'a.$' must be a valid JSONPath or a valid intrinsic "
               "function call",
               "/States/S/Parameters"));
  CHECK(CreateError(Machine(R"("S":{"Type":"Pass","ResultPath":"x","End":true})")) ==
        Schema("The value for the field 'ResultPath' must be a valid JSONPath",
               "/States/S/ResultPath"));
  CHECK(
      OnlyDiagnostic(Machine(R"("S":{"Type":"Pass","ResultPath":"$.a[*]","End":true})")).location ==
      "/States/S/ResultPath");
  CHECK(OnlyDiagnostic(Machine(R"("S":{"Type":"Pass","InputPath":"$$$","End":true})")).message ==
        "The value for the field 'InputPath' must be a valid JSONPath");
}

TEST_CASE("Wait accepts exactly one of its four fields", "[validate]") {
  CHECK_FALSE(ValidateDefinition(Machine(R"("S":{"Type":"Wait","End":true})")).empty());
  CHECK_FALSE(ValidateDefinition(
                  Machine(R"("S":{"Type":"Wait","Seconds":1,"SecondsPath":"$.s","End":true})"))
                  .empty());
  CHECK_FALSE(
      ValidateDefinition(Machine(R"("S":{"Type":"Wait","Seconds":-1,"End":true})")).empty());
}

TEST_CASE("Wait timestamps need RFC 3339 with uppercase T and Z", "[validate]") {
  for (const char* ts : {"2016-03-14t01:59:00Z", "2016-03-14T01:59:00z", "2016-03-14 01:59:00Z",
                         "2016-03-14T01:59:00", "2016-13-14T01:59:00Z", "yesterday"}) {
    INFO(ts);
    CHECK(OnlyDiagnostic(
              Machine(std::string(R"("S":{"Type":"Wait","Timestamp":")") + ts + R"(","End":true})"))
              .location == "/States/S/Timestamp");
  }
  CHECK(
      ValidateDefinition(
          Machine(R"("S":{"Type":"Wait","Timestamp":"2016-03-14T01:59:00.123+05:30","End":true})"))
          .empty());
}

TEST_CASE("Retrier fields are range-checked", "[validate]") {
  auto retry = [](const std::string& retrier) {
    return ValidateDefinition(Machine(
        R"("S":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,"Retry":[)" +
        retrier + "]}"));
  };
  CHECK(
      retry(
          R"({"ErrorEquals":["A"],"IntervalSeconds":1,"MaxAttempts":0,"BackoffRate":1.0,"MaxDelaySeconds":1,"JitterStrategy":"NONE"})")
          .empty());
  CHECK(retry(R"({"ErrorEquals":["A"],"IntervalSeconds":0})").at(0).location ==
        "/States/S/Retry[0]/IntervalSeconds");
  CHECK(retry(R"({"ErrorEquals":["A"],"MaxAttempts":-1})").size() == 1);
  CHECK(retry(R"({"ErrorEquals":["A"],"BackoffRate":0.5})").size() == 1);
  CHECK(retry(R"({"ErrorEquals":["A"],"MaxDelaySeconds":0})").size() == 1);
  CHECK(retry(R"({"ErrorEquals":["A"],"JitterStrategy":"HALF"})").at(0).message ==
        "Value should be one of the following: [FULL, NONE]");
  CHECK(retry(R"({"IntervalSeconds":1})").at(0).message ==
        "These fields are required: [ErrorEquals]");
  CHECK(retry(R"({"ErrorEquals":[]})").size() == 1);
}

TEST_CASE("States.ALL must be alone and in the last retrier or catcher", "[validate]") {
  auto task = [](const std::string& field) {
    return ValidateDefinition(
        Machine(R"("S":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,)" +
                field + R"(},"F":{"Type":"Fail"})"));
  };
  // Schema errors come alone: the unreachable "F" is not reported on top.
  CHECK(task(R"("Retry":[{"ErrorEquals":["States.ALL","X"]}])").size() == 1);
  CHECK(task(R"("Retry":[{"ErrorEquals":["States.ALL"]},{"ErrorEquals":["X"]}])").size() == 1);
  CHECK(
      task(
          R"("Catch":[{"ErrorEquals":["States.ALL"],"Next":"F"},{"ErrorEquals":["X"],"Next":"F"}])")
          .size() == 1);
  CHECK(
      task(
          R"("Catch":[{"ErrorEquals":["X"],"Next":"F"},{"ErrorEquals":["States.ALL"],"Next":"F"}])")
          .empty());
}

TEST_CASE("Choice rules need exactly one operator with the right operand type", "[validate]") {
  auto choice = [](const std::string& rule) {
    return ValidateDefinition(
        Machine(R"("S":{"Type":"Choice","Choices":[)" + rule + R"(]},"N":{"Type":"Succeed"})"));
  };
  CHECK(choice(R"({"Variable":"$.a","StringEquals":"x","Next":"N"})").empty());
  CHECK(choice(R"({"Variable":"$.a","StringEquals":1,"Next":"N"})").at(0).message ==
        "Expected value of type [STRING]");
  CHECK(choice(R"({"Variable":"$.a","NumericEquals":"1","Next":"N"})").at(0).message ==
        "Expected value of type [NUMBER]");
  CHECK(choice(R"({"Variable":"$.a","IsNull":"true","Next":"N"})").at(0).message ==
        "Expected value of type [BOOLEAN]");
  CHECK(choice(R"({"Variable":"$.a","BooleanEquals":1,"Next":"N"})").size() == 1);
  CHECK(choice(R"({"Variable":"$.a","TimestampEquals":"2016-03-14","Next":"N"})").at(0).location ==
        "/States/S/Choices[0]/TimestampEquals");
  CHECK(choice(R"({"Variable":"$.a","StringEqualsPath":"nope","Next":"N"})").size() == 1);
  CHECK(choice(R"({"Variable":"$.a","Next":"N"})").size() == 1);
  CHECK(choice(R"({"Variable":"$.a","IsNull":true,"IsString":true,"Next":"N"})").size() == 1);
  CHECK(choice(R"({"Variable":"$.a","IsNull":true})").at(0).message ==
        "These fields are required: [Next]");
  CHECK(choice(R"({"IsNull":true,"Next":"N"})").at(0).message ==
        "These fields are required: [Variable]");
  CHECK(choice(R"({"And":[],"Next":"N"})").size() == 1);
  CHECK(choice(R"({"Not":[{"Variable":"$.a","IsNull":true}],"Next":"N"})").size() == 1);
  CHECK(
      choice(R"({"Or":[{"Variable":"$.a","IsNull":true,"Next":"N"}],"Next":"N"})").at(0).message ==
      "Field 'Next' is not supported");
  CHECK(choice(R"({"Variable":"$.a","StringMatches":"a*","Next":"N","Condition":"{% true %}"})")
            .size() == 1);
}

TEST_CASE("Choice states need non-empty Choices", "[validate]") {
  CHECK(OnlyDiagnostic(Machine(R"("S":{"Type":"Choice","Choices":[]})")).message ==
        "The field 'Choices' should be non-empty");
}

TEST_CASE("Map fields of distributed mode are rejected inline", "[validate]") {
  Diagnostic d = OnlyDiagnostic(Machine(
      R"("S":{"Type":"Map","End":true,"ItemReader":{"Resource":"arn:aws:states:::s3:getObject"},
      "ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Succeed"}}}})"));
  CHECK(d.message == "Field 'ItemReader' is not supported");
  CHECK(OnlyDiagnostic(Machine(R"("S":{"Type":"Map","End":true,"MaxConcurrency":-1,
      "ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Succeed"}}}})"))
            .location == "/States/S/MaxConcurrency");
  CHECK(OnlyDiagnostic(Machine(R"("S":{"Type":"Map","End":true})")).message ==
        "These fields are required: [ItemProcessor]");
}

TEST_CASE("state names are limited to 80 characters and unique", "[validate]") {
  std::string name81(81, 'n');
  Diagnostic d = OnlyDiagnostic(Machine("\"" + name81 + R"(":{"Type":"Succeed"})", name81));
  CHECK(d.code == "INVALID_STATE_NAME");
  CHECK(d.location == "/States/" + name81);
  Diagnostic dup = OnlyDiagnostic(Machine(R"("S":{"Type":"Parallel","End":true,"Branches":[
      {"StartAt":"S","States":{"S":{"Type":"Succeed"}}}]})"));
  CHECK(dup.code == "DUPLICATE_STATE_NAME");
  CHECK(dup.message == "Duplicate State name: S");
  CHECK(dup.location == "/States/S/Branches[0]/States/S");
}

TEST_CASE("hostile JSON is rejected cleanly", "[validate][edge]") {
  std::string deep(200000, '[');
  CHECK(OnlyDiagnostic(deep).code == "INVALID_JSON_DESCRIPTION");
  std::string deep_closed = std::string(100000, '[') + std::string(100000, ']');
  CHECK(OnlyDiagnostic(deep_closed).code == "INVALID_JSON_DESCRIPTION");
  CHECK(OnlyDiagnostic(R"({"StartAt":"S","States":{)").code == "INVALID_JSON_DESCRIPTION");
  CHECK(OnlyDiagnostic(std::string("{\"a\":\0}", 7)).code == "INVALID_JSON_DESCRIPTION");
  CHECK(OnlyDiagnostic("{\"StartAt\":\"S\",}").code == "INVALID_JSON_DESCRIPTION");
  std::string big_garbage(600, 'x');
  Diagnostic d = OnlyDiagnostic(big_garbage);
  CHECK(d.location.find("[truncated 100 chars]") != std::string::npos);
  // Deep but legal nesting inside a Pass Result stays a value.
  std::string result = std::string(300, '[') + std::string(300, ']');
  CHECK(ValidateDefinition(Machine(R"("S":{"Type":"Pass","End":true,"Result":)" + result + "}"))
            .empty());
  // Choice rules nested deeply are parsed without trouble.
  std::string rule = R"({"Variable":"$.a","IsNull":true})";
  for (int i = 0; i < 120; ++i) rule = R"({"Not":)" + rule + "}";
  rule.insert(rule.size() - 1, R"(,"Next":"N")");
  CHECK(ValidateDefinition(
            Machine(R"("S":{"Type":"Choice","Choices":[)" + rule + R"(]},"N":{"Type":"Succeed"})"))
            .empty());
}

TEST_CASE("several problems are all reported", "[validate]") {
  auto diagnostics = ValidateDefinition(Machine(
      R"("S":{"Type":"Pass","Comment":1,"Foo":2,"Next":"T"},"T":{"Type":"Task","End":true})"));
  CHECK(diagnostics.size() == 3);
}

}  // namespace stepline::asl

namespace stepline::asl {

TEST_CASE("malformed JSON names what Jackson expected", "[validate][json]") {
  Diagnostic value = OnlyDiagnostic(R"({"a":})");
  CHECK(
      value.message ==
      "Unexpected character ('}' (code 125)): expected a value\n at [Source: (String)\"{\"a\":}\"; "
      "line: 1, column: 7]");
  CHECK(OnlyDiagnostic(R"({"a":1,})")
            .message.rfind("Unexpected character ('}' (code 125)): was expecting double-quote to "
                           "start field name",
                           0) == 0);
  CHECK(
      OnlyDiagnostic(R"([1 2])")
          .message.rfind(
              "Unexpected character ('2' (code 50)): was expecting comma to separate Array entries",
              0) == 0);
  CHECK(
      OnlyDiagnostic(R"({"a" 1})")
          .message.rfind(
              "Unexpected character ('1' (code 49)): was expecting a colon to separate field name "
              "and value",
              0) == 0);
  Diagnostic eof = OnlyDiagnostic("{\"StartAt\":\n[1,");
  CHECK(eof.message ==
        "Unexpected end-of-input: expected close marker for Array (start marker at [Source: "
        "(String)\"{\"StartAt\":\n[1,\"; line: 2, column: 1])\n at [Source: "
        "(String)\"{\"StartAt\":\n[1,\"; "
        "line: 2, column: 4]");
}

}  // namespace stepline::asl

namespace stepline::asl {

TEST_CASE("a dangling Next without any terminal state gives both graph diagnostics", "[validate]") {
  auto diagnostics = ValidateDefinition(Machine(R"("A":{"Type":"Pass","Next":"NOPE"})", "A"));
  REQUIRE(diagnostics.size() == 2);
  CHECK(diagnostics[0].code == "MISSING_TRANSITION_TARGET");
  CHECK(diagnostics[0].message == "Missing 'Next' target: NOPE");
  CHECK(diagnostics[0].location == "/States/A/Next");
  CHECK(diagnostics[1].code == "MISSING_END_STATE");
  CHECK(diagnostics[1].location.empty());
}

TEST_CASE("a loop with an unreachable terminal state reports only the unreachable state",
          "[validate]") {
  Diagnostic d = OnlyDiagnostic(Machine(
      R"("A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","Next":"A"},"C":{"Type":"Pass","End":true})",
      "A"));
  CHECK(d.message == "State \"C\" is not reachable.");
  CHECK(d.location == "/States/C");
}

}  // namespace stepline::asl

namespace stepline::asl {

TEST_CASE("mutated definitions never crash the validator", "[validate][edge]") {
  const std::string seed = R"js({"Comment":"all","StartAt":"P","States":{
    "P":{"Type":"Pass","Parameters":{"a.$":"States.Format('{}', $.x)"},"ResultPath":"$.r","Next":"T"},
    "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","TimeoutSeconds":5,
         "Retry":[{"ErrorEquals":["States.ALL"],"MaxAttempts":1}],
         "Catch":[{"ErrorEquals":["States.ALL"],"Next":"F"}],"Next":"C"},
    "C":{"Type":"Choice","Choices":[{"And":[{"Variable":"$.a","NumericGreaterThan":1},
         {"Not":{"Variable":"$.b","StringMatches":"x\\*"}}],"Next":"W"}],"Default":"M"},
    "W":{"Type":"Wait","Timestamp":"2016-03-14T01:59:00Z","Next":"M"},
    "M":{"Type":"Map","ItemsPath":"$.items","ItemProcessor":{"StartAt":"I","States":{
         "I":{"Type":"Parallel","Branches":[{"StartAt":"B","States":{"B":{"Type":"Succeed"}}}],
              "End":true}}},"Next":"J"},
    "J":{"Type":"Pass","QueryLanguage":"JSONata","Output":"{% $states.input %}","End":true},
    "F":{"Type":"Fail","Error":"E","CausePath":"$.c"}}})js";
  REQUIRE(ValidateDefinition(seed).empty());
  const std::string alphabet = "{}[]\",:$.*\\ 0aZ{%}";
  uint32_t state = 12345;
  auto next = [&state] {
    state = state * 1103515245u + 12345u;
    return state >> 8;
  };
  for (int round = 0; round < 3000; ++round) {
    std::string text = seed;
    int edits = 1 + static_cast<int>(next() % 4);
    for (int e = 0; e < edits && !text.empty(); ++e) {
      size_t at = next() % text.size();
      switch (next() % 3) {
        case 0:
          text[at] = alphabet[next() % alphabet.size()];
          break;
        case 1:
          text.erase(at, 1 + next() % 8);
          break;
        default:
          text.insert(at, 1, alphabet[next() % alphabet.size()]);
          break;
      }
    }
    CHECK_NOTHROW(ValidateDefinition(text));
    CHECK_NOTHROW(ParseDefinition(text));
  }
}

}  // namespace stepline::asl
