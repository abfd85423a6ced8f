// Numeric, aggregation and boolean built-ins.
#include <cmath>
#include <random>

#include "engine/jsonata/builtins.h"
#include "engine/jsonata/errors.h"

namespace stepline::jsonata {

namespace {

const Value kUndef;
Value Num(double d) { return Value::Number(d); }

Value FnSum(CallCtx&, std::vector<Value>& a) {
  if (a[0].undefined()) return kUndef;
  double s = 0;
  for (const auto& e : a[0].arr().items) s += e.number();
  return Num(s);
}

Value FnCount(CallCtx&, std::vector<Value>& a) {
  if (a[0].undefined()) return Num(0);
  return Num(static_cast<double>(a[0].arr().size()));
}

Value FnMax(CallCtx&, std::vector<Value>& a) {
  if (a[0].undefined() || a[0].arr().items.empty()) return kUndef;
  double m = -INFINITY;
  for (const auto& e : a[0].arr().items) m = std::max(m, e.number());
  return Num(m);
}

Value FnMin(CallCtx&, std::vector<Value>& a) {
  if (a[0].undefined() || a[0].arr().items.empty()) return kUndef;
  double m = INFINITY;
  for (const auto& e : a[0].arr().items) m = std::min(m, e.number());
  return Num(m);
}

Value FnAverage(CallCtx&, std::vector<Value>& a) {
  if (a[0].undefined() || a[0].arr().items.empty()) return kUndef;
  double s = 0;
  for (const auto& e : a[0].arr().items) s += e.number();
  return Num(s / static_cast<double>(a[0].arr().size()));
}

bool ParseJsNumber(const std::string& s, double& out) {
  // JSON number grammar plus hex/octal/binary literals as $number accepts.
  if (s.size() > 2 && s[0] == '0' &&
      (s[1] == 'x' || s[1] == 'X' || s[1] == 'o' || s[1] == 'O' || s[1] == 'b' || s[1] == 'B')) {
    int base = (s[1] == 'x' || s[1] == 'X') ? 16 : (s[1] == 'o' || s[1] == 'O') ? 8 : 2;
    char* end = nullptr;
    unsigned long long v = std::strtoull(s.c_str() + 2, &end, base);
    if (*end != 0) return false;
    out = static_cast<double>(v);
    return true;
  }
  size_t i = 0, n = s.size();
  if (i < n && s[i] == '-') ++i;
  if (i >= n || !std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  while (i < n && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
  if (i < n && s[i] == '.') {
    ++i;
    if (i >= n || !std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    while (i < n && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    if (i >= n || !std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    while (i < n && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
  }
  if (i != n) return false;
  out = std::strtod(s.c_str(), nullptr);
  return true;
}

Value FnNumber(CallCtx& ctx, std::vector<Value>& a) {
  const Value& v = a[0];
  if (v.undefined()) return kUndef;
  if (v.is_number()) return v;
  if (v.is_bool()) return Num(v.boolean() ? 1 : 0);
  double d;
  if (v.is_string() && ParseJsNumber(v.str(), d) && std::isfinite(d)) return Num(d);
  ThrowValue("D3030", ctx.position, v);
}

Value FnFloor(CallCtx&, std::vector<Value>& a) {
  return a[0].undefined() ? kUndef : Num(std::floor(a[0].number()));
}
Value FnCeil(CallCtx&, std::vector<Value>& a) {
  return a[0].undefined() ? kUndef : Num(std::ceil(a[0].number()));
}
Value FnAbs(CallCtx&, std::vector<Value>& a) {
  return a[0].undefined() ? kUndef : Num(std::fabs(a[0].number()));
}

}  // namespace

// Rounds half to even at `precision` decimals, on the decimal representation
// (shifting the exponent in text avoids binary artefacts such as 2.675).
double RoundHalfEven(double value, int precision) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.15e", value);
  std::string text = buf;
  size_t e = text.find('e');
  int exp10 = std::atoi(text.c_str() + e + 1) + precision;
  double shifted = std::strtod((text.substr(0, e) + "e" + std::to_string(exp10)).c_str(), nullptr);
  double r = std::round(shifted);
  if (std::fabs(shifted - std::trunc(shifted)) == 0.5) {
    double t = std::trunc(shifted);
    r = std::fmod(t, 2.0) == 0 ? t : t + (shifted > 0 ? 1 : -1);
  }
  std::snprintf(buf, sizeof buf, "%.15e", r);
  text = buf;
  e = text.find('e');
  exp10 = std::atoi(text.c_str() + e + 1) - precision;
  double out = std::strtod((text.substr(0, e) + "e" + std::to_string(exp10)).c_str(), nullptr);
  return out == 0 ? 0 : out;
}

namespace {

Value FnRound(CallCtx&, std::vector<Value>& a) {
  if (a[0].undefined()) return kUndef;
  int precision = Arg(a, 1).undefined() ? 0 : static_cast<int>(a[1].number());
  return Num(RoundHalfEven(a[0].number(), precision));
}

Value FnSqrt(CallCtx& ctx, std::vector<Value>& a) {
  if (a[0].undefined()) return kUndef;
  if (a[0].number() < 0) ThrowValue("D3060", ctx.position, a[0]);
  return Num(std::sqrt(a[0].number()));
}

Value FnPower(CallCtx& ctx, std::vector<Value>& a) {
  if (a[0].undefined()) return kUndef;
  double r = std::pow(a[0].number(), a[1].number());
  if (!std::isfinite(r)) {
    ErrorArgs e;
    e.position = ctx.position;
    e.value = a[0];
    e.has_value = true;
    e.exp = NumberToJs(a[1].number());
    Throw("D3061", e);
  }
  return Num(r);
}

Value FnRandom(CallCtx&, std::vector<Value>&) {
  thread_local std::mt19937_64 gen{std::random_device{}()};
  return Num(std::uniform_real_distribution<double>(0.0, 1.0)(gen));
}

Value FnBoolean(CallCtx&, std::vector<Value>& a) {
  if (a[0].undefined()) return kUndef;
  if (a[0].is_function()) return Value::Bool(false);
  return Value::Bool(Truthy(a[0]));
}

Value FnNot(CallCtx&, std::vector<Value>& a) {
  if (a[0].undefined()) return kUndef;
  if (a[0].is_function()) return Value::Bool(true);
  return Value::Bool(!Truthy(a[0]));
}

Value FnExists(CallCtx&, std::vector<Value>& a) { return Value::Bool(!a[0].undefined()); }

}  // namespace

void AddNumericFunctions(BuiltinList& out) {
  out.push_back({"sum", "<a<n>:n>", FnSum});
  out.push_back({"count", "<a:n>", FnCount});
  out.push_back({"max", "<a<n>:n>", FnMax});
  out.push_back({"min", "<a<n>:n>", FnMin});
  out.push_back({"average", "<a<n>:n>", FnAverage});
  out.push_back({"number", "<(nsb)-:n>", FnNumber});
  out.push_back({"floor", "<n-:n>", FnFloor});
  out.push_back({"ceil", "<n-:n>", FnCeil});
  out.push_back({"round", "<n-n?:n>", FnRound});
  out.push_back({"abs", "<n-:n>", FnAbs});
  out.push_back({"sqrt", "<n-:n>", FnSqrt});
  out.push_back({"power", "<n-n:n>", FnPower});
  out.push_back({"random", "<:n>", FnRandom});
  out.push_back({"boolean", "<x-:b>", FnBoolean});
  out.push_back({"not", "<x-:b>", FnNot});
  out.push_back({"exists", "<x:b>", FnExists});
}

}  // namespace stepline::jsonata
