// Evaluator core: paths, steps, tuple streams, predicates, operators.
#include "engine/jsonata/evaluator.h"

#include <pthread.h>

#include <algorithm>
#include <cmath>

#include "engine/jsonata/errors.h"
#include "engine/jsonata/regex.h"

namespace stepline::jsonata {

// ---------------------------------------------------------------- helpers

void Frame::Bind(const std::string& name, Value v) {
  for (auto& kv : vars) {
    if (kv.first == name) {
      kv.second = std::move(v);
      return;
    }
  }
  vars.emplace_back(name, std::move(v));
}

const Value* Frame::Lookup(std::string_view name) const {
  for (const Frame* f = this; f; f = f->parent.get()) {
    for (const auto& kv : f->vars) {
      if (kv.first == name) return &kv.second;
    }
  }
  return nullptr;
}

FramePtr NewFrame(const FramePtr& parent) {
  auto f = std::make_shared<Frame>();
  f->parent = parent;
  return f;
}

bool IsSequence(const Value& v) { return v.is_array() && v.arr().sequence; }

bool IsNumeric(const Value& v) {
  if (!v.is_number()) return false;
  double d = v.number();
  if (std::isnan(d)) return false;
  if (!std::isfinite(d)) ThrowValue("D1001", -1, v);
  return true;
}

bool Truthy(const Value& v) {
  switch (v.kind()) {
    case Kind::kArray: {
      const auto& items = v.arr().items;
      if (items.size() == 1) return Truthy(items[0]);
      for (const auto& e : items) {
        if (Truthy(e)) return true;
      }
      return false;
    }
    case Kind::kString:
      return !v.str().empty();
    case Kind::kNumber:
      return v.number() != 0 && !std::isnan(v.number());
    case Kind::kObject:
      return v.obj().size() > 0;
    case Kind::kBool:
      return v.boolean();
    default:
      return false;
  }
}

Value AppendValues(const Value& a, const Value& b) {
  if (a.undefined()) return b;
  if (b.undefined()) return a;
  auto out = NewArray();
  if (a.is_array()) {
    out->items = a.arr().items;
  } else {
    out->items.push_back(a);
  }
  if (b.is_array()) {
    out->items.insert(out->items.end(), b.arr().items.begin(), b.arr().items.end());
  } else {
    out->items.push_back(b);
  }
  return Value::Array(out);
}

Value JoinParts(const std::vector<Value>& parts) {
  std::vector<const Value*> defined;
  for (const auto& p : parts) {
    if (!p.undefined()) defined.push_back(&p);
  }
  if (defined.empty()) return Value();
  if (defined.size() == 1) return *defined[0];
  auto out = NewArray();
  for (const Value* p : defined) {
    if (p->is_array()) {
      out->items.insert(out->items.end(), p->arr().items.begin(), p->arr().items.end());
    } else {
      out->items.push_back(*p);
    }
  }
  return Value::Array(out);
}

Value DeepClone(const Value& v, int depth) {
  CheckNesting(depth);
  if (v.is_array()) {
    auto a = NewArray();
    a->items.reserve(v.arr().size());
    for (const auto& e : v.arr().items) a->items.push_back(DeepClone(e, depth + 1));
    return Value::Array(a);
  }
  if (v.is_object()) {
    auto o = NewObject();
    for (const auto& [k, e] : v.obj().items) o->Set(k, DeepClone(e, depth + 1));
    return Value::Object(o);
  }
  return v;
}

Value MakeFunctionValue(std::shared_ptr<FunctionNode> fn) { return Value::Function(std::move(fn)); }

namespace {

Value Undefined() { return Value(); }

Value SequenceOf(Value item) {
  auto a = NewArray(true);
  a->items.push_back(std::move(item));  // may be undefined, as createSequence(x)
  return Value::Array(a);
}

FramePtr FrameFromTuple(const FramePtr& env, const Value& tuple) {
  auto f = NewFrame(env);
  for (const auto& [k, v] : tuple.obj().items) f->vars.emplace_back(k, v);
  return f;
}

const Value& TupleFocus(const Value& tuple) {
  static const Value kUndef;
  const Value* v = tuple.obj().Find("@");
  return v ? *v : kUndef;
}

// Stack bounds of the current thread, cached per thread.
const char* StackLowWater() {
  thread_local const char* low = nullptr;
  thread_local bool init = false;
  if (!init) {
    init = true;
    pthread_attr_t attr;
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
      void* addr = nullptr;
      size_t size = 0;
      if (pthread_attr_getstack(&attr, &addr, &size) == 0 && addr) {
        low = static_cast<const char*>(addr);
      }
      pthread_attr_destroy(&attr);
    }
  }
  return low;
}

}  // namespace

// ---------------------------------------------------------------- evaluator

Evaluator::~Evaluator() {
  for (auto& weak : bound_frames_) {
    if (FramePtr frame = weak.lock()) frame->vars.clear();
  }
}

Evaluator::Evaluator(const EvalOptions& options, const VariableScope* bindings, Version version)
    : options_(options), bindings_(bindings), version_(version) {
  max_depth_ = options.max_depth > 0 ? options.max_depth : kDefaultMaxDepth;
  if (options.time_limit_ms > 0) {
    has_deadline_ = true;
    deadline_ = std::chrono::steady_clock::now() + std::chrono::milliseconds(options.time_limit_ms);
  }
  now_ms_ = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::system_clock::now().time_since_epoch())
                .count();
  char here;
  const char* low = StackLowWater();
  const char* budget_end = &here - kStackBudgetBytes;
  if (low && low + kStackSafetyMargin > budget_end) budget_end = low + kStackSafetyMargin;
  stack_limit_ = budget_end;
}

void Evaluator::CheckLimits(int position) {
  char here;
  if (depth_ > max_depth_ || &here < stack_limit_) ThrowAt("U1001", position);
  if (has_deadline_ && (++steps_ & 255) == 0 && std::chrono::steady_clock::now() > deadline_) {
    ThrowAt("U1001T", position);
  }
}

Value Evaluator::Evaluate(const Node* ast, const Value& input, const FramePtr& env) {
  Value in = input;
  if (input.is_array() && !IsSequence(input)) {
    auto wrap = NewArray(true);
    wrap->items.push_back(input);
    wrap->outer_wrapper = true;
    in = Value::Array(wrap);
  }
  return Eval(ast, in, env);
}

struct DepthGuard {
  explicit DepthGuard(int& d) : depth(d) { ++depth; }
  ~DepthGuard() { --depth; }
  int& depth;
};

Value Evaluator::Eval(const Node* expr, const Value& input, const FramePtr& env) {
  DepthGuard guard(depth_);
  CheckLimits(expr->position);
  Value result;
  switch (expr->type) {
    case NodeType::kPath:
      result = EvalPath(expr, input, env);
      break;
    case NodeType::kBinary:
      result = EvalBinary(expr, input, env);
      break;
    case NodeType::kUnary:
      result = EvalUnary(expr, input, env);
      break;
    case NodeType::kName: {
      if (input.is_array()) {
        auto out = NewArray(true);
        for (const auto& item : input.arr().items) {
          Value r = Eval(expr, item, env);
          if (r.undefined()) continue;
          if (r.is_array()) {
            out->items.insert(out->items.end(), r.arr().items.begin(), r.arr().items.end());
          } else {
            out->items.push_back(r);
          }
        }
        result = Value::Array(out);
      } else if (input.is_object()) {
        result = input.Member(expr->value);
      }
      break;
    }
    case NodeType::kString:
    case NodeType::kNumber:
    case NodeType::kValue:
      result = expr->literal;
      break;
    case NodeType::kWildcard:
      result = EvalWildcard(input);
      break;
    case NodeType::kDescendant:
      result = EvalDescendants(input);
      break;
    case NodeType::kParent: {
      const Value* v = env->Lookup(expr->slot->label);
      if (v) result = *v;
      break;
    }
    case NodeType::kCondition: {
      Value cond = Eval(expr->condition.get(), input, env);
      if (!expr->then) {  // "??" / "?:": the condition's value is the result
        bool keep = expr->value == "??" ? !cond.undefined() : Truthy(cond);
        result = keep ? cond : Eval(expr->otherwise.get(), input, env);
      } else if (Truthy(cond)) {
        result = Eval(expr->then.get(), input, env);
      } else if (expr->otherwise) {
        result = Eval(expr->otherwise.get(), input, env);
      }
      break;
    }
    case NodeType::kBlock:
      result = EvalBlock(expr, input, env);
      break;
    case NodeType::kBind: {
      result = Eval(expr->rhs.get(), input, env);
      env->Bind(expr->lhs->value, result);
      if (bound_frames_.empty() || bound_frames_.back().lock() != env) bound_frames_.push_back(env);
      break;
    }
    case NodeType::kRegex: {
      auto fn = std::make_shared<FunctionNode>();
      fn->type = FunctionNode::Type::kRegex;
      fn->regex = expr->regex;
      fn->arity = 1;
      result = Value::Function(fn);
      break;
    }
    case NodeType::kFunction:
      result = EvalFunction(expr, input, env, nullptr);
      break;
    case NodeType::kPartial:
      result = EvalPartial(expr, input, env);
      break;
    case NodeType::kVariable:
      result = EvalVariable(expr, input, env);
      break;
    case NodeType::kLambda: {
      auto fn = std::make_shared<FunctionNode>();
      fn->type = FunctionNode::Type::kLambda;
      fn->lambda = expr;
      fn->env = env;
      fn->input = input;
      fn->thunk = expr->thunk;
      fn->arity = static_cast<int>(expr->arguments.size());
      result = Value::Function(fn);
      break;
    }
    case NodeType::kApply:
      result = EvalApplyOp(expr, input, env);
      break;
    case NodeType::kTransform:
      result = EvalTransform(expr, input, env);
      break;
    case NodeType::kSort:
      result = EvalSort(expr, IsSequence(input) ? input : SequenceOf(input), env);
      break;
    case NodeType::kOperator:
    case NodeType::kEnd:
      ThrowAt("S0201", expr->position, expr->value);
  }
  for (const auto& stage : expr->predicate) result = EvalFilter(stage.expr.get(), result, env);
  if (expr->type != NodeType::kPath && expr->group) {
    result = EvalGroup(expr->group->pairs, expr->group->position, result, env);
  }
  if (IsSequence(result) && !result.arr().tuple_stream) {
    ArrayNode& a = result.arr();
    if (expr->keep_array) a.keep_singleton = true;
    if (a.items.empty()) return Undefined();
    if (a.items.size() == 1 && !a.keep_singleton) return a.items[0];
  }
  return result;
}

namespace {
bool PlainStep(const Node* step) {
  return step->stages.empty() && step->predicate.empty() && !step->tuple && !step->group &&
         !step->keep_array && !step->has_focus && !step->has_index && !step->cons_array;
}
}  // namespace

// Walks leading field steps over a single (non-array) value without building
// sequences. Returns true when it produced the path's final result.
bool Evaluator::FastPath(const Node* expr, const Value& input, const FramePtr& env, Value& cur,
                         size_t& next_step) {
  next_step = 0;
  cur = input;
  if (expr->keep_singleton_array || expr->group || expr->tuple) return false;
  const auto& steps = expr->steps;
  if (steps[0]->type == NodeType::kVariable && PlainStep(steps[0].get())) {
    cur = Eval(steps[0].get(), input, env);
    next_step = 1;
  } else if (input.is_array()) {
    return false;
  }
  while (next_step < steps.size()) {
    if (cur.is_array()) return false;
    const Node* step = steps[next_step].get();
    if (step->type != NodeType::kName || !PlainStep(step)) return false;
    cur = cur.Member(step->value);
    if (cur.undefined()) return true;
    ++next_step;
  }
  return true;
}

Value Evaluator::EvalPath(const Node* expr, const Value& input, const FramePtr& env) {
  {
    Value cur;
    size_t next = 0;
    if (FastPath(expr, input, env, cur, next)) return cur;
    if (next > 0) {
      if (cur.undefined()) return Value();
      Value seq = cur.is_array() && !cur.arr().cons ? cur : SequenceOf(cur);
      return EvalPathFrom(expr, seq, env, next);
    }
  }
  return EvalPathFrom(expr, input, env, 0);
}

Value Evaluator::EvalPathFrom(const Node* expr, const Value& input, const FramePtr& env,
                              size_t first) {
  Value input_seq;
  if (first > 0 || (input.is_array() && expr->steps[0]->type != NodeType::kVariable)) {
    input_seq = input;
  } else {
    input_seq = SequenceOf(input);
  }
  bool tuple_stream = false;
  Value tuples, result;
  size_t n = expr->steps.size();
  for (size_t i = first; i < n; ++i) {
    const Node* step = expr->steps[i].get();
    if (step->tuple) tuple_stream = true;
    if (i == 0 && step->cons_array) {
      result = Eval(step, input_seq, env);
    } else if (tuple_stream) {
      tuples = EvalTupleStep(step, input_seq, tuples, env);
    } else {
      result = EvalStep(step, input_seq, env, i == n - 1);
    }
    if (!tuple_stream &&
        (result.undefined() || (result.is_array() && result.arr().items.empty()))) {
      break;
    }
    if (!step->has_focus) input_seq = result;
  }
  if (tuple_stream) {
    if (expr->tuple) {
      result = tuples;
    } else {
      auto out = NewArray(true);
      if (tuples.is_array()) {
        for (const auto& t : tuples.arr().items) out->items.push_back(TupleFocus(t));
      }
      result = Value::Array(out);
    }
  }
  if (expr->keep_singleton_array && !result.undefined()) {
    if (result.is_array() && result.arr().cons && !result.arr().sequence)
      result = SequenceOf(result);
    if (!result.is_array()) result = SequenceOf(result);
    result.arr().keep_singleton = true;
  }
  if (expr->group) {
    result =
        EvalGroup(expr->group->pairs, expr->group->position, tuple_stream ? tuples : result, env);
  }
  return result;
}

Value Evaluator::EvalStep(const Node* step, const Value& input, const FramePtr& env, bool last) {
  if (step->type == NodeType::kSort) {
    Value r = EvalSort(step, input, env);
    return EvalStages(step->stages, r, env);
  }
  if (!input.is_array()) return MakeSequence();  // e.g. a constructor step that gave a scalar
  std::vector<Value> results;
  const auto& items = input.arr().items;
  results.reserve(items.size());
  for (const auto& item : items) {
    Value res = Eval(step, item, env);
    for (const auto& stage : step->stages) res = EvalFilter(stage.expr.get(), res, env);
    if (!res.undefined()) results.push_back(std::move(res));
  }
  if (last && results.size() == 1 && results[0].is_array() && !IsSequence(results[0])) {
    return results[0];
  }
  auto out = NewArray(true);
  out->items.reserve(results.size());
  for (auto& res : results) {
    if (!res.is_array() || res.arr().cons) {
      out->items.push_back(std::move(res));
    } else {
      const auto& src = res.arr().items;
      out->items.insert(out->items.end(), src.begin(), src.end());
    }
  }
  return Value::Array(out);
}

Value Evaluator::EvalTupleStep(const Node* step, const Value& input, Value tuples,
                               const FramePtr& env) {
  if (step->type == NodeType::kSort) {
    Value result;
    if (!tuples.undefined()) {
      result = EvalSort(step, tuples, env);
    } else {
      Value sorted = EvalSort(step, input, env);
      auto out = NewArray(true);
      out->tuple_stream = true;
      const auto& items = sorted.is_array() ? sorted.arr().items : std::vector<Value>{sorted};
      for (size_t i = 0; i < items.size(); ++i) {
        auto t = NewObject();
        t->Set("@", items[i]);
        if (step->has_index) t->Set(step->index, Value::Number(static_cast<double>(i)));
        out->items.push_back(Value::Object(t));
      }
      result = Value::Array(out);
    }
    return EvalStages(step->stages, result, env);
  }
  if (tuples.undefined()) {
    auto init = NewArray(true);
    static const std::vector<Value> kNone;
    for (const auto& item : input.is_array() ? input.arr().items : kNone) {
      auto t = NewObject();
      t->Set("@", item);
      init->items.push_back(Value::Object(t));
    }
    tuples = Value::Array(init);
  }
  auto out = NewArray(true);
  out->tuple_stream = true;
  for (const auto& tb : tuples.arr().items) {
    FramePtr step_env = FrameFromTuple(env, tb);
    Value res = Eval(step, TupleFocus(tb), step_env);
    if (res.undefined()) continue;
    std::vector<Value> single;
    const std::vector<Value>* items;
    if (res.is_array()) {
      items = &res.arr().items;
    } else {
      single.push_back(res);
      items = &single;
    }
    bool res_tuples = res.is_array() && res.arr().tuple_stream;
    for (size_t bb = 0; bb < items->size(); ++bb) {
      auto t = NewObject();
      t->items = tb.obj().items;
      if (t->items.size() >= 12) {
        auto copy = NewObject();
        for (auto& kv : t->items) copy->Set(kv.first, kv.second);
        t = copy;
      }
      const Value& r = (*items)[bb];
      if (res_tuples) {
        for (const auto& [k, v] : r.obj().items) t->Set(k, v);
      } else {
        if (step->has_focus) {
          t->Set(step->focus, r);
          t->Set("@", TupleFocus(tb));
        } else {
          t->Set("@", r);
        }
        if (step->has_index) t->Set(step->index, Value::Number(static_cast<double>(bb)));
        if (step->ancestor) t->Set(step->ancestor->label, TupleFocus(tb));
      }
      out->items.push_back(Value::Object(t));
    }
  }
  return EvalStages(step->stages, Value::Array(out), env);
}

Value Evaluator::EvalStages(const std::vector<Stage>& stages, Value input, const FramePtr& env) {
  for (const auto& stage : stages) {
    if (stage.is_index) {
      if (!input.is_array()) continue;
      auto& items = input.arr().items;
      for (size_t i = 0; i < items.size(); ++i) {
        if (items[i].is_object())
          items[i].obj().Set(stage.var, Value::Number(static_cast<double>(i)));
      }
    } else {
      input = EvalFilter(stage.expr.get(), input, env);
    }
  }
  return input;
}

Value Evaluator::EvalFilter(const Node* pred, const Value& input, const FramePtr& env) {
  auto out = NewArray(true);
  bool tuples = input.is_array() && input.arr().tuple_stream;
  out->tuple_stream = tuples;
  std::vector<Value> single;
  const std::vector<Value>* items;
  if (input.is_array()) {
    items = &input.arr().items;
  } else {
    single.push_back(input);
    items = &single;
  }
  long size = static_cast<long>(items->size());
  if (pred->type == NodeType::kNumber) {
    long index = static_cast<long>(std::floor(pred->literal.number()));
    if (index < 0) index += size;
    if (index >= 0 && index < size) {
      const Value& item = (*items)[index];
      if (item.is_array()) return item;
      out->items.push_back(item);
    }
    return Value::Array(out);
  }
  for (long index = 0; index < size; ++index) {
    const Value& item = (*items)[index];
    Value res;
    if (tuples) {
      res = Eval(pred, TupleFocus(item), FrameFromTuple(env, item));
    } else {
      res = Eval(pred, item, env);
    }
    if (IsNumeric(res)) {
      long ii = static_cast<long>(std::floor(res.number()));
      if (ii < 0) ii += size;
      if (ii == index) out->items.push_back(item);
      continue;
    }
    if (res.is_array() && !res.arr().items.empty() &&
        std::all_of(res.arr().items.begin(), res.arr().items.end(),
                    [](const Value& v) { return v.is_number(); })) {
      for (const auto& n : res.arr().items) {
        long ii = static_cast<long>(std::floor(n.number()));
        if (ii < 0) ii += size;
        if (ii == index) out->items.push_back(item);
      }
      continue;
    }
    if (Truthy(res)) out->items.push_back(item);
  }
  return Value::Array(out);
}

Value Evaluator::EvalSort(const Node* sort, const Value& input, const FramePtr& env) {
  if (!input.is_array()) return input;
  bool tuples = input.arr().tuple_stream;
  const std::vector<Value>& items = input.arr().items;
  size_t terms = sort->terms.size();
  // Sort keys are computed once per item, then compared.
  std::vector<Value> keys(items.size() * terms);
  for (size_t i = 0; i < items.size(); ++i) {
    for (size_t t = 0; t < terms; ++t) {
      const Node* term = sort->terms[t].expr.get();
      keys[i * terms + t] = tuples ? Eval(term, TupleFocus(items[i]), FrameFromTuple(env, items[i]))
                                   : Eval(term, items[i], env);
    }
  }
  auto compare = [&](size_t a, size_t b) {
    for (size_t t = 0; t < terms; ++t) {
      const Value& aa = keys[a * terms + t];
      const Value& bb = keys[b * terms + t];
      int comp = 0;
      if (aa.undefined()) {
        comp = bb.undefined() ? 0 : 1;
      } else if (bb.undefined()) {
        comp = -1;
      } else {
        bool aok = aa.is_string() || aa.is_number();
        bool bok = bb.is_string() || bb.is_number();
        if (!aok || !bok) ThrowValue("T2008", sort->position, aok ? bb : aa);
        if (aa.kind() != bb.kind()) {
          ErrorArgs e;
          e.position = sort->position;
          e.value = aa;
          e.value2 = bb;
          e.has_value = e.has_value2 = true;
          Throw("T2007", e);
        }
        if (aa.is_number()) {
          comp = aa.number() < bb.number() ? -1 : (aa.number() > bb.number() ? 1 : 0);
        } else {
          comp = aa.str().compare(bb.str());
          comp = comp < 0 ? -1 : (comp > 0 ? 1 : 0);
        }
        if (sort->terms[t].descending) comp = -comp;
      }
      if (comp != 0) return comp < 0;
    }
    return false;
  };
  std::vector<size_t> order(items.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), compare);
  auto out = NewArray(true);
  out->tuple_stream = tuples;
  out->items.reserve(items.size());
  for (size_t i : order) out->items.push_back(items[i]);
  return Value::Array(out);
}

Value Evaluator::EvalGroup(const std::vector<std::pair<NodePtr, NodePtr>>& pairs, int position,
                           const Value& input, const FramePtr& env) {
  bool reduce = input.is_array() && input.arr().tuple_stream;
  std::vector<Value> items;
  if (input.is_array()) {
    items = input.arr().items;
  } else {
    items.push_back(input);
  }
  if (items.empty()) items.push_back(Undefined());
  struct Entry {
    std::vector<Value> parts;  // the group's items, joined once at the end
    size_t expr_index;
    Value data;
  };
  std::vector<std::pair<std::string, Entry>> groups;
  std::unordered_map<std::string, size_t> index;
  for (const auto& item : items) {
    FramePtr ienv = reduce && item.is_object() ? FrameFromTuple(env, item) : env;
    for (size_t p = 0; p < pairs.size(); ++p) {
      Value key =
          Eval(pairs[p].first.get(), reduce && item.is_object() ? TupleFocus(item) : item, ienv);
      if (key.undefined()) continue;
      if (!key.is_string()) ThrowValue("T1003", position, key);
      auto it = index.find(key.str());
      if (it == index.end()) {
        index.emplace(key.str(), groups.size());
        groups.push_back({key.str(), Entry{{item}, p, Value()}});
      } else {
        Entry& e = groups[it->second].second;
        if (e.expr_index != p) ThrowValue("D1009", position, key);
        e.parts.push_back(item);
      }
    }
  }
  auto out = NewObject();
  for (auto& [k, entry] : groups) {
    entry.data = JoinParts(entry.parts);
    Value context = entry.data;
    FramePtr genv = env;
    if (reduce) {
      auto merged = NewObject();
      if (entry.data.is_array() && !entry.data.arr().tuple_stream && !entry.data.is_object()) {
        const auto& ts = entry.data.arr().items;
        for (size_t i = 0; i < ts.size(); ++i) {
          for (const auto& [tk, tv] : ts[i].obj().items) {
            const Value* prev = merged->Find(tk);
            merged->Set(tk, i == 0 || !prev ? tv : AppendValues(*prev, tv));
          }
        }
      } else if (entry.data.is_object()) {
        merged->items = entry.data.obj().items;
      }
      const Value* at = merged->Find("@");
      context = at ? *at : Undefined();
      merged->Remove("@");
      genv = FrameFromTuple(env, Value::Object(merged));
    }
    Value v = Eval(pairs[entry.expr_index].second.get(), context, genv);
    if (!v.undefined()) out->Set(k, v);
  }
  return Value::Object(out);
}

Value Evaluator::EvalBlock(const Node* expr, const Value& input, const FramePtr& env) {
  FramePtr frame = NewFrame(env);
  Value result;
  for (const auto& e : expr->expressions) result = Eval(e.get(), input, frame);
  return result;
}

Value Evaluator::EvalWildcard(const Value& input) {
  auto out = NewArray(true);
  Value in = input;
  if (in.is_array() && in.arr().outer_wrapper && !in.arr().items.empty()) in = in.arr().items[0];
  std::function<void(const Value&)> flatten = [&](const Value& v) {
    if (v.is_array()) {
      for (const auto& e : v.arr().items) flatten(e);
    } else {
      out->items.push_back(v);
    }
  };
  if (in.is_object()) {
    for (const auto& [k, v] : in.obj().items) {
      if (v.is_array()) {
        flatten(v);
      } else {
        out->items.push_back(v);
      }
    }
  } else if (in.is_array()) {
    for (const auto& v : in.arr().items) {
      if (v.is_array()) {
        flatten(v);
      } else {
        out->items.push_back(v);
      }
    }
  }
  return Value::Array(out);
}

Value Evaluator::EvalDescendants(const Value& input) {
  if (input.undefined()) return Undefined();
  auto out = NewArray(true);
  std::vector<const Value*> stack{&input};
  // Depth-first, pre-order, children left to right.
  while (!stack.empty()) {
    const Value* v = stack.back();
    stack.pop_back();
    if (!v->is_array()) out->items.push_back(*v);
    if (v->is_array()) {
      const auto& items = v->arr().items;
      for (auto it = items.rbegin(); it != items.rend(); ++it) stack.push_back(&*it);
    } else if (v->is_object()) {
      const auto& items = v->obj().items;
      for (auto it = items.rbegin(); it != items.rend(); ++it) stack.push_back(&it->second);
    }
  }
  if (out->items.size() == 1) return out->items[0];
  return Value::Array(out);
}

Value Evaluator::EvalVariable(const Node* expr, const Value& input, const FramePtr& env) {
  if (expr->value.empty()) {
    if (input.is_array() && input.arr().outer_wrapper && !input.arr().items.empty()) {
      return input.arr().items[0];
    }
    return input;
  }
  return LookupVariable(expr->value, env);
}

Value Evaluator::LookupVariable(const std::string& name, const FramePtr& env) {
  if (const Value* v = env->Lookup(name)) return *v;
  if (bindings_) {
    auto it = binding_cache_.find(name);
    if (it != binding_cache_.end()) return it->second;
    if (const Json* j = bindings_->Find(name)) {
      Value v = Value::View(*j);
      binding_cache_.emplace(name, v);
      return v;
    }
  }
  if (const BuiltinDef* b = FindBuiltin(name, options_.aws_functions)) return b->function;
  return Undefined();
}

}  // namespace stepline::jsonata
