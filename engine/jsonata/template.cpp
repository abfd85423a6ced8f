// Template: "{% expr %}" strings inside a JSON value, compiled once and
// evaluated with AWS Step Functions' error causes.
#include <set>

#include "engine/jsonata/jsonata.h"
#include "engine/states_error.h"

namespace stepline::jsonata {

namespace {
// AWS fails an expression that runs longer than one second.
constexpr int64_t kTemplateTimeLimitMs = 1000;

std::string TrimBlanks(std::string s) {
  const char* kBlanks = " \t\r\n";
  size_t first = s.find_first_not_of(kBlanks);
  if (first == std::string::npos) return std::string();
  size_t last = s.find_last_not_of(kBlanks);
  return s.substr(first, last - first + 1);
}

bool IsExpressionString(const std::string& s) {
  return s.size() >= 4 && s.compare(0, 2, "{%") == 0 && s.compare(s.size() - 2, 2, "%}") == 0;
}
}  // namespace

struct TemplateMember;

struct TemplateNode {
  enum class Type { kLiteral, kExpression, kObject, kArray } type = Type::kLiteral;
  Json literal;
  std::shared_ptr<const Expression> expr;
  std::vector<TemplateMember> members;
  std::vector<TemplateNode> items;
};

// An object member (a struct, not a pair: a pair may not hold the
// still-incomplete TemplateNode).
struct TemplateMember {
  std::string key;
  TemplateNode node;
};

class TemplateImpl {
 public:
  TemplateNode root;
  Json original;
};

namespace {

Result<TemplateNode> CompileNode(const Json& v) {
  TemplateNode n;
  if (v.is_string()) {
    const std::string& s = v.get_ref<const std::string&>();
    bool opens = s.compare(0, 2, "{%") == 0;
    bool closes = s.size() >= 2 && s.compare(s.size() - 2, 2, "%}") == 0;
    if (!IsExpressionString(s)) {
      if (opens || (closes && s.find("{%") != std::string::npos)) {
        return Status(ErrorCode::kInvalidDefinition,
                      "The JSONata expression '" + s + "' is not enclosed in '{%' and '%}'");
      }
      n.literal = v;
      return n;
    }
    // AWS quotes the expression without the blanks around it in its causes.
    std::string text = TrimBlanks(s.substr(2, s.size() - 4));
    // AWS implements JSONata 2.0.6: "??" and "?:" stay syntax errors here.
    auto compiled = Expression::Compile(text, {Version::k2_0_6});
    if (auto* err = std::get_if<Error>(&compiled)) {
      return Status(ErrorCode::kInvalidDefinition, "INVALID_JSONATA_EXPRESSION: " + err->message);
    }
    auto expr = std::get<std::shared_ptr<const Expression>>(compiled);
    if (expr->has_top_level_field_reference()) {
      return Status(ErrorCode::kInvalidDefinition,
                    "UNSUPPORTED_JSONATA_EXPRESSION: Reference to '" + expr->top_level_field() +
                        "' at the top level is not supported.");
    }
    n.type = TemplateNode::Type::kExpression;
    n.expr = expr;
    return n;
  }
  if (v.is_object()) {
    n.type = TemplateNode::Type::kObject;
    bool any = false;
    for (auto it = v.begin(); it != v.end(); ++it) {
      ASSIGN_OR_RETURN(TemplateNode child, CompileNode(it.value()));
      any = any || child.type != TemplateNode::Type::kLiteral;
      n.members.push_back({it.key(), std::move(child)});
    }
    if (!any) {
      n = TemplateNode();
      n.literal = v;
    }
    return n;
  }
  if (v.is_array()) {
    n.type = TemplateNode::Type::kArray;
    bool any = false;
    for (const auto& e : v) {
      ASSIGN_OR_RETURN(TemplateNode child, CompileNode(e));
      any = any || child.type != TemplateNode::Type::kLiteral;
      n.items.push_back(std::move(child));
    }
    if (!any) {
      n = TemplateNode();
      n.literal = v;
    }
    return n;
  }
  n.literal = v;
  return n;
}

[[noreturn]] void Fail(const std::string& location, std::string cause) {
  StatesError e;
  e.error = errors::kQueryEvaluationError;
  e.cause = std::move(cause);
  e.location = location;
  throw StatesException(std::move(e));
}

Json EvalNode(const TemplateNode& n, const std::string& path, const VariableScope& bindings) {
  switch (n.type) {
    case TemplateNode::Type::kLiteral:
      return n.literal;
    case TemplateNode::Type::kExpression: {
      std::string prefix =
          "The JSONata expression '" + n.expr->text() + "' specified for the field '" + path + "' ";
      EvalOptions options;
      options.aws_functions = true;
      options.time_limit_ms = kTemplateTimeLimitMs;
      std::optional<Json> r;
      try {
        r = n.expr->Evaluate(nullptr, &bindings, options);
      } catch (const JsonataException& e) {
        Fail(path, prefix + "threw an error during evaluation. " + e.error().code + ": " +
                       e.error().message);
      }
      if (!r) Fail(path, prefix + "returned nothing (undefined).");
      return std::move(*r);
    }
    case TemplateNode::Type::kObject: {
      Json out = Json::object();
      for (const auto& [k, child] : n.members) out[k] = EvalNode(child, path + "/" + k, bindings);
      return out;
    }
    case TemplateNode::Type::kArray: {
      Json out = Json::array();
      for (size_t i = 0; i < n.items.size(); ++i) {
        out.push_back(EvalNode(n.items[i], path + "/" + std::to_string(i), bindings));
      }
      return out;
    }
  }
  return nullptr;
}

void CollectReferenced(const TemplateNode& n, std::set<std::string>& out) {
  if (n.expr) {
    for (const auto& v : n.expr->free_variables()) out.insert(v);
  }
  for (const auto& [k, c] : n.members) CollectReferenced(c, out);
  for (const auto& c : n.items) CollectReferenced(c, out);
}

}  // namespace

Result<Template> Template::Compile(const Json& value) {
  ASSIGN_OR_RETURN(TemplateNode root, CompileNode(value));
  auto impl = std::make_shared<TemplateImpl>();
  impl->root = std::move(root);
  impl->original = value;
  Template t;
  t.impl_ = std::move(impl);
  return t;
}

Json Template::Evaluate(std::string_view field, const VariableScope& bindings) const {
  if (!impl_) return nullptr;
  return EvalNode(impl_->root, std::string(field), bindings);
}

bool Template::is_expression() const {
  return impl_ && impl_->root.type == TemplateNode::Type::kExpression;
}

const std::string& Template::expression_text() const {
  static const std::string kEmpty;
  return is_expression() ? impl_->root.expr->text() : kEmpty;
}

std::vector<std::string> Template::ReferencedVariables() const {
  std::set<std::string> names;
  if (impl_) CollectReferenced(impl_->root, names);
  return {names.begin(), names.end()};
}

const Json& Template::source() const {
  static const Json kNull;
  return impl_ ? impl_->original : kNull;
}

std::string UnexpectedTypeCause(std::string_view expression_text, std::string_view field,
                                std::string_view expected, const Json& value) {
  static const char* kNames[] = {"null",   "object", "array",  "string", "boolean",
                                 "number", "number", "number", "binary", "discarded"};
  std::string actual = kNames[static_cast<int>(value.type())];
  return "The JSONata expression '" + std::string(expression_text) + "' specified for the field '" +
         std::string(field) + "' returned an unexpected result type. Expected '" +
         std::string(expected) + "', but was '" + actual + "' for value: " + value.dump();
}

}  // namespace stepline::jsonata
