// Choice states: rules in JSONPath form (Variable + one operator, And/Or/Not)
// and in JSONata form (Condition).
#include <array>

#include "common/timefmt.h"
#include "engine/asl/state_parsers.h"

namespace stepline::asl::internal {
namespace {

enum class Operand { kBool, kNumber, kString, kTimestamp };

struct OperatorEntry {
  const char* name;
  ChoiceOp op;
  Operand operand;
  bool has_path_form;
};

constexpr std::array<OperatorEntry, 23> kOperators = {{
    {"IsBoolean", ChoiceOp::kIsBoolean, Operand::kBool, false},
    {"IsNull", ChoiceOp::kIsNull, Operand::kBool, false},
    {"IsNumeric", ChoiceOp::kIsNumeric, Operand::kBool, false},
    {"IsPresent", ChoiceOp::kIsPresent, Operand::kBool, false},
    {"IsString", ChoiceOp::kIsString, Operand::kBool, false},
    {"IsTimestamp", ChoiceOp::kIsTimestamp, Operand::kBool, false},
    {"BooleanEquals", ChoiceOp::kBooleanEquals, Operand::kBool, true},
    {"NumericEquals", ChoiceOp::kNumericEquals, Operand::kNumber, true},
    {"NumericGreaterThan", ChoiceOp::kNumericGreaterThan, Operand::kNumber, true},
    {"NumericGreaterThanEquals", ChoiceOp::kNumericGreaterThanEquals, Operand::kNumber, true},
    {"NumericLessThan", ChoiceOp::kNumericLessThan, Operand::kNumber, true},
    {"NumericLessThanEquals", ChoiceOp::kNumericLessThanEquals, Operand::kNumber, true},
    {"StringEquals", ChoiceOp::kStringEquals, Operand::kString, true},
    {"StringGreaterThan", ChoiceOp::kStringGreaterThan, Operand::kString, true},
    {"StringGreaterThanEquals", ChoiceOp::kStringGreaterThanEquals, Operand::kString, true},
    {"StringLessThan", ChoiceOp::kStringLessThan, Operand::kString, true},
    {"StringLessThanEquals", ChoiceOp::kStringLessThanEquals, Operand::kString, true},
    {"StringMatches", ChoiceOp::kStringMatches, Operand::kString, false},
    {"TimestampEquals", ChoiceOp::kTimestampEquals, Operand::kTimestamp, true},
    {"TimestampGreaterThan", ChoiceOp::kTimestampGreaterThan, Operand::kTimestamp, true},
    {"TimestampGreaterThanEquals", ChoiceOp::kTimestampGreaterThanEquals, Operand::kTimestamp,
     true},
    {"TimestampLessThan", ChoiceOp::kTimestampLessThan, Operand::kTimestamp, true},
    {"TimestampLessThanEquals", ChoiceOp::kTimestampLessThanEquals, Operand::kTimestamp, true},
}};

// The comparison operator `key` names, with whether it is the "...Path" form.
const OperatorEntry* FindOperator(std::string_view key, bool* path_form) {
  *path_form = false;
  for (const auto& entry : kOperators) {
    if (key == entry.name) return &entry;
    if (entry.has_path_form && key.size() == std::string_view(entry.name).size() + 4 &&
        key.substr(0, key.size() - 4) == entry.name && key.substr(key.size() - 4) == "Path") {
      *path_form = true;
      return &entry;
    }
  }
  return nullptr;
}

bool IsLogical(std::string_view key) { return key == "And" || key == "Or" || key == "Not"; }

std::string QueryLanguageMismatch(std::string_view key, bool jsonata) {
  return std::string("The QueryLanguage is set to '") + (jsonata ? "JSONata" : "JSONPath") +
         "', but field '" + std::string(key) + "' is only supported for the '" +
         (jsonata ? "JSONPath" : "JSONata") + "' QueryLanguage";
}

ChoiceRule ParseRule(const Json& object, const std::string& location, bool top, ParseContext& ctx);

void CheckOperand(const Json& value, const OperatorEntry& entry, const std::string& location,
                  ParseContext& ctx) {
  switch (entry.operand) {
    case Operand::kBool:
      if (!value.is_boolean()) ctx.Schema("Expected value of type [BOOLEAN]", location);
      return;
    case Operand::kNumber:
      if (!value.is_number()) ctx.Schema("Expected value of type [NUMBER]", location);
      return;
    case Operand::kString:
      if (!value.is_string()) ctx.Schema("Expected value of type [STRING]", location);
      return;
    case Operand::kTimestamp:
      if (!value.is_string()) {
        ctx.Schema("Expected value of type [STRING]", location);
      } else if (!ParseRfc3339(value.get_ref<const std::string&>())) {
        ctx.Schema(
            "The value for the field '" + std::string(entry.name) + "' must be a valid timestamp",
            location);
      }
      return;
  }
}

void ParseLogical(const FieldReader& in, std::string_view key, ParseContext& ctx,
                  ChoiceRule& rule) {
  rule.op = key == "And" ? ChoiceOp::kAnd : key == "Or" ? ChoiceOp::kOr : ChoiceOp::kNot;
  if (key == "Not") {
    if (const Json* child = in.Object("Not")) {
      rule.children.push_back(ParseRule(*child, in.At("Not"), false, ctx));
    }
    return;
  }
  const Json* list = in.Array(key);
  if (!list) return;
  if (list->empty()) {
    ctx.Schema("The field '" + std::string(key) + "' should be non-empty", in.At(key));
  }
  for (size_t i = 0; i < list->size(); ++i) {
    rule.children.push_back(
        ParseRule((*list)[i], in.At(std::string(key) + "[" + std::to_string(i) + "]"), false, ctx));
  }
}

void ParseComparison(const FieldReader& in, std::string_view key, const OperatorEntry& entry,
                     bool path_form, ParseContext& ctx, ChoiceRule& rule) {
  rule.op = entry.op;
  if (in.Require({"Variable"})) {
    if (auto variable = in.Path("Variable", false)) rule.variable = std::move(*variable);
  }
  const Json& operand = *in.Get(key);
  if (path_form) {
    rule.operand_path = CompilePath(operand, key, in.At(key), false, ctx);
  } else {
    CheckOperand(operand, entry, in.At(key), ctx);
    rule.operand = operand;
  }
}

void CheckRuleFields(const Json& object, const FieldReader& in, bool top, ParseContext& ctx) {
  for (const auto& [key, value] : object.items()) {
    bool path_form = false;
    if (key == "Variable" || key == "Comment" || IsLogical(key) || FindOperator(key, &path_form)) {
      continue;
    }
    if (top && (key == "Next" || key == "Assign")) continue;
    if (key == "Condition" || (top && key == "Output")) {
      ctx.Schema(QueryLanguageMismatch(key, false), in.location());
    } else {
      ctx.Schema("Field '" + key + "' is not supported", in.location());
    }
  }
}

ChoiceRule ParseRule(const Json& object, const std::string& location, bool top, ParseContext& ctx) {
  ChoiceRule rule;
  if (!object.is_object()) {
    ctx.Schema("Expected value of type [OBJECT]", location);
    return rule;
  }
  FieldReader in(object, location, ctx);
  CheckRuleFields(object, in, top, ctx);
  std::vector<std::string> operators;
  for (const auto& [key, value] : object.items()) {
    bool path_form = false;
    if (IsLogical(key) || FindOperator(key, &path_form)) operators.push_back(key);
  }
  if (operators.size() != 1) {
    ctx.Schema("A choice rule must have exactly one comparison operator or And, Or, Not", location);
  } else if (IsLogical(operators[0])) {
    ParseLogical(in, operators[0], ctx, rule);
  } else {
    bool path_form = false;
    const OperatorEntry* entry = FindOperator(operators[0], &path_form);
    ParseComparison(in, operators[0], *entry, path_form, ctx, rule);
  }
  in.String("Comment");
  if (top) {
    in.Require({"Next"});
    if (auto next = in.NonEmptyString("Next")) rule.next = *next;
    if (in.Has("Assign")) rule.assign = ParseAssign(in, QueryLanguage::kJsonPath, ctx);
  }
  return rule;
}

ChoiceRule ParseConditionRule(const Json& object, const std::string& location, ParseContext& ctx) {
  ChoiceRule rule;
  rule.op = ChoiceOp::kCondition;
  if (!object.is_object()) {
    ctx.Schema("Expected value of type [OBJECT]", location);
    return rule;
  }
  FieldReader in(object, location, ctx);
  for (const auto& [key, value] : object.items()) {
    bool path_form = false;
    if (key == "Variable" || IsLogical(key) || FindOperator(key, &path_form)) {
      ctx.Schema(QueryLanguageMismatch(key, true), location);
    } else if (key != "Condition" && key != "Next" && key != "Comment" && key != "Assign" &&
               key != "Output") {
      ctx.Schema("Field '" + key + "' is not supported", location);
    }
  }
  in.Require({"Condition", "Next"});
  if (const Json* condition = in.Get("Condition")) {
    rule.condition = CompileJsonata(*condition, in.At("Condition"), ctx);
  }
  if (auto next = in.NonEmptyString("Next")) rule.next = *next;
  in.String("Comment");
  if (in.Has("Assign")) rule.assign = ParseAssign(in, QueryLanguage::kJsonata, ctx);
  if (const Json* output = in.Get("Output")) {
    rule.output = CompileJsonata(*output, in.At("Output"), ctx);
  }
  return rule;
}

}  // namespace

void ParseChoice(const FieldReader& in, ParseContext& ctx, State& state) {
  ChoiceSpec choice;
  in.Require({"Choices"});
  if (const Json* list = in.Array("Choices")) {
    if (list->empty()) ctx.Schema("The field 'Choices' should be non-empty", in.At("Choices"));
    for (size_t i = 0; i < list->size(); ++i) {
      std::string location = in.At("Choices[" + std::to_string(i) + "]");
      choice.choices.push_back(state.query_language == QueryLanguage::kJsonata
                                   ? ParseConditionRule((*list)[i], location, ctx)
                                   : ParseRule((*list)[i], location, true, ctx));
    }
  }
  if (auto next = in.NonEmptyString("Default")) choice.default_next = *next;
  state.spec = std::move(choice);
}

}  // namespace stepline::asl::internal
