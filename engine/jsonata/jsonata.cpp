// Expression: compile (parse + static checks) and evaluate.
#include "engine/jsonata/jsonata.h"

#include <set>

#include "engine/jsonata/ast.h"
#include "engine/jsonata/evaluator.h"

namespace stepline::jsonata {

class ExpressionImpl {
 public:
  std::string text;
  NodePtr ast;
  std::vector<std::string> free_variables;
  std::string top_level_field;
  Version version = Version::k2_0_6;
};

namespace {

void CollectVariables(const Node* n, std::set<std::string>& used, std::set<std::string>& bound) {
  if (!n) return;
  if (n->type == NodeType::kVariable && !n->value.empty()) used.insert(n->value);
  if (n->type == NodeType::kBind && n->lhs) bound.insert(n->lhs->value);
  if (n->type == NodeType::kLambda) {
    for (const auto& a : n->arguments) bound.insert(a->value);
  }
  if (n->has_focus) bound.insert(n->focus);
  if (n->has_index) bound.insert(n->index);
  auto visit = [&](const NodePtr& c) { CollectVariables(c.get(), used, bound); };
  for (auto* c : {&n->lhs, &n->rhs, &n->expression, &n->procedure, &n->body, &n->condition,
                  &n->then, &n->otherwise, &n->pattern, &n->update, &n->remove}) {
    visit(*c);
  }
  for (const auto& c : n->steps) visit(c);
  for (const auto& c : n->expressions) visit(c);
  for (const auto& c : n->arguments) visit(c);
  for (const auto& [k, v] : n->pairs) {
    visit(k);
    visit(v);
  }
  for (const auto& t : n->terms) visit(t.expr);
  for (const auto* stages : {&n->predicate, &n->stages}) {
    for (const auto& s : *stages) {
      visit(s.expr);
      if (s.is_index) bound.insert(s.var);
    }
  }
  if (n->group) {
    for (const auto& [k, v] : n->group->pairs) {
      visit(k);
      visit(v);
    }
  }
}

// A field reference evaluated against the (absent) top-level input.
std::string FindTopLevelField(const Node* n) {
  if (!n) return "";
  switch (n->type) {
    case NodeType::kPath: {
      const Node* first = n->steps.empty() ? nullptr : n->steps[0].get();
      if (first && first->type == NodeType::kName) return first->value;
      return first ? FindTopLevelField(first) : "";
    }
    case NodeType::kBinary:
    case NodeType::kApply: {
      std::string l = FindTopLevelField(n->lhs.get());
      return l.empty() ? FindTopLevelField(n->rhs.get()) : l;
    }
    case NodeType::kUnary: {
      if (n->expression) return FindTopLevelField(n->expression.get());
      for (const auto& e : n->expressions) {
        std::string s = FindTopLevelField(e.get());
        if (!s.empty()) return s;
      }
      for (const auto& [k, v] : n->pairs) {
        std::string s = FindTopLevelField(k.get());
        if (s.empty()) s = FindTopLevelField(v.get());
        if (!s.empty()) return s;
      }
      return "";
    }
    case NodeType::kCondition: {
      for (const Node* c : {n->condition.get(), n->then.get(), n->otherwise.get()}) {
        std::string s = FindTopLevelField(c);
        if (!s.empty()) return s;
      }
      return "";
    }
    case NodeType::kBlock: {
      for (const auto& e : n->expressions) {
        std::string s = FindTopLevelField(e.get());
        if (!s.empty()) return s;
      }
      return "";
    }
    case NodeType::kBind:
      return FindTopLevelField(n->rhs.get());
    case NodeType::kFunction:
    case NodeType::kPartial: {
      for (const auto& e : n->arguments) {
        std::string s = FindTopLevelField(e.get());
        if (!s.empty()) return s;
      }
      return "";
    }
    default:
      return "";
  }
}

}  // namespace

std::variant<std::shared_ptr<const Expression>, Error> Expression::Compile(
    std::string_view text, const CompileOptions& options) {
  auto impl = std::make_unique<ExpressionImpl>();
  impl->text = std::string(text);
  impl->version = options.version;
  try {
    impl->ast = Parse(impl->text, options.version);
  } catch (const JsonataException& e) {
    return e.error();
  }
  std::set<std::string> used, bound;
  CollectVariables(impl->ast.get(), used, bound);
  for (const auto& name : used) {
    if (bound.count(name)) continue;
    if (FindBuiltin(name, false) || FindBuiltin(name, true)) continue;
    impl->free_variables.push_back(name);
  }
  impl->top_level_field = FindTopLevelField(impl->ast.get());
  return std::make_shared<const Expression>(std::move(impl));
}

std::optional<Json> Expression::Evaluate(const Json* input, const VariableScope* bindings,
                                         const EvalOptions& options) const {
  // The input and bindings are read through views (Value::View), which
  // *input and *bindings outlive: no Value escapes this call.
  Evaluator ev(options, bindings, impl_->version);
  Value in = input ? Value::View(*input) : Value();
  FramePtr env = NewFrame(nullptr);
  env->Bind("$", in);
  Value result = ev.Evaluate(impl_->ast.get(), in, env);
  if (result.undefined()) return std::nullopt;
  return ToJson(result);
}

const std::vector<std::string>& Expression::free_variables() const { return impl_->free_variables; }
bool Expression::has_top_level_field_reference() const { return !impl_->top_level_field.empty(); }
const std::string& Expression::top_level_field() const { return impl_->top_level_field; }
const std::string& Expression::text() const { return impl_->text; }
Version Expression::version() const { return impl_->version; }
Expression::Expression(std::unique_ptr<ExpressionImpl> impl) : impl_(std::move(impl)) {}
Expression::~Expression() = default;

}  // namespace stepline::jsonata
