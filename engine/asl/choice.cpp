#include "engine/asl/choice.h"

#include <cmath>
#include <stdexcept>

#include "common/timefmt.h"
#include "engine/states_error.h"

namespace stepline::asl {
namespace {

[[noreturn]] void ThrowInvalidPath(const jsonpath::Path& path) {
  throw StatesException(errors::kRuntime,
                        "Invalid path '" + path.text() +
                            "': The choice state's condition path references an invalid value.");
}

Json Resolve(const jsonpath::Path& path, const ExprContext& ctx) {
  auto value = path.Evaluate(ctx);
  if (!value) ThrowInvalidPath(path);
  return std::move(*value);
}

// -1, 0, 1 comparing two JSON numbers by value (exact for integers).
int CompareNumbers(const Json& a, const Json& b) {
  if (a.is_number_integer() && b.is_number_integer()) {
    if (a.is_number_unsigned() || b.is_number_unsigned()) {
      bool a_neg = !a.is_number_unsigned() && a.get<int64_t>() < 0;
      bool b_neg = !b.is_number_unsigned() && b.get<int64_t>() < 0;
      if (a_neg != b_neg) return a_neg ? -1 : 1;
      if (a_neg) return a.get<int64_t>() < b.get<int64_t>() ? -1 : a == b ? 0 : 1;
      uint64_t x = a.get<uint64_t>(), y = b.get<uint64_t>();
      return x < y ? -1 : x > y ? 1 : 0;
    }
    int64_t x = a.get<int64_t>(), y = b.get<int64_t>();
    return x < y ? -1 : x > y ? 1 : 0;
  }
  double x = a.get<double>(), y = b.get<double>();
  return x < y ? -1 : x > y ? 1 : 0;
}

bool Holds(ChoiceOp op, int cmp) {
  switch (op) {
    case ChoiceOp::kNumericEquals:
    case ChoiceOp::kStringEquals:
    case ChoiceOp::kTimestampEquals:
      return cmp == 0;
    case ChoiceOp::kNumericGreaterThan:
    case ChoiceOp::kStringGreaterThan:
    case ChoiceOp::kTimestampGreaterThan:
      return cmp > 0;
    case ChoiceOp::kNumericGreaterThanEquals:
    case ChoiceOp::kStringGreaterThanEquals:
    case ChoiceOp::kTimestampGreaterThanEquals:
      return cmp >= 0;
    case ChoiceOp::kNumericLessThan:
    case ChoiceOp::kStringLessThan:
    case ChoiceOp::kTimestampLessThan:
      return cmp < 0;
    case ChoiceOp::kNumericLessThanEquals:
    case ChoiceOp::kStringLessThanEquals:
    case ChoiceOp::kTimestampLessThanEquals:
      return cmp <= 0;
    default:
      return false;
  }
}

bool IsNumericOp(ChoiceOp op) {
  return op >= ChoiceOp::kNumericEquals && op <= ChoiceOp::kNumericLessThanEquals;
}
bool IsStringOp(ChoiceOp op) {
  return op >= ChoiceOp::kStringEquals && op <= ChoiceOp::kStringLessThanEquals;
}
bool IsTimestampOp(ChoiceOp op) {
  return op >= ChoiceOp::kTimestampEquals && op <= ChoiceOp::kTimestampLessThanEquals;
}

bool IsFiniteNumber(const Json& v) {
  return v.is_number() && (!v.is_number_float() || std::isfinite(v.get<double>()));
}

// A binary comparison between the variable's value and the operand's.
bool Compare(ChoiceOp op, const Json& value, const Json& operand) {
  if (op == ChoiceOp::kBooleanEquals) {
    return value.is_boolean() && operand.is_boolean() && value == operand;
  }
  if (IsNumericOp(op)) {
    if (!IsFiniteNumber(value) || !IsFiniteNumber(operand)) return false;
    return Holds(op, CompareNumbers(value, operand));
  }
  if (IsStringOp(op)) {
    if (!value.is_string() || !operand.is_string()) return false;
    int cmp = value.get_ref<const std::string&>().compare(operand.get_ref<const std::string&>());
    return Holds(op, cmp < 0 ? -1 : cmp > 0 ? 1 : 0);
  }
  if (IsTimestampOp(op)) {
    if (!value.is_string() || !operand.is_string()) return false;
    auto a = ParseRfc3339(value.get_ref<const std::string&>());
    auto b = ParseRfc3339(operand.get_ref<const std::string&>());
    if (!a || !b) return false;
    return Holds(op, *a < *b ? -1 : *a > *b ? 1 : 0);
  }
  if (op == ChoiceOp::kStringMatches) {
    return value.is_string() && operand.is_string() &&
           StringMatchesPattern(value.get_ref<const std::string&>(),
                                operand.get_ref<const std::string&>());
  }
  return false;
}

// The Is* type tests; `expected` is the rule's boolean operand.
bool TypeTest(ChoiceOp op, const Json& value, bool expected) {
  bool actual = false;
  switch (op) {
    case ChoiceOp::kIsBoolean:
      actual = value.is_boolean();
      break;
    case ChoiceOp::kIsNull:
      actual = value.is_null();
      break;
    case ChoiceOp::kIsNumeric:
      actual = value.is_number();
      break;
    case ChoiceOp::kIsString:
      actual = value.is_string();
      break;
    case ChoiceOp::kIsTimestamp:
      actual = IsAwsTimestamp(value);
      break;
    default:
      break;
  }
  return actual == expected;
}

bool IsTypeTest(ChoiceOp op) { return op >= ChoiceOp::kIsBoolean && op <= ChoiceOp::kIsTimestamp; }

bool EvaluateComparison(const ChoiceRule& rule, const ExprContext& ctx) {
  if (rule.op == ChoiceOp::kIsPresent) {
    bool present = rule.variable.Evaluate(ctx).has_value();
    return present == (rule.operand.is_boolean() && rule.operand.get<bool>());
  }
  Json value = Resolve(rule.variable, ctx);
  if (IsTypeTest(rule.op)) {
    return TypeTest(rule.op, value, rule.operand.is_boolean() && rule.operand.get<bool>());
  }
  if (rule.operand_path) return Compare(rule.op, value, Resolve(*rule.operand_path, ctx));
  return Compare(rule.op, value, rule.operand);
}

}  // namespace

bool StringMatchesPattern(std::string_view text, std::string_view pattern) {
  // Iterative glob match with backtracking to the last '*'.
  size_t t = 0, p = 0;
  size_t star_p = std::string_view::npos, star_t = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star_p = ++p;
      star_t = t;
      continue;
    }
    if (p < pattern.size()) {
      size_t width = 1;
      char expected = pattern[p];
      if (expected == '\\' && p + 1 < pattern.size()) {
        expected = pattern[p + 1];
        width = 2;
      }
      if (expected == text[t]) {
        p += width;
        ++t;
        continue;
      }
    }
    if (star_p == std::string_view::npos) return false;
    p = star_p;
    t = ++star_t;
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool IsAwsTimestamp(const Json& value) {
  return value.is_string() && ParseRfc3339(value.get_ref<const std::string&>()).has_value();
}

bool EvaluateChoiceRule(const ChoiceRule& rule, const ExprContext& ctx) {
  switch (rule.op) {
    case ChoiceOp::kAnd:
      for (const auto& child : rule.children) {
        if (!EvaluateChoiceRule(child, ctx)) return false;
      }
      return true;
    case ChoiceOp::kOr:
      for (const auto& child : rule.children) {
        if (EvaluateChoiceRule(child, ctx)) return true;
      }
      return false;
    case ChoiceOp::kNot:
      return !rule.children.empty() && !EvaluateChoiceRule(rule.children.front(), ctx);
    case ChoiceOp::kCondition:
      throw std::logic_error("JSONata Condition rules are evaluated by the interpreter");
    default:
      return EvaluateComparison(rule, ctx);
  }
}

}  // namespace stepline::asl
