// The Amazon States Language model: a state machine definition parsed and
// validated once (asl::ParseDefinition, at CreateStateMachine /
// UpdateStateMachine) into immutable values. Execution never re-parses text:
// every path, intrinsic, payload template and JSONata expression is compiled
// here.
//
// A Program is one "StartAt + States" scope: the whole machine, a Parallel
// branch, or a Map's ItemProcessor/Iterator.
//
// Thread-safety: immutable after parsing; share freely (std::shared_ptr<const>).
// Invariants (established by the parser/validator):
//  - every Next/Default/StartAt/Catch.Next names a state of the same Program;
//  - non-terminal states have exactly one of Next/End (Choice has neither);
//  - fields of the other query language are absent (e.g. no InputPath in a
//    JSONata state, no Arguments in a JSONPath state).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include "common/json.h"
#include "engine/jsonata/jsonata.h"
#include "engine/jsonpath/path.h"
#include "engine/jsonpath/payload.h"
#include "engine/task/task_dispatch.h"

namespace stepline::asl {

enum class QueryLanguage { kJsonPath, kJsonata };

enum class StateType { kPass, kTask, kChoice, kWait, kSucceed, kFail, kParallel, kMap };

const char* StateTypeName(StateType type);  // "Pass", "Task", ...

// A JSONPath-mode path field that may be absent, explicitly null, or a path.
// InputPath/OutputPath null means "{}" / discard; ResultPath null means
// "discard the result, keep the input".
struct OptionalPath {
  enum class Kind { kAbsent, kNull, kPath };
  Kind kind = Kind::kAbsent;
  jsonpath::Path path;
};

// Assign: workflow variables set when a state (or choice rule, or catcher) completes.
struct Assign {
  std::optional<jsonpath::PayloadTemplate> jsonpath;  // JSONPath mode ("name.$": "...")
  std::optional<jsonata::Template> jsonata;           // JSONata mode
  bool empty() const { return !jsonpath && !jsonata; }
};

// A number given literally, through a JSONPath reference, or by a JSONata expression
// (TimeoutSeconds, HeartbeatSeconds, MaxConcurrency, ToleratedFailure*, Wait Seconds).
struct DynamicNumber {
  std::optional<double> literal;
  std::optional<jsonpath::Path> path;
  std::optional<jsonata::Template> jsonata;
  bool present() const { return literal || path || jsonata; }
};

struct Retrier {
  std::vector<std::string> error_equals;
  double interval_seconds = 1;
  int64_t max_attempts = 3;
  double backoff_rate = 2.0;
  std::optional<int64_t> max_delay_seconds;
  enum class Jitter { kNone, kFull } jitter = Jitter::kNone;
};

struct Catcher {
  std::vector<std::string> error_equals;
  std::string next;
  OptionalPath result_path;                 // JSONPath; absent means "$"
  std::optional<jsonata::Template> output;  // JSONata
  Assign assign;
};

// ---- Choice rules ----

enum class ChoiceOp {
  kAnd,
  kOr,
  kNot,
  kIsBoolean,
  kIsNull,
  kIsNumeric,
  kIsPresent,
  kIsString,
  kIsTimestamp,
  kBooleanEquals,
  kNumericEquals,
  kNumericGreaterThan,
  kNumericGreaterThanEquals,
  kNumericLessThan,
  kNumericLessThanEquals,
  kStringEquals,
  kStringGreaterThan,
  kStringGreaterThanEquals,
  kStringLessThan,
  kStringLessThanEquals,
  kStringMatches,
  kTimestampEquals,
  kTimestampGreaterThan,
  kTimestampGreaterThanEquals,
  kTimestampLessThan,
  kTimestampLessThanEquals,
  kCondition,  // JSONata "Condition"
};

struct ChoiceRule {
  ChoiceOp op = ChoiceOp::kAnd;
  // Comparison rules: Variable, and either a literal operand or a *Path operand.
  jsonpath::Path variable;
  Json operand;                                // literal (bool for Is*, number, string, ...)
  std::optional<jsonpath::Path> operand_path;  // the "...Path" operators
  std::vector<ChoiceRule> children;            // And / Or (n), Not (1)
  std::optional<jsonata::Template> condition;  // kCondition
  // Top-level rules only:
  std::string next;
  Assign assign;
  std::optional<jsonata::Template> output;  // JSONata
};

// ---- State-type specific parts ----

struct Program;

struct PassSpec {
  std::optional<Json> result;
};

struct TaskSpec {
  std::string resource;  // the Resource ARN as written
  // The Resource parsed once, at creation (integration, pattern, event
  // names); when it does not parse, `resource_error` says why and the state
  // fails with States.Runtime when it runs.
  std::optional<task::ResourceSpec> resource_spec;
  std::string resource_error;
  std::optional<jsonpath::PayloadTemplate> credentials;  // JSONPath
  std::optional<jsonata::Template> credentials_jsonata;
  DynamicNumber timeout_seconds;
  DynamicNumber heartbeat_seconds;
};

struct ChoiceSpec {
  std::vector<ChoiceRule> choices;
  std::string default_next;  // empty: none
};

struct WaitSpec {
  enum class Kind {
    kSeconds,
    kTimestamp,
    kSecondsPath,
    kTimestampPath,
    kSecondsJsonata,
    kTimestampJsonata
  };
  Kind kind = Kind::kSeconds;
  int64_t seconds = 0;
  int64_t timestamp_millis = 0;  // epoch ms (Timestamp)
  jsonpath::Path path;
  std::optional<jsonata::Template> jsonata;
};

struct FailSpec {
  std::optional<std::string> error;
  std::optional<std::string> cause;
  std::optional<jsonpath::ValueExpr> error_path;  // path or intrinsic
  std::optional<jsonpath::ValueExpr> cause_path;
  std::optional<jsonata::Template> error_jsonata;
  std::optional<jsonata::Template> cause_jsonata;
};

struct ParallelSpec {
  std::vector<std::shared_ptr<const Program>> branches;
};

struct ItemReaderSpec {
  std::string resource;
  Json parameters;  // raw; compiled forms below
  std::optional<jsonpath::PayloadTemplate> parameters_jsonpath;
  std::optional<jsonata::Template> arguments_jsonata;
  Json reader_config;  // InputType, CSVHeaderLocation, CSVHeaders, CSVDelimiter, MaxItems(+Path)...
  DynamicNumber max_items;  // ReaderConfig.MaxItems(+Path)
};

// Distributed Map ItemBatcher: numbers and BatchInput compiled.
struct ItemBatcherSpec {
  DynamicNumber max_items_per_batch;
  DynamicNumber max_input_bytes_per_batch;
  std::optional<jsonpath::PayloadTemplate> batch_input;  // JSONPath
  std::optional<jsonata::Template> batch_input_jsonata;  // JSONata
};

// Distributed Map ResultWriter: S3 destination (s3:putObject, Bucket and Prefix)
// and/or WriterConfig (how the results are shaped).
struct ResultWriterSpec {
  std::string resource;        // empty: the results only go to the state output
  std::string transformation;  // WriterConfig.Transformation: NONE | COMPACT | FLATTEN; "" absent
  std::string output_type = "JSON";                     // WriterConfig.OutputType: JSON | JSONL
  std::optional<jsonpath::PayloadTemplate> parameters;  // JSONPath
  std::optional<jsonata::Template> arguments;           // JSONata
};

struct MapSpec {
  std::shared_ptr<const Program> processor;                // ItemProcessor or legacy Iterator
  bool distributed = false;                                // ProcessorConfig.Mode == DISTRIBUTED
  std::string execution_type;                              // distributed: STANDARD | EXPRESS
  OptionalPath items_path;                                 // JSONPath
  std::optional<jsonata::Template> items;                  // JSONata "Items"
  std::optional<jsonpath::PayloadTemplate> item_selector;  // ItemSelector or legacy Parameters
  std::optional<jsonata::Template> item_selector_jsonata;
  DynamicNumber max_concurrency;
  DynamicNumber tolerated_failure_count;
  DynamicNumber tolerated_failure_percentage;
  std::optional<ItemReaderSpec> item_reader;
  std::optional<Json> item_batcher;   // distributed only, raw
  std::optional<Json> result_writer;  // distributed only, raw
  std::optional<ItemBatcherSpec> batcher;
  std::optional<ResultWriterSpec> writer;
  std::string label;
};

using StateSpec = std::variant<PassSpec, TaskSpec, ChoiceSpec, WaitSpec, std::monostate /*Succeed*/,
                               FailSpec, ParallelSpec, MapSpec>;

struct State {
  std::string name;
  StateType type = StateType::kPass;
  QueryLanguage query_language = QueryLanguage::kJsonPath;
  std::string comment;
  std::string next;  // empty when End (or Choice/Succeed/Fail)
  bool end = false;

  // JSONPath data flow.
  OptionalPath input_path;
  std::optional<jsonpath::PayloadTemplate> parameters;  // Pass/Task/Parallel (Map: in MapSpec)
  std::optional<jsonpath::PayloadTemplate> result_selector;
  OptionalPath result_path;
  OptionalPath output_path;

  // JSONata data flow.
  std::optional<jsonata::Template> arguments;
  std::optional<jsonata::Template> output;

  Assign assign;
  std::vector<Retrier> retry;
  std::vector<Catcher> catchers;

  StateSpec spec;

  template <typename T>
  const T& as() const {
    return std::get<T>(spec);
  }
};

struct Program {
  std::string start_at;
  std::string comment;
  QueryLanguage query_language = QueryLanguage::kJsonPath;
  std::vector<State> states;                      // in definition order
  std::unordered_map<std::string, size_t> index;  // name -> position in states

  const State* Find(const std::string& name) const {
    auto it = index.find(name);
    return it == index.end() ? nullptr : &states[it->second];
  }
};

struct StateMachine {
  Program root;
  std::optional<int64_t> timeout_seconds;  // whole-execution TimeoutSeconds
  std::string version;                     // "1.0" when given
  Json definition;                         // the parsed definition, as written
  // False when no expression can read the context object ("$$" in JSONPath,
  // "$states" beyond .input/.result/.errorOutput in JSONata): the
  // interpreter then builds no $$ at all.
  bool reads_context = true;
};

}  // namespace stepline::asl
