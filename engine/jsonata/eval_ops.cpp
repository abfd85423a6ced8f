// Evaluator: operators, constructors, function calls, signatures, transform.
#include <algorithm>
#include <cmath>
#include <map>

#include "engine/jsonata/builtins.h"
#include "engine/jsonata/errors.h"
#include "engine/jsonata/evaluator.h"
#include "engine/jsonata/regex.h"

namespace stepline::jsonata {

namespace {

bool Comparable(const Value& v) { return v.undefined() || v.is_string() || v.is_number(); }

ErrorArgs OpArgs(const Node* expr, const Value& value) {
  ErrorArgs a;
  a.position = expr->position;
  a.token = expr->value;
  a.value = value;
  a.has_value = true;
  return a;
}

char Symbol(const Value& v) {
  switch (v.kind()) {
    case Kind::kUndefined:
      return 'm';
    case Kind::kNull:
      return 'l';
    case Kind::kBool:
      return 'b';
    case Kind::kNumber:
      return 'n';
    case Kind::kString:
      return 's';
    case Kind::kArray:
      return 'a';
    case Kind::kObject:
      return 'o';
    case Kind::kFunction:
      return 'f';
  }
  return 'm';
}

bool Accepts(const Param& p, char sym) { return p.allowed.find(sym) != std::string::npos; }

// Greedy backtracking match of args[ai..] against params[pi..]; fills counts.
bool MatchFrom(const std::vector<Param>& params, const std::string& syms, size_t pi, size_t ai,
               std::vector<int>& counts, bool anchored, size_t& end) {
  if (pi == params.size()) {
    end = ai;
    return !anchored || ai == syms.size();
  }
  const Param& p = params[pi];
  size_t max_take = 1;
  if (p.one_or_more) max_take = syms.size() - ai;
  size_t min_take = (p.optional || p.context) ? 0 : 1;
  size_t avail = 0;
  while (avail < max_take && ai + avail < syms.size() && Accepts(p, syms[ai + avail])) ++avail;
  for (size_t take = avail + 1; take-- > min_take;) {
    counts[pi] = static_cast<int>(take);
    if (MatchFrom(params, syms, pi + 1, ai + take, counts, anchored, end)) return true;
    if (take == 0) break;
  }
  return false;
}

}  // namespace

Value Evaluator::EvalBinary(const Node* expr, const Value& input, const FramePtr& env) {
  const std::string& op = expr->value;
  if (op == "and" || op == "or") {
    bool l = Truthy(Eval(expr->lhs.get(), input, env));
    if (op == "and") return Value::Bool(l && Truthy(Eval(expr->rhs.get(), input, env)));
    return Value::Bool(l || Truthy(Eval(expr->rhs.get(), input, env)));
  }
  Value lhs = Eval(expr->lhs.get(), input, env);
  Value rhs = Eval(expr->rhs.get(), input, env);
  switch (op[0]) {
    case '+':
    case '-':
    case '*':
    case '/':
    case '%':
      return EvalNumeric(expr, lhs, rhs);
    case '=':
      return Value::Bool(!lhs.undefined() && !rhs.undefined() && DeepEqual(lhs, rhs));
    case '!':
      return Value::Bool(!lhs.undefined() && !rhs.undefined() && !DeepEqual(lhs, rhs));
    case '<':
    case '>':
      return EvalComparison(expr, lhs, rhs);
    case '&': {
      std::string s = lhs.undefined() ? "" : StringOf(lhs, false, version_);
      if (!rhs.undefined()) s += StringOf(rhs, false, version_);
      return Value::String(std::move(s));
    }
    case '.':
      return EvalRange(expr, lhs, rhs);
    case 'i': {
      if (lhs.undefined() || rhs.undefined()) return Value::Bool(false);
      if (!rhs.is_array())
        return Value::Bool(DeepEqual(lhs, rhs) && !lhs.is_array() && !lhs.is_object());
      for (const auto& e : rhs.arr().items) {
        if (lhs.is_object() || lhs.is_array()) {
          if (e.heap() == lhs.heap()) return Value::Bool(true);
        } else if (DeepEqual(e, lhs)) {
          return Value::Bool(true);
        }
      }
      return Value::Bool(false);
    }
  }
  ThrowAt("S0201", expr->position, op);
}

Value Evaluator::EvalNumeric(const Node* expr, const Value& lhs, const Value& rhs) {
  if (!lhs.undefined() && !IsNumeric(lhs)) Throw("T2001", OpArgs(expr, lhs));
  if (!rhs.undefined() && !IsNumeric(rhs)) Throw("T2002", OpArgs(expr, rhs));
  if (lhs.undefined() || rhs.undefined()) return Value();
  double a = lhs.number(), b = rhs.number(), r = 0;
  switch (expr->value[0]) {
    case '+':
      r = a + b;
      break;
    case '-':
      r = a - b;
      break;
    case '*':
      r = a * b;
      break;
    case '/':
      r = a / b;
      break;
    case '%':
      r = std::fmod(a, b);
      break;
  }
  return Value::Number(r);
}

Value Evaluator::EvalComparison(const Node* expr, const Value& lhs, const Value& rhs) {
  bool lc = Comparable(lhs), rc = Comparable(rhs);
  if (!lc || !rc) Throw("T2010", OpArgs(expr, lc ? rhs : lhs));
  if (lhs.undefined() || rhs.undefined()) return Value();
  if (lhs.kind() != rhs.kind()) {
    ErrorArgs a = OpArgs(expr, lhs);
    a.value2 = rhs;
    a.has_value2 = true;
    Throw("T2009", a);
  }
  int c;
  if (lhs.is_number()) {
    c = lhs.number() < rhs.number() ? -1 : (lhs.number() > rhs.number() ? 1 : 0);
  } else {
    c = lhs.str().compare(rhs.str());
  }
  const std::string& op = expr->value;
  if (op == "<") return Value::Bool(c < 0);
  if (op == "<=") return Value::Bool(c <= 0);
  if (op == ">") return Value::Bool(c > 0);
  return Value::Bool(c >= 0);
}

Value Evaluator::EvalRange(const Node* expr, const Value& lhs, const Value& rhs) {
  auto is_int = [](const Value& v) {
    return v.is_number() && std::floor(v.number()) == v.number();
  };
  if (!lhs.undefined() && !is_int(lhs)) Throw("T2003", OpArgs(expr, lhs));
  if (!rhs.undefined() && !is_int(rhs)) Throw("T2004", OpArgs(expr, rhs));
  if (lhs.undefined() || rhs.undefined()) return Value();
  double a = lhs.number(), b = rhs.number();
  if (a > b) return Value();
  double size = b - a + 1;
  if (size > static_cast<double>(kMaxRangeSize)) {
    ErrorArgs e;
    e.position = expr->position;
    e.value = Value::Number(size);
    e.has_value = true;
    Throw("D2014", e);
  }
  auto out = NewArray();
  out->items.reserve(static_cast<size_t>(size));
  // A range may hold ten million items: keep the time limit in force.
  constexpr size_t kItemsPerCheck = 256;
  for (double x = a; x <= b; ++x) {
    if (out->items.size() % kItemsPerCheck == 0) CheckLimits(expr->position);
    out->items.push_back(Value::Number(x));
  }
  return Value::Array(out);
}

Value Evaluator::EvalUnary(const Node* expr, const Value& input, const FramePtr& env) {
  if (expr->value == "-") {
    Value v = Eval(expr->expression.get(), input, env);
    if (v.undefined()) return v;
    if (IsNumeric(v)) return Value::Number(-v.number());
    Throw("D1002", OpArgs(expr, v));
  }
  if (expr->value == "[") {
    auto out = NewArray();
    for (const auto& item : expr->expressions) {
      Value v = Eval(item.get(), input, env);
      if (v.undefined()) continue;
      if (item->type == NodeType::kUnary && item->value == "[") {
        out->items.push_back(v);
      } else if (v.is_array()) {
        out->items.insert(out->items.end(), v.arr().items.begin(), v.arr().items.end());
      } else {
        out->items.push_back(v);
      }
    }
    out->cons = expr->cons_array;
    return Value::Array(out);
  }
  return EvalGroup(expr->pairs, expr->position, input, env);
}

// ---------------------------------------------------------------- functions

Value Evaluator::EvalFunction(const Node* expr, const Value& input, const FramePtr& env,
                              const Value* applyto) {
  Value proc = Eval(expr->procedure.get(), input, env);
  const Node* p = expr->procedure.get();
  std::string name = p->type == NodeType::kPath ? p->steps[0]->value : p->value;
  if (proc.undefined() && p->type == NodeType::kPath &&
      !LookupVariable(p->steps[0]->value, env).undefined()) {
    ThrowAt("T1005", expr->position, p->steps[0]->value);
  }
  std::vector<Value> args;
  args.reserve(expr->arguments.size() + 1);
  if (applyto) args.push_back(*applyto);
  for (const auto& a : expr->arguments) args.push_back(Eval(a.get(), input, env));
  try {
    return Apply(proc, std::move(args), input, env, expr->position, name);
  } catch (JsonataException& e) {
    Error err = e.error();
    bool changed = false;
    if (err.position < 0) {
      err.position = expr->position;
      changed = true;
    }
    if (!err.token) {
      err.token = name;
      changed = true;
      if (err.message.find("function  ") != std::string::npos) {
        err.message = MakeError(err.code, ErrorArgs{}).message;
      }
    }
    if (changed) throw JsonataException(err);
    throw;
  }
}

Value Evaluator::EvalPartial(const Node* expr, const Value& input, const FramePtr& env) {
  Value proc = Eval(expr->procedure.get(), input, env);
  const Node* p = expr->procedure.get();
  if (proc.undefined() && p->type == NodeType::kPath &&
      !LookupVariable(p->steps[0]->value, env).undefined()) {
    ThrowAt("T1007", expr->position, p->steps[0]->value);
  }
  auto fn = std::make_shared<FunctionNode>();
  fn->type = FunctionNode::Type::kPartial;
  for (const auto& a : expr->arguments) {
    bool ph = a->type == NodeType::kOperator && a->value == "?";
    fn->placeholder.push_back(ph);
    fn->bound.push_back(ph ? Value() : Eval(a.get(), input, env));
    if (ph) ++fn->arity;
  }
  if (!proc.is_function()) {
    ThrowAt("T1008", expr->position, p->type == NodeType::kPath ? p->steps[0]->value : p->value);
  }
  fn->target = proc;
  return Value::Function(fn);
}

Value Evaluator::EvalApplyOp(const Node* expr, const Value& input, const FramePtr& env) {
  Value lhs = Eval(expr->lhs.get(), input, env);
  if (expr->rhs->type == NodeType::kFunction)
    return EvalFunction(expr->rhs.get(), input, env, &lhs);
  Value func = Eval(expr->rhs.get(), input, env);
  if (!func.is_function()) ThrowValue("T2006", expr->position, func);
  if (lhs.is_function()) {
    auto fn = std::make_shared<FunctionNode>();
    fn->type = FunctionNode::Type::kNative;
    fn->arity = 1;
    Evaluator* self = this;
    FramePtr cenv = env;
    fn->native = [self, lhs, func, cenv](const std::vector<Value>& args) {
      Value first = self->Apply(lhs, args, Value(), cenv);
      return self->Apply(func, {first}, Value(), cenv);
    };
    return Value::Function(fn);
  }
  return Apply(func, {lhs}, input, env, expr->position);
}

Value Evaluator::Apply(const Value& proc, std::vector<Value> args, const Value& input,
                       const FramePtr& env, int position, const std::string& name) {
  Value result = ApplyInner(proc, args, input, env, position, name);
  while (result.is_function() && result.fn().type == FunctionNode::Type::kLambda &&
         result.fn().thunk) {
    CheckLimits(position);
    FunctionNode& thunk = result.fn();
    const Node* body = thunk.lambda->body.get();
    Value next = Eval(body->procedure.get(), thunk.input, thunk.env);
    const Node* p = body->procedure.get();
    std::string next_name = p->type == NodeType::kPath ? p->steps[0]->value : p->value;
    std::vector<Value> next_args;
    for (const auto& a : body->arguments)
      next_args.push_back(Eval(a.get(), thunk.input, thunk.env));
    if (next.undefined() && p->type == NodeType::kPath &&
        !LookupVariable(p->steps[0]->value, thunk.env).undefined()) {
      ThrowAt("T1005", body->position, p->steps[0]->value);
    }
    Value keep = result;  // keeps the thunk's environment alive during the call
    result = ApplyInner(next, next_args, input, env, body->position, next_name);
  }
  return result;
}

int Evaluator::Arity(const Value& fn) const {
  if (!fn.is_function()) return 0;
  const FunctionNode& f = fn.fn();
  if (f.type == FunctionNode::Type::kBuiltin) {
    int n = 0;  // optional parameters do not count, as JavaScript's Function.length
    for (const auto& p : f.builtin->signature->params) n += p.optional ? 0 : 1;
    return n;
  }
  return f.arity;
}

Value Evaluator::ApplyInner(const Value& proc, std::vector<Value>& args, const Value& input,
                            const FramePtr& env, int position, const std::string& name) {
  if (!proc.is_function()) {
    ErrorArgs a;
    a.position = position;
    if (!name.empty()) a.token = name;
    Throw("T1006", a);
  }
  FunctionNode& fn = proc.fn();
  switch (fn.type) {
    case FunctionNode::Type::kLambda:
      if (fn.lambda->signature) Validate(*fn.lambda->signature, args, input, position, name);
      return ApplyProcedure(fn, args);
    case FunctionNode::Type::kBuiltin: {
      Validate(*fn.builtin->signature, args, input, position, fn.builtin->name);
      CallCtx ctx{*this, input, env, position};
      return fn.builtin->impl(ctx, args);
    }
    case FunctionNode::Type::kPartial: {
      std::vector<Value> full;
      size_t next = 0;
      for (size_t i = 0; i < fn.bound.size(); ++i) {
        if (fn.placeholder[i]) {
          full.push_back(next < args.size() ? args[next] : Value());
          ++next;
        } else {
          full.push_back(fn.bound[i]);
        }
      }
      return Apply(fn.target, std::move(full), input, env, position, name);
    }
    case FunctionNode::Type::kRegex:
      return ApplyRegex(*fn.regex, args);
    case FunctionNode::Type::kNative:
      return fn.native(args);
  }
  return Value();
}

Value Evaluator::ApplyProcedure(FunctionNode& fn, std::vector<Value>& args) {
  FramePtr frame = NewFrame(fn.env);
  const auto& params = fn.lambda->arguments;
  for (size_t i = 0; i < params.size(); ++i) {
    frame->vars.emplace_back(params[i]->value, i < args.size() ? args[i] : Value());
  }
  return Eval(fn.lambda->body.get(), fn.input, frame);
}

void Evaluator::Validate(const Signature& sig, std::vector<Value>& args, const Value& input,
                         int position, const std::string& name) {
  std::string syms;
  for (const auto& a : args) syms += Symbol(a);
  std::vector<int> counts(sig.params.size(), 0);
  size_t end = 0;
  auto fail = [&](const char* code, size_t index, const Value& v) {
    ErrorArgs e;
    e.position = position;
    e.token = name;
    e.index = static_cast<int>(index) + 1;
    e.value = v;
    e.has_value = true;
    Throw(code, e);
  };
  if (!MatchFrom(sig.params, syms, 0, 0, counts, true, end)) {
    size_t good = 0;
    for (size_t k = 1; k <= sig.params.size(); ++k) {
      std::vector<Param> prefix(sig.params.begin(), sig.params.begin() + k);
      std::vector<int> c(k, 0);
      size_t e2 = 0;
      if (!MatchFrom(prefix, syms, 0, 0, c, false, e2))
        fail("T0410", good, good < args.size() ? args[good] : Value());
      good = e2;
    }
    fail("T0410", good, good < args.size() ? args[good] : Value());
  }
  std::vector<Value> out;
  size_t ai = 0;
  for (size_t pi = 0; pi < sig.params.size(); ++pi) {
    const Param& p = sig.params[pi];
    if (counts[pi] == 0) {
      if (p.context) {
        Value ctx = input;
        if (ctx.is_array() && ctx.arr().outer_wrapper && !ctx.arr().items.empty())
          ctx = ctx.arr().items[0];
        if (!Accepts(p, Symbol(ctx))) {
          ErrorArgs e;
          e.position = position;
          e.token = name;
          e.index = static_cast<int>(ai) + 1;
          e.value = ctx;
          e.has_value = true;
          Throw("T0411", e);
        }
        out.push_back(ctx);
      } else if (!p.one_or_more && !p.optional) {
        out.push_back(Value());
      }
      continue;
    }
    for (int k = 0; k < counts[pi]; ++k, ++ai) {
      Value arg = args[ai];
      if (p.type == 'a' && !arg.undefined()) {
        if (!p.subtype.empty()) {
          bool ok = true;
          char want = p.subtype[0];
          auto matches = [&](const Value& v) {
            char s = Symbol(v);
            return want == 'x' || s == want || (want == 'j' && s != 'f');
          };
          if (arg.is_array()) {
            for (const auto& e : arg.arr().items) ok = ok && matches(e);
          } else {
            ok = matches(arg);
          }
          if (!ok) {
            ErrorArgs e;
            e.position = position;
            e.token = name;
            e.index = static_cast<int>(ai) + 1;
            e.value = arg;
            e.has_value = true;
            static const std::map<char, std::string> kNames = {
                {'a', "arrays"},  {'b', "booleans"}, {'f', "functions"},
                {'n', "numbers"}, {'o', "objects"},  {'s', "strings"}};
            auto it = kNames.find(want);
            e.type = it == kNames.end() ? "" : it->second;
            Throw("T0412", e);
          }
        }
        if (!arg.is_array()) {
          auto wrap = NewArray();
          wrap->items.push_back(arg);
          arg = Value::Array(wrap);
        }
      }
      out.push_back(std::move(arg));
    }
  }
  args = std::move(out);
}

Value Evaluator::ApplyRegex(const Regex& re, const std::vector<Value>& args) {
  if (args.empty() || !args[0].is_string()) return Value();
  const std::string& s = args[0].str();
  size_t from = args.size() > 1 && args[1].is_number() ? static_cast<size_t>(args[1].number()) : 0;
  Regex::Match m;
  if (from > s.size() || !re.Search(s, from, m)) return Value();
  auto obj = NewObject();
  obj->Set("match", Value::String(s.substr(m.start, m.end - m.start)));
  obj->Set("start", Value::Number(static_cast<double>(CodePointCount(s.substr(0, m.start)))));
  obj->Set("end", Value::Number(static_cast<double>(CodePointCount(s.substr(0, m.end)))));
  auto groups = NewArray();
  for (const auto& g : m.groups) {
    groups->items.push_back(Value::String(g ? s.substr(g->first, g->second - g->first) : ""));
  }
  obj->Set("groups", Value::Array(groups));
  auto next = std::make_shared<FunctionNode>();
  next->type = FunctionNode::Type::kNative;
  Evaluator* self = this;
  size_t after = m.end > m.start ? m.end : m.end + 1;
  Value subject = args[0];
  next->native = [self, subject, after, &re](const std::vector<Value>&) {
    return self->ApplyRegex(re, {subject, Value::Number(static_cast<double>(after))});
  };
  obj->Set("next", Value::Function(next));
  return Value::Object(obj);
}

// ---------------------------------------------------------------- transform

Value Evaluator::EvalTransform(const Node* expr, const Value& input, const FramePtr& env) {
  auto fn = std::make_shared<FunctionNode>();
  fn->type = FunctionNode::Type::kNative;
  fn->arity = 1;
  Evaluator* self = this;
  FramePtr cenv = env;
  fn->native = [self, expr, cenv](const std::vector<Value>& args) -> Value {
    Value obj = args.empty() ? Value() : args[0];
    if (obj.undefined()) return Value();
    if (!obj.is_object() && !obj.is_array()) {
      ErrorArgs e;
      e.position = expr->position;
      e.index = 1;
      e.token = "transform";
      e.value = obj;
      e.has_value = true;
      Throw("T0410", e);
    }
    Value result = DeepClone(obj);
    Value matches = self->Eval(expr->pattern.get(), result, cenv);
    if (matches.undefined()) return result;
    std::vector<Value> list;
    if (matches.is_array()) {
      list = matches.arr().items;
    } else {
      list.push_back(matches);
    }
    for (const auto& match : list) {
      Value update = self->Eval(expr->update.get(), match, cenv);
      if (!update.undefined()) {
        if (!update.is_object()) ThrowValue("T2011", expr->update->position, update);
        if (match.is_object()) {
          for (const auto& [k, v] : update.obj().items) match.obj().Set(k, v);
        }
      }
      if (expr->remove) {
        Value del = self->Eval(expr->remove.get(), match, cenv);
        if (del.undefined()) continue;
        std::vector<Value> keys;
        if (del.is_array()) {
          keys = del.arr().items;
        } else {
          keys.push_back(del);
        }
        for (const auto& k : keys) {
          if (!k.is_string()) ThrowValue("T2012", expr->remove->position, del);
        }
        if (match.is_object()) {
          for (const auto& k : keys) match.obj().Remove(k.str());
        }
      }
    }
    return result;
  };
  return Value::Function(fn);
}

}  // namespace stepline::jsonata
