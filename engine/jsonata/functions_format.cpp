// Number formatting built-ins: $formatBase, $formatInteger, $parseInteger,
// $formatNumber, and $eval.
#include <cmath>

#include "engine/jsonata/ast.h"
#include "engine/jsonata/builtins.h"
#include "engine/jsonata/errors.h"
#include "engine/jsonata/format_integer.h"

namespace stepline::jsonata {

namespace {

Value FnFormatBase(CallCtx& ctx, std::vector<Value>& a) {
  if (a[0].undefined()) return Value();
  double v = std::round(a[0].number());
  int radix = Arg(a, 1).undefined() ? 10 : static_cast<int>(a[1].number());
  if (radix < 2 || radix > 36) ThrowValue("D3100", ctx.position, a[1]);
  bool neg = v < 0;
  double x = std::fabs(v);
  std::string out;
  do {
    int digit = static_cast<int>(std::fmod(x, radix));
    out.insert(out.begin(), "0123456789abcdefghijklmnopqrstuvwxyz"[digit]);
    x = std::floor(x / radix);
  } while (x > 0);
  return Value::String(neg ? "-" + out : out);
}

Value FnFormatInteger(CallCtx&, std::vector<Value>& a) {
  if (a[0].undefined()) return Value();
  return Value::String(FormatInteger(a[0].number(), a[1].str()));
}

Value FnParseInteger(CallCtx&, std::vector<Value>& a) {
  if (a[0].undefined()) return Value();
  auto v = ParseInteger(a[0].str(), a[1].str());
  if (!v) return Value();
  return Value::Number(*v);
}

Value FnFormatNumber(CallCtx& ctx, std::vector<Value>& a) {
  if (a[0].undefined()) return Value();
  return Value::String(FormatNumberPicture(ctx, a[0].number(), a[1].str(), Arg(a, 2)));
}

Value FnEval(CallCtx& ctx, std::vector<Value>& a) {
  if (a[0].undefined()) return Value();
  NodePtr ast;
  try {
    ast = Parse(a[0].str(), ctx.ev.version());
  } catch (const JsonataException& e) {
    ErrorArgs args;
    args.position = ctx.position;
    args.value = Value::String(e.error().message);
    args.has_value = true;
    Throw("D3120", args);
  }
  static thread_local std::vector<NodePtr> keep;  // functions may outlive this call
  keep.push_back(ast);
  if (keep.size() > 1000) keep.erase(keep.begin());
  Value input = Arg(a, 1).undefined() ? ctx.input : a[1];
  if (input.is_array() && !IsSequence(input)) {
    auto wrap = NewArray(true);
    wrap->items.push_back(input);
    wrap->outer_wrapper = true;
    input = Value::Array(wrap);
  }
  try {
    return ctx.ev.Eval(ast.get(), input, ctx.env);
  } catch (const JsonataException& e) {
    ErrorArgs args;
    args.position = ctx.position;
    args.value = Value::String(e.error().message);
    args.has_value = true;
    Throw("D3121", args);
  }
}

}  // namespace

void AddFormatFunctions(BuiltinList& out) {
  out.push_back({"formatBase", "<n-n?:s>", FnFormatBase});
  out.push_back({"formatInteger", "<n-s:s>", FnFormatInteger});
  out.push_back({"parseInteger", "<s-s:n>", FnParseInteger});
  out.push_back({"formatNumber", "<n-so?:s>", FnFormatNumber});
  out.push_back({"eval", "<sx?:x>", FnEval});
}

}  // namespace stepline::jsonata
