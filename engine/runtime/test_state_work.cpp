// TestState of the states whose work is mocked: Task, Map and Parallel (see
// test_state.h). Their own data flow runs (Parameters/Arguments, ItemsPath,
// ItemSelector, ToleratedFailure*, ResultSelector, ResultPath, OutputPath,
// Output, Assign); the mock stands for what the service or the iterations
// and branches would have produced.
#include <algorithm>

#include "engine/runtime/dataflow.h"
#include "engine/runtime/map_items.h"
#include "engine/runtime/test_state_run.h"
#include "engine/states_error.h"

namespace stepline::runtime::test_state {
namespace {

std::optional<double> NumberFromJson(const Json& v) {
  if (v.is_number()) return v.get<double>();
  if (!v.is_string()) return std::nullopt;
  try {
    size_t used = 0;
    double d = std::stod(v.get<std::string>(), &used);
    if (used == v.get<std::string>().size()) return d;
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

}  // namespace

std::optional<double> Run::Number(const asl::DynamicNumber& n, const std::string& field,
                                  const Json& effective) const {
  if (n.literal) return n.literal;
  Json v;
  std::string source;
  if (n.jsonata) {
    v = Ata(*n.jsonata, field);
    source = n.jsonata->expression_text();
  } else if (n.path) {
    v = SelectRequired(*n.path, effective, Ctx(effective));
    source = n.path->text();
  } else {
    return std::nullopt;
  }
  if (std::optional<double> d = NumberFromJson(v)) return d;
  throw StatesException(errors::kRuntime, "The value of " + field + " ('" + source +
                                              "') must be a number, but was: " + DumpJson(v));
}

void Run::ThrowMockError() const {
  const TestStateMock& mock = *req.mock;
  if (!mock.result) throw StatesException({mock.error.value_or(""), mock.cause, std::nullopt});
}

void Run::Complete(const Json& result) {
  Inspect("result", result);
  if (jsonata()) {
    Json assigned = EvalAssign(state.assign, req.input, &result);
    Json output = state.output ? Ata(*state.output, "Output", &result) : result;
    return Finish(std::move(output), state.next, assigned);
  }
  Json selected = state.result_selector ? state.result_selector->Evaluate(Ctx(result)) : result;
  Inspect("afterResultSelector", selected);
  Json assigned = EvalAssign(state.assign, selected);
  FinishWithResultPath(std::move(selected), assigned);
}

void Run::FinishWithResultPath(Json result, const Json& assigned) {
  Json merged = ApplyResultPathAndOutputPath(state.result_path, asl::OptionalPath{}, req.input,
                                             std::move(result), Ctx(req.input));
  Inspect("afterResultPath", merged);
  Finish(ApplyOutputPath(state.output_path, std::move(merged), Ctx(req.input)), state.next,
         assigned);
}

// Task and Parallel with a mock: their input steps, then the mock as the
// state's whole result.
void Run::Mocked() {
  if (jsonata()) {
    Inspect("afterArguments", state.arguments ? Ata(*state.arguments, "Arguments") : req.input);
  } else {
    Inspect("afterParameters", ApplyInputPathAndParameters(state.input_path, state.parameters,
                                                           req.input, Ctx(req.input)));
  }
  ThrowMockError();
  Complete(*req.mock->result);
}

// The items: mapItemReaderData for a Map with an ItemReader, else ItemsPath
// (JSONPath) or Items (JSONata) over the input.
Json Run::MapItems(const Json& effective) const {
  const auto& spec = state.as<asl::MapSpec>();
  if (spec.item_reader && req.config.map_item_reader_data) {
    const Json& data = *req.config.map_item_reader_data;
    Json items = data.is_string() ? map_items::ParseObject(data.get<std::string>(),
                                                           spec.item_reader->reader_config)
                                  : data;
    return map_items::LimitItems(std::move(items),
                                 Number(spec.item_reader->max_items, "MaxItems", effective));
  }
  Json items = effective;
  std::string where = "$";
  if (jsonata() && spec.items) {
    items = Ata(*spec.items, "Items");
    where = spec.items->is_expression() ? spec.items->expression_text()
                                        : DumpJson(spec.items->source());
  } else if (spec.items_path.kind == asl::OptionalPath::Kind::kPath) {
    items = SelectRequired(spec.items_path.path, effective, Ctx(effective));
    where = spec.items_path.path.text();
  }
  if (items.is_array()) return items;
  if (jsonata()) {
    throw StatesException({errors::kQueryEvaluationError,
                           jsonata::UnexpectedTypeCause(where, "Items", "array", items), "Items"});
  }
  throw StatesException(errors::kRuntime,
                        "Invalid path '" + where + "': The ItemsPath value must be an array");
}

// Each item as its iteration would see it, through ItemSelector with $$.Map.Item.
Json Run::SelectItems(const Json& items, const Json& effective) {
  const auto& spec = state.as<asl::MapSpec>();
  Json selected = Json::array();
  const Json saved = context;
  for (size_t i = 0; i < items.size(); ++i) {
    context["Map"] = {{"Item", {{"Index", i}, {"Value", items[i]}}}};
    if (spec.item_selector_jsonata) {
      selected.push_back(Ata(*spec.item_selector_jsonata, "ItemSelector"));
    } else {
      selected.push_back(spec.item_selector->Evaluate(Ctx(effective)));
    }
  }
  context = saved;
  return selected;
}

// mapIterationFailureCount against ToleratedFailureCount/Percentage (neither
// given: no failure is tolerated).
void Run::CheckTolerance(size_t items, const Json& effective) const {
  const auto& spec = state.as<asl::MapSpec>();
  auto count = Number(spec.tolerated_failure_count, "ToleratedFailureCount", effective);
  auto percentage =
      Number(spec.tolerated_failure_percentage, "ToleratedFailurePercentage", effective);
  const auto failed = static_cast<double>(req.config.map_iteration_failure_count);
  bool exceeded = failed > 0 && !count && !percentage;
  if (count && failed > *count) exceeded = true;
  double total = static_cast<double>(std::max<size_t>(items, 1));
  if (percentage && failed * 100.0 > *percentage * total) exceeded = true;
  if (exceeded) {
    throw StatesException(errors::kExceedToleratedFailureThreshold,
                          "The specified tolerated failure threshold was exceeded");
  }
}

void Run::Map() {
  const auto& spec = state.as<asl::MapSpec>();
  Json effective = jsonata() ? req.input
                             : ApplyInputPathAndParameters(state.input_path, std::nullopt,
                                                           req.input, Ctx(req.input));
  Json items = MapItems(effective);
  if (!jsonata()) Inspect("afterItemsPath", items);
  if (spec.item_selector || spec.item_selector_jsonata) {
    Inspect("afterItemSelector", SelectItems(items, effective));
  }
  auto put = [this](const char* field, std::optional<double> v, bool integer) {
    if (!v) return;
    out.inspection[field] = integer ? Json(static_cast<int64_t>(*v)) : Json(*v);
  };
  put("maxConcurrency", Number(spec.max_concurrency, "MaxConcurrency", effective), true);
  put("toleratedFailureCount",
      Number(spec.tolerated_failure_count, "ToleratedFailureCount", effective), true);
  put("toleratedFailurePercentage",
      Number(spec.tolerated_failure_percentage, "ToleratedFailurePercentage", effective), false);
  ThrowMockError();
  CheckTolerance(items.size(), effective);
  Complete(*req.mock->result);
}

}  // namespace stepline::runtime::test_state
