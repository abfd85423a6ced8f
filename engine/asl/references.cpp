#include "engine/asl/references.h"

#include <set>

namespace stepline::asl {
namespace {

using Names = std::set<std::string>;

void AddPath(const jsonpath::Path& path, Names& out) {
  if (path.root() == jsonpath::Path::Root::kVariable) out.insert(path.variable());
}

void AddPath(const std::optional<jsonpath::Path>& path, Names& out) {
  if (path) AddPath(*path, out);
}

void AddPath(const OptionalPath& path, Names& out) {
  if (path.kind == OptionalPath::Kind::kPath) AddPath(path.path, out);
}

void Add(const std::optional<jsonpath::PayloadTemplate>& t, Names& out) {
  if (!t) return;
  for (auto& name : t->ReferencedVariables()) out.insert(name);
}

void Add(const std::optional<jsonata::Template>& t, Names& out) {
  if (!t) return;
  for (auto& name : t->ReferencedVariables()) {
    if (name != "states") out.insert(name);
  }
}

void Add(const std::optional<jsonpath::ValueExpr>& expr, Names& out) {
  if (!expr) return;
  // A one-entry template yields the expression's references.
  auto compiled = jsonpath::PayloadTemplate::Compile(Json{{"v.$", expr->text()}});
  if (compiled.ok()) Add(std::optional<jsonpath::PayloadTemplate>(compiled.value()), out);
}

void Add(const Assign& assign, Names& out) {
  Add(assign.jsonpath, out);
  Add(assign.jsonata, out);
}

void Add(const DynamicNumber& number, Names& out) {
  AddPath(number.path, out);
  Add(number.jsonata, out);
}

void AddRule(const ChoiceRule& rule, Names& out) {
  if (rule.op != ChoiceOp::kAnd && rule.op != ChoiceOp::kOr && rule.op != ChoiceOp::kNot &&
      rule.op != ChoiceOp::kCondition) {
    AddPath(rule.variable, out);
  }
  AddPath(rule.operand_path, out);
  Add(rule.condition, out);
  Add(rule.assign, out);
  Add(rule.output, out);
  for (const auto& child : rule.children) AddRule(child, out);
}

void AddSpec(const State& state, Names& out);

void AddCommon(const State& state, Names& out) {
  AddPath(state.input_path, out);
  AddPath(state.output_path, out);
  Add(state.parameters, out);
  Add(state.result_selector, out);
  Add(state.arguments, out);
  Add(state.output, out);
  Add(state.assign, out);
  for (const auto& c : state.catchers) {
    Add(c.output, out);
    Add(c.assign, out);
  }
  AddSpec(state, out);
}

void AddMap(const MapSpec& map, Names& out) {
  AddPath(map.items_path, out);
  Add(map.items, out);
  Add(map.item_selector, out);
  Add(map.item_selector_jsonata, out);
  Add(map.max_concurrency, out);
  Add(map.tolerated_failure_count, out);
  Add(map.tolerated_failure_percentage, out);
  if (map.item_reader) {
    Add(map.item_reader->parameters_jsonpath, out);
    Add(map.item_reader->arguments_jsonata, out);
    Add(map.item_reader->max_items, out);
  }
  if (map.batcher) {
    Add(map.batcher->max_items_per_batch, out);
    Add(map.batcher->max_input_bytes_per_batch, out);
    Add(map.batcher->batch_input, out);
    Add(map.batcher->batch_input_jsonata, out);
  }
  if (map.writer) {
    Add(map.writer->parameters, out);
    Add(map.writer->arguments, out);
  }
}

void AddSpec(const State& state, Names& out) {
  if (const auto* task = std::get_if<TaskSpec>(&state.spec)) {
    Add(task->credentials, out);
    Add(task->credentials_jsonata, out);
    Add(task->timeout_seconds, out);
    Add(task->heartbeat_seconds, out);
  } else if (const auto* choice = std::get_if<ChoiceSpec>(&state.spec)) {
    for (const auto& rule : choice->choices) AddRule(rule, out);
  } else if (const auto* wait = std::get_if<WaitSpec>(&state.spec)) {
    if (wait->kind == WaitSpec::Kind::kSecondsPath ||
        wait->kind == WaitSpec::Kind::kTimestampPath) {
      AddPath(wait->path, out);
    }
    Add(wait->jsonata, out);
  } else if (const auto* fail = std::get_if<FailSpec>(&state.spec)) {
    Add(fail->error_path, out);
    Add(fail->cause_path, out);
    Add(fail->error_jsonata, out);
    Add(fail->cause_jsonata, out);
  } else if (const auto* map = std::get_if<MapSpec>(&state.spec)) {
    AddMap(*map, out);
  }
}

void Collect(const Program& program, std::map<std::string, std::vector<std::string>>& out) {
  for (const State& state : program.states) {
    Names names;
    AddCommon(state, names);
    if (!names.empty()) out[state.name] = std::vector<std::string>(names.begin(), names.end());
    if (const auto* parallel = std::get_if<ParallelSpec>(&state.spec)) {
      for (const auto& branch : parallel->branches) Collect(*branch, out);
    } else if (const auto* map = std::get_if<MapSpec>(&state.spec)) {
      if (map->processor) Collect(*map->processor, out);
    }
  }
}

}  // namespace

std::map<std::string, std::vector<std::string>> VariableReferences(const StateMachine& machine) {
  std::map<std::string, std::vector<std::string>> out;
  Collect(machine.root, out);
  return out;
}

}  // namespace stepline::asl
