// Parallel and inline Map states: child frames, their events and results.
//
// previousEventId follows AWS: children start from the parent's cursor;
// MapIteration{Succeeded,Failed} do not advance it; when a child finishes
// the parent continues from the child's cursor; MapStateSucceeded and the
// following MapStateExited both point at the last MapIterationSucceeded.
#include <cmath>

#include "common/ids.h"
#include "engine/runtime/dataflow.h"
#include "engine/runtime/execution.h"
#include "engine/runtime/map_run.h"
#include "engine/runtime/scope.h"

namespace stepline::runtime {
namespace {

bool IsMap(const Frame& f) { return f.state->type == asl::StateType::kMap; }

Json IterationDetails(const Frame& parent, size_t index) {
  return {{"index", index}, {"name", parent.state->name}};
}

}  // namespace

void Execution::RunParallel(Frame& frame) {
  CompoundPart& c = frame.Compound();
  const asl::State& state = *frame.state;
  const auto& spec = state.as<asl::ParallelSpec>();
  Json context = ContextObject(frame, true);
  if (state.query_language == asl::QueryLanguage::kJsonata) {
    c.effective_input = state.arguments
                            ? EvalJsonata(frame, *state.arguments, "Arguments", nullptr, nullptr)
                            : frame.raw_input;
  } else {
    ExprContext ctx{&frame.raw_input, &context, nullptr};
    c.effective_input =
        ApplyInputPathAndParameters(state.input_path, state.parameters, frame.raw_input, ctx);
  }
  Emit(frame, "ParallelStateStarted", nullptr);
  c.children.clear();
  c.child_outputs.assign(spec.branches.size(), Json());
  c.children_done = 0;
  frame.block = Frame::Block::kChildren;
  for (size_t i = 0; i < spec.branches.size(); ++i) {
    Frame& child = NewFrame(frame.id, i, spec.branches[i].get());
    child.pending = child.program->Find(child.program->start_at);
    child.raw_input = c.effective_input;
    c.children.push_back(child.id);
    Schedule(child.id);
  }
  if (spec.branches.empty()) CompleteCompound(frame);
}

namespace {

std::string ValueText(const Json& v) { return v.is_string() ? v.get<std::string>() : DumpJson(v); }

[[noreturn]] void NotA(const std::string& field, const Json& v, const char* kind,
                       const jsonpath::Path& path) {
  throw StatesException(errors::kRuntime, "The " + field + " field refers to value \"" +
                                              ValueText(v) + "\" which is not a valid " + kind +
                                              ": " + path.text());
}

// AWS reads these fields as Java does: numbers, or strings holding one.
std::optional<double> NumberFromText(const std::string& text, bool integer) {
  if (text.empty()) return std::nullopt;
  size_t used = 0;
  try {
    double d = integer ? static_cast<double>(std::stoll(text, &used)) : std::stod(text, &used);
    if (used != text.size()) return std::nullopt;
    return d;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

bool IsInteger(const Json& v) {
  return v.is_number_integer() || (v.is_number_float() && std::isfinite(v.get<double>()) &&
                                   std::floor(v.get<double>()) == v.get<double>());
}

}  // namespace

// A Map's number fields (MaxConcurrency, ToleratedFailure*): literal, path
// or JSONata; `integer` selects AWS's integer or float check for paths.
std::optional<double> Execution::MapNumber(const Frame& frame, const asl::DynamicNumber& number,
                                           const std::string& field, bool integer) {
  if (number.literal) return number.literal;
  if (number.jsonata) {
    Json v = EvalJsonata(frame, *number.jsonata, field, nullptr, nullptr);
    if (!v.is_number()) {
      throw StatesException(
          {errors::kQueryEvaluationError,
           jsonata::UnexpectedTypeCause(number.jsonata->expression_text(), field, "number", v),
           field});
    }
    return v.get<double>();
  }
  if (!number.path) return std::nullopt;
  Json context = ContextObject(frame, true);
  FrameScope scope(frames_, frame.id, nullptr);
  ExprContext ctx{&frame.raw_input, &context, &scope};
  Json v = SelectRequired(*number.path, frame.raw_input, ctx);
  if (v.is_string()) {
    if (std::optional<double> d = NumberFromText(v.get<std::string>(), integer)) return d;
  } else if (v.is_number() && (!integer || IsInteger(v))) {
    return v.get<double>();
  }
  NotA(field + "Path", v, integer ? "integer" : "float", *number.path);
}

Json Execution::MapItems(Frame& frame) {
  CompoundPart& c = frame.Compound();
  const asl::State& state = *frame.state;
  const auto& spec = state.as<asl::MapSpec>();
  Json context = ContextObject(frame, true);
  FrameScope scope(frames_, frame.id, nullptr);
  ExprContext ctx{&frame.raw_input, &context, &scope};
  if (state.query_language == asl::QueryLanguage::kJsonata) {
    c.effective_input = frame.raw_input;
    if (!spec.items) {
      if (!frame.raw_input.is_array()) {
        throw StatesException(
            {errors::kQueryEvaluationError,
             "Map state input must be an array but was: " + DumpJson(frame.raw_input),
             std::nullopt});
      }
      return frame.raw_input;
    }
    Json items = EvalJsonata(frame, *spec.items, "Items", nullptr, nullptr);
    if (!items.is_array()) {
      std::string expr = spec.items->is_expression() ? spec.items->expression_text()
                                                     : DumpJson(spec.items->source());
      throw StatesException({errors::kQueryEvaluationError,
                             jsonata::UnexpectedTypeCause(expr, "Items", "array", items), "Items"});
    }
    return items;
  }
  c.effective_input =
      ApplyInputPathAndParameters(state.input_path, std::nullopt, frame.raw_input, ctx);
  bool has_path = spec.items_path.kind == asl::OptionalPath::Kind::kPath;
  Json items =
      has_path ? SelectRequired(spec.items_path.path, c.effective_input, ctx) : c.effective_input;
  if (!items.is_array()) {
    throw StatesException(errors::kRuntime,
                          "Invalid path '" +
                              (has_path ? spec.items_path.path.text() : std::string("$")) +
                              "': The ItemsPath value must be an array");
  }
  return items;
}

void Execution::RunMap(Frame& frame) {
  CompoundPart& c = frame.Compound();
  const auto& spec = frame.state->as<asl::MapSpec>();
  bool reader = spec.distributed && spec.item_reader;
  Json items = reader ? MapRunStep::ReaderInput(*this, frame) : MapItems(frame);
  c.max_concurrency = 0;
  if (std::optional<double> n = MapNumber(frame, spec.max_concurrency, "MaxConcurrency", true)) {
    if (*n < 0) {
      throw StatesException(errors::kRuntime,
                            "MaxConcurrencyPath must resolve to a non-negative integer");
    }
    c.max_concurrency = static_cast<size_t>(*n);
  }
  c.items_selected = false;
  frame.map_run_arn.clear();
  c.children_failed = 0;
  c.map_result.reset();
  c.map_settled = false;
  c.map_redrive.reset();
  c.map_redrives = 0;
  // With an ItemReader the items are read inside the map run: AWS records length 0.
  Emit(frame, "MapStateStarted", {{"length", reader ? 0 : items.size()}});
  if (spec.distributed) StartMapRun(frame);
  if (spec.distributed && replaying_ && MapRunStep::ReplaySettled(*this, frame)) return;
  if (reader) return MapRunStep::Read(*this, frame);
  BeginIterations(frame, std::move(items));
}

void Execution::BeginIterations(Frame& frame, Json items) {
  CompoundPart& c = frame.Compound();
  const auto& spec = frame.state->as<asl::MapSpec>();
  if (spec.distributed && spec.batcher) items = MapRunStep::Batch(*this, frame, items);
  c.items = std::move(items);
  size_t n = c.items.size();
  c.children.clear();
  c.child_outputs.assign(n, Json());
  c.child_inputs.assign(n, Json());
  c.child_errors.assign(n, StatesError());
  c.children_done = 0;
  c.children_started = 0;
  frame.block = Frame::Block::kChildren;
  MapRunStep::CountItems(*this, frame);
  if (c.items.empty()) return CompleteCompound(frame);
  StartIterations(frame);
}

// Distributed mode: the iterations are child workflow executions of a map
// run; the parent's history records the run, not its iterations.
void Execution::StartMapRun(Frame& frame) {
  CompoundPart& c = frame.Compound();
  const auto& spec = frame.state->as<asl::MapSpec>();
  std::optional<double> count =
      MapNumber(frame, spec.tolerated_failure_count, "ToleratedFailureCount", true);
  std::optional<double> percentage =
      MapNumber(frame, spec.tolerated_failure_percentage, "ToleratedFailurePercentage", false);
  if (count && *count < 0) {
    throw StatesException(errors::kRuntime, "ToleratedFailureCount cannot be negative.");
  }
  if (percentage && (*percentage < 0 || *percentage > 100)) {
    throw StatesException(errors::kRuntime,
                          "ToleratedFailurePercentage must be between 0 and 100.");
  }
  std::string sm_name = record_.state_machine_arn.substr(record_.state_machine_arn.rfind(':') + 1);
  std::string run = "arn:aws:states:" + services_->options.region + ":" +
                    services_->options.account + ":mapRun:" + sm_name + "/" +
                    (spec.label.empty() ? NewUuid() : spec.label) + ":" + NewUuid();
  c.tolerated_count = count;
  c.tolerated_percentage = percentage;
  frame.map_run_arn = run;
  const storage::HistoryEvent* stored = nullptr;
  Emit(frame, "MapRunStarted", {{"mapRunArn", run}}, true, nullptr, &stored);
  if (stored && stored->details.is_object()) {  // replay: the ARN recorded
    frame.map_run_arn = stored->details.value("mapRunArn", run);
  }
  c.map_run_id = frame.map_run_arn.substr(frame.map_run_arn.rfind(':') + 1);
  MapRunStep::Register(*this, frame);
}

// Whether the failures so far stay within ToleratedFailureCount/Percentage
// (neither given: none is tolerated; either exceeded fails the run).
bool Execution::ToleratesFailures(const Frame& frame) const {
  const CompoundPart& c = frame.CompoundView();
  size_t failed = c.children_failed;
  if (!c.tolerated_count && !c.tolerated_percentage) return failed == 0;
  if (c.tolerated_count && static_cast<double>(failed) > *c.tolerated_count) return false;
  double total = static_cast<double>(std::max<size_t>(c.items.size(), 1));
  if (c.tolerated_percentage &&
      static_cast<double>(failed) * 100.0 > *c.tolerated_percentage * total) {
    return false;
  }
  return true;
}

// An item as its iteration sees it: through ItemSelector when there is one.
Json Execution::SelectItem(Frame& frame, size_t index, const Json& item) {
  const auto& spec = frame.state->as<asl::MapSpec>();
  if (!spec.item_selector && !spec.item_selector_jsonata) return item;
  frame.map_item_value = item;
  frame.map_item_index = index;
  Json context = ContextObject(frame, false);
  frame.map_item_value.reset();
  if (spec.item_selector_jsonata) {
    Json states = StatesBinding(frame, nullptr, nullptr);
    states["context"] = context;
    FrameScope scope(frames_, frame.id, &states);
    return spec.item_selector_jsonata->Evaluate("ItemSelector", scope);
  }
  FrameScope scope(frames_, frame.id, nullptr);
  ExprContext ctx{&frame.Compound().effective_input, &context, &scope};
  return spec.item_selector->Evaluate(ctx);
}

void Execution::StartIterations(Frame& frame) {
  CompoundPart& c = frame.Compound();
  const auto& spec = frame.state->as<asl::MapSpec>();
  size_t n = c.items.size();
  while (c.children_started < n) {
    size_t running = c.children_started - c.children_done;
    if (c.max_concurrency != 0 && running >= c.max_concurrency) break;
    size_t index = c.children_started++;
    if (c.map_redrive && index < c.map_redrive->done.size() && c.map_redrive->done[index]) {
      ++c.children_done;  // succeeded before the redrive: kept, not re-run
      continue;
    }
    Frame& child = NewFrame(frame.id, index, spec.processor.get());
    child.silent = spec.distributed;
    c.children.push_back(child.id);
    // A distributed iteration is a child execution: no iteration events.
    if (!spec.distributed) Emit(child, "MapIterationStarted", IterationDetails(frame, index));
    const Json& item = c.items[index];
    Json input = c.items_selected ? item : SelectItem(*frames_[frame.id], index, item);
    Frame& parent = *frames_[frame.id];
    if (spec.distributed && index < parent.Compound().child_inputs.size())
      parent.Compound().child_inputs[index] = input;
    child.pending = child.program->Find(child.program->start_at);
    child.raw_input = std::move(input);
    if (spec.distributed) MapRunStep::ChildStarted(*this, parent, child);
    Schedule(child.id);
    MapRunStep::CountStarted(*this, parent, index);
  }
}

void Execution::OnChildFinished(Frame& parent, Frame& child) {
  CompoundPart& c = parent.Compound();
  if (parent.status != Frame::Status::kRunning || parent.block != Frame::Block::kChildren) return;
  bool map = IsMap(parent);
  bool distributed = map && parent.state->as<asl::MapSpec>().distributed;
  bool succeeded = child.status == Frame::Status::kSucceeded;
  if (distributed) {
    MapRunStep::CountFinished(*this, parent, child.slot, succeeded);
    MapRunStep::ChildFinished(*this, parent, child);
  }
  if (!succeeded && distributed) {
    ++c.children_failed;
    if (child.slot < c.child_errors.size()) c.child_errors[child.slot] = child.error;
  }
  if (succeeded || (distributed && ToleratesFailures(parent))) {
    if (succeeded) c.child_outputs[child.slot] = child.output;
    ++c.children_done;
    if (!child.silent) parent.cursor = child.cursor;
    if (map && !distributed) {
      int64_t id =
          Emit(child, "MapIterationSucceeded", IterationDetails(parent, child.slot), false);
      if (c.children_done == c.items.size()) c.compound_started_cursor = id;
    }
    try {
      if (map && c.children_started < c.items.size()) StartIterations(parent);
      bool all = map ? c.children_done == c.items.size() : c.children_done == c.children.size();
      if (all) CompleteCompound(parent);
    } catch (const StatesException& e) {
      HandleStateError(parent, e.error());
    }
    Schedule(parent.id);
    return;
  }
  // A child failed: the others are aborted and the state fails with its error.
  // AWS chains every event of the abort to the failure event, and a Task
  // state that failed without Catch is aborted last, before Map/ParallelStateFailed.
  if (!child.silent) parent.cursor = child.cursor;
  if (map && !distributed) {
    Emit(child, "MapIterationFailed", IterationDetails(parent, child.slot), false);
  }
  for (int id : c.children) {
    Frame& sibling = *frames_[id];
    if (sibling.status != Frame::Status::kRunning) continue;
    // Child executions end ABORTED when the run closes (MapRunStep::Close).
    AbortFrames(id, distributed ? AbortEvents::kNone : AbortEvents::kBranch, parent.cursor);
    if (map && !distributed) {
      Emit(sibling, "MapIterationAborted", IterationDetails(parent, sibling.slot), false);
    }
  }
  if (!distributed && child.state && child.state->type == asl::StateType::kTask) {
    Emit(child, "TaskStateAborted", nullptr, false);
  }
  StatesError error = child.error;
  if (distributed) {
    error = {"States.ExceedToleratedFailureThreshold",
             "The specified tolerated failure threshold was exceeded", std::nullopt};
    MapRunStep::Close(*this, parent, "FAILED");
    Json engine = MapRunStep::CloseEngine(*this);
    engine["redrive"] = MapRunStep::RedriveSnapshot(*this, parent);
    Emit(parent, "MapRunFailed", {{"error", error.error}, {"cause", *error.cause}}, true,
         std::move(engine));
  }
  FailCompound(parent, std::move(error));
  Schedule(parent.id);
}

void Execution::CompleteCompound(Frame& frame) {
  CompoundPart& c = frame.Compound();
  const asl::State& state = *frame.state;
  bool map = IsMap(frame);
  bool distributed = map && state.as<asl::MapSpec>().distributed;
  const auto* writer = distributed ? &state.as<asl::MapSpec>().writer : nullptr;
  if (writer && *writer && !(*writer)->resource.empty() && !c.map_result) {
    return MapRunStep::Write(*this, frame);  // CompleteCompound again once written
  }
  frame.block = Frame::Block::kNone;
  if (distributed) {
    if (c.map_result) MapRunStep::CountWritten(*this, frame);
    MapRunStep::Close(*this, frame, "SUCCEEDED");
    Emit(frame, "MapRunSucceeded", nullptr, true, MapRunStep::CloseEngine(*this));
  }
  if (map && c.compound_started_cursor) frame.cursor = c.compound_started_cursor;
  c.compound_started_cursor = 0;
  Emit(frame, map ? "MapStateSucceeded" : "ParallelStateSucceeded", nullptr, false);
  if (c.map_settled && MapRunStep::ExitSettled(*this, frame)) return;
  Json result = Json::array();
  if (c.map_result) {
    result = std::move(*c.map_result);
  } else if (distributed) {
    result = MapRunStep::Results(*this, frame);
  } else {
    for (Json& out : c.child_outputs) result.push_back(std::move(out));
  }
  c.child_outputs.clear();
  c.child_inputs.clear();
  c.map_result.reset();
  Json context = ContextObject(frame, true);
  FrameScope scope(frames_, frame.id, nullptr);
  ExprContext ctx{&frame.raw_input, &context, &scope};
  Json output;
  Json assigned;
  if (state.query_language == asl::QueryLanguage::kJsonata) {
    assigned = EvaluateAssign(frame, state.assign, frame.raw_input, &result, nullptr);
    output = state.output ? EvalJsonata(frame, *state.output, "Output", &result, nullptr) : result;
  } else {
    Json selected = result;
    if (state.result_selector) {
      ExprContext inner = ctx;
      inner.input = &result;
      selected = state.result_selector->Evaluate(inner);
    }
    assigned = EvaluateAssign(frame, state.assign, selected, nullptr, nullptr);
    output = ApplyResultPathAndOutputPath(state.result_path, state.output_path, frame.raw_input,
                                          std::move(selected), ctx);
  }
  ApplyAssign(frame, assigned);
  ExitState(frame, map ? "MapStateExited" : "ParallelStateExited", std::move(output), state.next,
            assigned);
}

void Execution::FailCompound(Frame& frame, StatesError error) {
  frame.block = Frame::Block::kNone;
  frame.Compound().compound_failing = true;
  HandleStateError(frame, std::move(error));
  frame.Compound().compound_failing = false;
}

}  // namespace stepline::runtime
