// Array, object and higher-order built-ins, plus $type/$error/$assert/$eval.
#include <algorithm>
#include <random>

#include "engine/jsonata/builtins.h"
#include "engine/jsonata/errors.h"

namespace stepline::jsonata {

namespace {

const Value kUndef;

// Arguments for a callback: value, index, array — as many as it takes.
std::vector<Value> HofArgs(CallCtx& ctx, const Value& fn, const Value& v, size_t i,
                           const Value& arr) {
  int arity = ctx.ev.Arity(fn);
  std::vector<Value> args{v};
  if (arity >= 2) args.push_back(Value::Number(static_cast<double>(i)));
  if (arity >= 3) args.push_back(arr);
  return args;
}

Value FnAppend(CallCtx&, std::vector<Value>& a) { return AppendValues(a[0], a[1]); }

Value FnReverse(CallCtx&, std::vector<Value>& a) {
  if (a[0].undefined()) return kUndef;
  auto out = NewArray();
  out->items.assign(a[0].arr().items.rbegin(), a[0].arr().items.rend());
  return Value::Array(out);
}

Value FnShuffle(CallCtx&, std::vector<Value>& a) {
  if (a[0].undefined()) return kUndef;
  auto out = NewArray();
  out->items = a[0].arr().items;
  thread_local std::mt19937_64 gen{std::random_device{}()};
  std::shuffle(out->items.begin(), out->items.end(), gen);
  return Value::Array(out);
}

Value FnDistinct(CallCtx&, std::vector<Value>& a) {
  if (a[0].undefined()) return kUndef;
  if (!a[0].is_array() || a[0].arr().size() <= 1) return a[0];
  auto out = IsSequence(a[0]) ? NewArray(true) : NewArray();
  for (const auto& e : a[0].arr().items) {
    bool seen = false;
    for (const auto& o : out->items) {
      if (DeepEqual(o, e)) {
        seen = true;
        break;
      }
    }
    if (!seen) out->items.push_back(e);
  }
  return Value::Array(out);
}

Value FnSort(CallCtx& ctx, std::vector<Value>& a) {
  if (a[0].undefined()) return kUndef;
  std::vector<Value> items = a[0].arr().items;
  if (items.size() <= 1) return a[0];
  const Value& cmp = Arg(a, 1);
  if (cmp.undefined()) {
    bool nums =
        std::all_of(items.begin(), items.end(), [](const Value& v) { return v.is_number(); });
    bool strs =
        std::all_of(items.begin(), items.end(), [](const Value& v) { return v.is_string(); });
    if (!nums && !strs) ThrowAt("D3070", ctx.position);
    std::stable_sort(items.begin(), items.end(), [&](const Value& x, const Value& y) {
      return nums ? x.number() < y.number() : x.str() < y.str();
    });
  } else {
    // comparator(a, b) true means a sorts after b.
    std::stable_sort(items.begin(), items.end(), [&](const Value& x, const Value& y) {
      return Truthy(ctx.ev.Apply(cmp, {y, x}, ctx.input, ctx.env));
    });
  }
  auto out = NewArray();
  out->items = std::move(items);
  return Value::Array(out);
}

Value FnKeys(CallCtx&, std::vector<Value>& a) {
  auto out = NewArray(true);
  auto add = [&](const Value& o) {
    for (const auto& [k, v] : o.obj().items) {
      bool dup = false;
      for (const auto& e : out->items) dup = dup || e.str() == k;
      if (!dup) out->items.push_back(Value::String(k));
    }
  };
  if (a[0].is_array()) {
    for (const auto& e : a[0].arr().items) {
      if (e.is_object()) add(e);
    }
  } else if (a[0].is_object()) {
    add(a[0]);
  }
  if (out->items.empty()) return kUndef;
  return Value::Array(out);
}

Value LookupIn(const Value& v, const std::string& key) {
  if (v.is_array()) {
    auto out = NewArray(true);
    for (const auto& e : v.arr().items) {
      Value r = LookupIn(e, key);
      if (r.undefined()) continue;
      if (r.is_array()) {
        out->items.insert(out->items.end(), r.arr().items.begin(), r.arr().items.end());
      } else {
        out->items.push_back(r);
      }
    }
    return Value::Array(out);
  }
  if (v.is_object()) {
    const Value* f = v.obj().Find(key);
    return f ? *f : kUndef;
  }
  return kUndef;
}

Value FnLookup(CallCtx&, std::vector<Value>& a) { return LookupIn(a[0], a[1].str()); }

Value FnSpread(CallCtx&, std::vector<Value>& a) {
  const Value& v = a[0];
  if (v.is_array()) {
    auto out = NewArray(true);
    for (const auto& e : v.arr().items) {
      std::vector<Value> one{e};
      CallCtx* none = nullptr;
      (void)none;
      if (e.is_object()) {
        for (const auto& [k, x] : e.obj().items) {
          auto o = NewObject();
          o->Set(k, x);
          out->items.push_back(Value::Object(o));
        }
      } else {
        out->items.push_back(e);
      }
    }
    return Value::Array(out);
  }
  if (v.is_object()) {
    auto out = NewArray(true);
    for (const auto& [k, x] : v.obj().items) {
      auto o = NewObject();
      o->Set(k, x);
      out->items.push_back(Value::Object(o));
    }
    return Value::Array(out);
  }
  return v;
}

Value FnMerge(CallCtx&, std::vector<Value>& a) {
  if (a[0].undefined()) return kUndef;
  auto out = NewObject();
  for (const auto& e : a[0].arr().items) {
    for (const auto& [k, v] : e.obj().items) out->Set(k, v);
  }
  return Value::Object(out);
}

Value FnEach(CallCtx& ctx, std::vector<Value>& a) {
  if (a[0].undefined()) return kUndef;
  auto out = NewArray(true);
  for (const auto& [k, v] : a[0].obj().items) {
    int arity = ctx.ev.Arity(a[1]);
    std::vector<Value> args{v};
    if (arity >= 2) args.push_back(Value::String(k));
    if (arity >= 3) args.push_back(a[0]);
    Value r = ctx.ev.Apply(a[1], args, ctx.input, ctx.env);
    if (!r.undefined()) out->items.push_back(r);
  }
  return Value::Array(out);
}

Value FnSift(CallCtx& ctx, std::vector<Value>& a) {
  if (a[0].undefined()) return kUndef;
  auto out = NewObject();
  for (const auto& [k, v] : a[0].obj().items) {
    int arity = ctx.ev.Arity(a[1]);
    std::vector<Value> args{v};
    if (arity >= 2) args.push_back(Value::String(k));
    if (arity >= 3) args.push_back(a[0]);
    if (Truthy(ctx.ev.Apply(a[1], args, ctx.input, ctx.env))) out->Set(k, v);
  }
  if (out->items.empty()) return kUndef;
  return Value::Object(out);
}

Value FnMap(CallCtx& ctx, std::vector<Value>& a) {
  if (a[0].undefined()) return kUndef;
  auto out = NewArray(true);
  const auto& items = a[0].arr().items;
  for (size_t i = 0; i < items.size(); ++i) {
    Value r = ctx.ev.Apply(a[1], HofArgs(ctx, a[1], items[i], i, a[0]), ctx.input, ctx.env);
    if (!r.undefined()) out->items.push_back(r);
  }
  return Value::Array(out);
}

Value FnFilter(CallCtx& ctx, std::vector<Value>& a) {
  if (a[0].undefined()) return kUndef;
  auto out = NewArray(true);
  const auto& items = a[0].arr().items;
  for (size_t i = 0; i < items.size(); ++i) {
    Value r = ctx.ev.Apply(a[1], HofArgs(ctx, a[1], items[i], i, a[0]), ctx.input, ctx.env);
    if (Truthy(r)) out->items.push_back(items[i]);
  }
  return Value::Array(out);
}

Value FnSingle(CallCtx& ctx, std::vector<Value>& a) {
  if (a[0].undefined()) return kUndef;
  bool found = false;
  Value result;
  const auto& items = a[0].arr().items;
  for (size_t i = 0; i < items.size(); ++i) {
    bool pass = true;
    if (!Arg(a, 1).undefined()) {
      pass = Truthy(ctx.ev.Apply(a[1], HofArgs(ctx, a[1], items[i], i, a[0]), ctx.input, ctx.env));
    }
    if (!pass) continue;
    if (found) ThrowAt("D3138", ctx.position);
    found = true;
    result = items[i];
  }
  if (!found) ThrowAt("D3139", ctx.position);
  return result;
}

Value FnReduce(CallCtx& ctx, std::vector<Value>& a) {
  if (a[0].undefined()) return kUndef;
  int arity = ctx.ev.Arity(a[1]);
  if (arity < 2) ThrowAt("D3050", ctx.position);
  const auto& items = a[0].arr().items;
  size_t i = 0;
  Value acc;
  if (Arg(a, 2).undefined()) {
    if (items.empty()) return kUndef;
    acc = items[0];
    i = 1;
  } else {
    acc = a[2];
  }
  for (; i < items.size(); ++i) {
    std::vector<Value> args{acc, items[i]};
    if (arity >= 3) args.push_back(Value::Number(static_cast<double>(i)));
    if (arity >= 4) args.push_back(a[0]);
    acc = ctx.ev.Apply(a[1], args, ctx.input, ctx.env);
  }
  return acc;
}

Value FnZip(CallCtx&, std::vector<Value>& a) {
  auto out = NewArray();
  size_t n = SIZE_MAX;
  for (const auto& arr : a) n = std::min(n, arr.undefined() ? 0 : arr.arr().size());
  if (a.empty()) n = 0;
  for (size_t i = 0; i < n; ++i) {
    auto tuple = NewArray();
    for (const auto& arr : a) tuple->items.push_back(arr.arr().items[i]);
    out->items.push_back(Value::Array(tuple));
  }
  return Value::Array(out);
}

Value FnType(CallCtx&, std::vector<Value>& a) {
  switch (a[0].kind()) {
    case Kind::kUndefined:
      return kUndef;
    case Kind::kNull:
      return Value::String("null");
    case Kind::kBool:
      return Value::String("boolean");
    case Kind::kNumber:
      return Value::String("number");
    case Kind::kString:
      return Value::String("string");
    case Kind::kArray:
      return Value::String("array");
    case Kind::kObject:
      return Value::String("object");
    case Kind::kFunction:
      return Value::String("function");
  }
  return kUndef;
}

Value FnError(CallCtx&, std::vector<Value>& a) {
  ErrorArgs e;
  e.message = Arg(a, 0).is_string() ? a[0].str() : "$error() function evaluated";
  Throw("D3137", e);
}

Value FnAssert(CallCtx&, std::vector<Value>& a) {
  if (!a[0].boolean()) {
    ErrorArgs e;
    e.message = Arg(a, 1).is_string() ? a[1].str() : "$assert() statement failed";
    Throw("D3141", e);
  }
  return kUndef;
}

Value FnClone(CallCtx&, std::vector<Value>& a) { return DeepClone(a[0]); }

}  // namespace

void AddCollectionFunctions(BuiltinList& out) {
  out.push_back({"append", "<xx:a>", FnAppend});
  out.push_back({"reverse", "<a:a>", FnReverse});
  out.push_back({"shuffle", "<a:a>", FnShuffle});
  out.push_back({"distinct", "<x:x>", FnDistinct});
  out.push_back({"sort", "<af?:a>", FnSort});
  out.push_back({"keys", "<x-:a<s>>", FnKeys});
  out.push_back({"lookup", "<x-s:x>", FnLookup});
  out.push_back({"spread", "<x-:a<o>>", FnSpread});
  out.push_back({"merge", "<a<o>:o>", FnMerge});
  out.push_back({"each", "<o-f:a>", FnEach});
  out.push_back({"sift", "<o-f?:o>", FnSift});
  out.push_back({"map", "<af>", FnMap});
  out.push_back({"filter", "<af>", FnFilter});
  out.push_back({"single", "<af?>", FnSingle});
  out.push_back({"reduce", "<afj?:j>", FnReduce});
  out.push_back({"zip", "<a+>", FnZip});
  out.push_back({"type", "<x:s>", FnType});
  out.push_back({"error", "<s?:x>", FnError});
  out.push_back({"assert", "<bs?:x>", FnAssert});
  out.push_back({"clone", "<(oa)-:o>", FnClone});
}

}  // namespace stepline::jsonata
