// Parallel and inline Map states: child frames, their events and results.
//
// previousEventId follows AWS: children start from the parent's cursor;
// MapIteration{Succeeded,Failed} do not advance it; when a child finishes
// the parent continues from the child's cursor; MapStateSucceeded and the
// following MapStateExited both point at the last MapIterationSucceeded.
#include <cmath>

#include "engine/runtime/dataflow.h"
#include "engine/runtime/execution.h"
#include "engine/runtime/scope.h"

namespace stepline::runtime {
namespace {

bool IsMap(const Frame& f) { return f.state->type == asl::StateType::kMap; }

Json IterationDetails(const Frame& parent, size_t index) {
  return {{"index", index}, {"name", parent.state->name}};
}

}  // namespace

void Execution::RunParallel(Frame& frame) {
  const asl::State& state = *frame.state;
  const auto& spec = state.as<asl::ParallelSpec>();
  Json context = ContextObject(frame, true);
  if (state.query_language == asl::QueryLanguage::kJsonata) {
    frame.effective_input =
        state.arguments ? EvalJsonata(frame, *state.arguments, "Arguments", nullptr, nullptr)
                        : frame.raw_input;
  } else {
    ExprContext ctx{&frame.raw_input, &context, nullptr};
    frame.effective_input =
        ApplyInputPathAndParameters(state.input_path, state.parameters, frame.raw_input, ctx);
  }
  Emit(frame, "ParallelStateStarted", nullptr);
  frame.children.clear();
  frame.child_outputs.assign(spec.branches.size(), Json());
  frame.children_done = 0;
  frame.block = Frame::Block::kChildren;
  for (size_t i = 0; i < spec.branches.size(); ++i) {
    Frame& child = NewFrame(frame.id, i, spec.branches[i].get());
    child.pending = child.program->Find(child.program->start_at);
    child.raw_input = frame.effective_input;
    frame.children.push_back(child.id);
    Schedule(child.id);
  }
  if (spec.branches.empty()) CompleteCompound(frame);
}

void Execution::RunMap(Frame& frame) {
  const asl::State& state = *frame.state;
  const auto& spec = state.as<asl::MapSpec>();
  Json context = ContextObject(frame, true);
  Json items;
  if (state.query_language == asl::QueryLanguage::kJsonata) {
    frame.effective_input = frame.raw_input;
    items =
        spec.items ? EvalJsonata(frame, *spec.items, "Items", nullptr, nullptr) : frame.raw_input;
    if (!items.is_array()) {
      std::string expr = spec.items && spec.items->is_expression() ? spec.items->expression_text()
                                                                   : DumpJson(items);
      throw StatesException({errors::kQueryEvaluationError,
                             "The JSONata expression '" + expr +
                                 "' specified for the field 'Items' returned an unexpected result "
                                 "type. Expected 'array', but was '" +
                                 std::string(items.type_name()) + "' for value: " + DumpJson(items),
                             "Items"});
    }
  } else {
    ExprContext ctx{&frame.raw_input, &context, nullptr};
    frame.effective_input =
        ApplyInputPathAndParameters(state.input_path, std::nullopt, frame.raw_input, ctx);
    items = spec.items_path.kind == asl::OptionalPath::Kind::kPath
                ? SelectRequired(spec.items_path.path, frame.effective_input, ctx)
                : frame.effective_input;
    if (!items.is_array()) {
      throw StatesException(
          errors::kRuntime,
          "Invalid path '" +
              (spec.items_path.kind == asl::OptionalPath::Kind::kPath ? spec.items_path.path.text()
                                                                      : std::string("$")) +
              "': The ItemsPath value must be an array");
    }
  }
  frame.max_concurrency = 0;
  if (spec.max_concurrency.literal) {
    frame.max_concurrency = static_cast<size_t>(std::max(0.0, *spec.max_concurrency.literal));
  } else if (spec.max_concurrency.path) {
    ExprContext ctx{&frame.raw_input, &context, nullptr};
    Json v = SelectRequired(*spec.max_concurrency.path, frame.raw_input, ctx);
    if (!v.is_number() || v.get<double>() < 0) {
      throw StatesException(errors::kRuntime,
                            "MaxConcurrencyPath must resolve to a non-negative integer");
    }
    frame.max_concurrency = static_cast<size_t>(v.get<double>());
  }
  frame.items = std::move(items);
  Emit(frame, "MapStateStarted", {{"length", frame.items.size()}});
  frame.children.clear();
  frame.child_outputs.assign(frame.items.size(), Json());
  frame.children_done = 0;
  frame.children_started = 0;
  frame.block = Frame::Block::kChildren;
  if (frame.items.empty()) return CompleteCompound(frame);
  StartIterations(frame);
}

void Execution::StartIterations(Frame& frame) {
  const asl::State& state = *frame.state;
  const auto& spec = state.as<asl::MapSpec>();
  size_t n = frame.items.size();
  while (frame.children_started < n) {
    size_t running = frame.children_started - frame.children_done;
    if (frame.max_concurrency != 0 && running >= frame.max_concurrency) break;
    size_t index = frame.children_started++;
    Frame& child = NewFrame(frame.id, index, spec.processor.get());
    frame.children.push_back(child.id);
    Emit(child, "MapIterationStarted", IterationDetails(frame, index));
    const Json& item = frame.items[index];
    Json input = item;
    if (spec.item_selector || spec.item_selector_jsonata) {
      Frame& parent = *frames_[frame.id];
      parent.map_item_value = item;
      parent.map_item_index = index;
      Json context = ContextObject(parent, false);
      parent.map_item_value.reset();
      if (spec.item_selector_jsonata) {
        Json states = StatesBinding(parent, nullptr, nullptr);
        states["context"] = context;
        FrameScope scope(frames_, parent.id, &states);
        input = spec.item_selector_jsonata->Evaluate("ItemSelector", scope);
      } else {
        FrameScope scope(frames_, parent.id, nullptr);
        ExprContext ctx{&parent.effective_input, &context, &scope};
        input = spec.item_selector->Evaluate(ctx);
      }
    }
    child.pending = child.program->Find(child.program->start_at);
    child.raw_input = std::move(input);
    Schedule(child.id);
  }
}

void Execution::OnChildFinished(Frame& parent, Frame& child) {
  if (parent.status != Frame::Status::kRunning || parent.block != Frame::Block::kChildren) return;
  bool map = IsMap(parent);
  if (child.status == Frame::Status::kSucceeded) {
    parent.child_outputs[child.slot] = child.output;
    ++parent.children_done;
    parent.cursor = child.cursor;
    if (map) {
      int64_t id =
          Emit(child, "MapIterationSucceeded", IterationDetails(parent, child.slot), false);
      if (parent.children_done == parent.items.size()) parent.compound_started_cursor = id;
    }
    try {
      if (map && parent.children_started < parent.items.size()) StartIterations(parent);
      bool all = map ? parent.children_done == parent.items.size()
                     : parent.children_done == parent.children.size();
      if (all) CompleteCompound(parent);
    } catch (const StatesException& e) {
      HandleStateError(parent, e.error());
    }
    Schedule(parent.id);
    return;
  }
  // A child failed: the others are aborted and the state fails with its error.
  parent.cursor = child.cursor;
  if (map) Emit(child, "MapIterationFailed", IterationDetails(parent, child.slot), false);
  for (int id : parent.children) {
    Frame& sibling = *frames_[id];
    if (sibling.status != Frame::Status::kRunning) continue;
    AbortFrames(id, /*emit=*/true);
    if (map) Emit(sibling, "MapIterationAborted", IterationDetails(parent, sibling.slot), false);
  }
  FailCompound(parent, child.error);
  Schedule(parent.id);
}

void Execution::CompleteCompound(Frame& frame) {
  const asl::State& state = *frame.state;
  bool map = IsMap(frame);
  frame.block = Frame::Block::kNone;
  if (map && frame.compound_started_cursor) frame.cursor = frame.compound_started_cursor;
  frame.compound_started_cursor = 0;
  Emit(frame, map ? "MapStateSucceeded" : "ParallelStateSucceeded", nullptr, false);
  Json result = Json::array();
  for (Json& out : frame.child_outputs) result.push_back(std::move(out));
  frame.child_outputs.clear();
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
  frame.compound_failing = true;
  HandleStateError(frame, std::move(error));
  frame.compound_failing = false;
}

}  // namespace stepline::runtime
