// variableReferences, checked against AWS's recorded DescribeStateMachine answers.
#include <catch2/catch.hpp>

#include "engine/asl/parser.h"
#include "engine/asl/references.h"

namespace stepline::asl {
namespace {

using Refs = std::map<std::string, std::vector<std::string>>;

Refs Of(const std::string& text) {
  auto machine = ParseDefinition(text);
  INFO(machine.status().message());
  REQUIRE(machine.ok());
  return VariableReferences(**machine);
}

}  // namespace

TEST_CASE("variable references ignore literals and list paths per state", "[references]") {
  CHECK(Of(R"({"StartAt":"State0","States":{
      "State0":{"Type":"Pass","Parameters":{"result":"$result"},"Assign":{"result":"foobar"},"Next":"State1"},
      "State1":{"Type":"Pass","ResultPath":"$.result","Parameters":{"result.$":"$result"},"End":true}}})") ==
        Refs{{"State1", {"result"}}});
}

TEST_CASE("variable references come from Choice rules and Assign", "[references]") {
  CHECK(Of(R"({"StartAt":"Setup","States":{
      "Setup":{"Type":"Pass","Assign":{"guess":"the_guess","answer":"the_answer"},"Next":"CheckAnswer"},
      "CheckAnswer":{"Type":"Choice","Choices":[{"Variable":"$guess","StringEqualsPath":"$answer",
                     "Next":"CorrectAnswer"}],"Default":"WrongAnswer"},
      "CorrectAnswer":{"Type":"Pass","Result":{"state":"CORRECT"},"End":true},
      "WrongAnswer":{"Type":"Pass","Assign":{"guess.$":"$answer"},"Result":{"state":"WRONG"},
                     "Next":"CheckAnswer"}}})") ==
        Refs{{"CheckAnswer", {"answer", "guess"}}, {"WrongAnswer", {"answer"}}});
}

TEST_CASE("variable references come from Wait paths", "[references]") {
  CHECK(Of(R"({"StartAt":"Start","States":{
      "Start":{"Type":"Pass","Assign":{"waitTime":0,"startAt":"2016-03-14T01:59:00Z"},"Next":"WaitSecondsState"},
      "WaitSecondsState":{"Type":"Wait","SecondsPath":"$waitTime","Next":"WaitUntilState"},
      "WaitUntilState":{"Type":"Wait","TimestampPath":"$startAt","End":true}}})") ==
        Refs{{"WaitSecondsState", {"waitTime"}}, {"WaitUntilState", {"startAt"}}});
}

TEST_CASE("variable references of nested Map states are keyed by state name", "[references]") {
  std::string summate =
      R"js("Summate":{"Type":"Pass","Assign":{"Sum.$":"States.MathAdd(States.MathAdd(States.MathAdd($yCurrent, $xCurrent), $zCurrent), $bias)"},"End":true})js";
  CHECK(Of(R"({"StartAt":"Input","States":{
      "Input":{"Type":"Pass","Result":[[9,44,6]],"Assign":{"bias":4.3},"Next":"IterateLevels"},
      "IterateLevels":{"Type":"Map","MaxConcurrency":1,"ItemProcessor":{
        "ProcessorConfig":{"Mode":"INLINE"},"StartAt":"AssignCurrentVector","States":{
          "AssignCurrentVector":{"Type":"Pass","Assign":{"xCurrent.$":"$[0]","yCurrent.$":"$[1]",
                                 "zCurrent.$":"$[2]"},"Next":"Calculate"},
          "Calculate":{"Type":"Map","MaxConcurrency":1,"ItemProcessor":{
            "ProcessorConfig":{"Mode":"INLINE"},"StartAt":"Summate","States":{)" +
           summate + R"(}},"End":true}}},"End":true}}})") ==
        Refs{{"Summate", {"bias", "xCurrent", "yCurrent", "zCurrent"}}});
}

TEST_CASE("JSONata references exclude $states", "[references]") {
  CHECK(Of(R"({"QueryLanguage":"JSONata","StartAt":"S","States":{
      "S":{"Type":"Pass","Assign":{"a":1},"Next":"T"},
      "T":{"Type":"Pass","Output":"{% $a & $states.input.x %}","End":true}}})") ==
        Refs{{"T", {"a"}}});
}

}  // namespace stepline::asl

namespace stepline::asl {

TEST_CASE("variable references come from Fail ErrorPath and CausePath", "[references]") {
  CHECK(Of(R"({"StartAt":"Pass","States":{
      "Pass":{"Type":"Pass","Assign":{"errorVar":"Exception","causeVar":"An Exception"},"Next":"Fail"},
      "Fail":{"Type":"Fail","CausePath":"$causeVar","ErrorPath":"$errorVar"}}})") ==
        Refs{{"Fail", {"causeVar", "errorVar"}}});
}

TEST_CASE("a machine reading no variables has no references", "[references]") {
  CHECK(Of(R"({"StartAt":"State0","States":{
      "State0":{"Type":"Pass","Parameters":{"input":"PENDING"},"Assign":{"result.$":"$.input"},"End":true}}})")
            .empty());
}

}  // namespace stepline::asl
