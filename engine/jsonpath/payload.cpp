#include "engine/jsonpath/payload.h"

#include <algorithm>
#include <utility>

#include "engine/jsonpath/intrinsics.h"
#include "engine/jsonpath/path.h"
#include "engine/jsonpath/path_eval.h"
#include "engine/jsonpath/path_impl.h"
#include "engine/jsonpath/path_parser.h"
#include "engine/states_error.h"

namespace stepline::jsonpath {

class ValueExprImpl {
 public:
  std::string text;
  std::optional<Path> path;                   // when a path
  std::shared_ptr<const IntrinsicCall> call;  // when an intrinsic
};

namespace {

EvalRoots RootsOf(const ExprContext& ctx) {
  return EvalRoots{ctx.input, ctx.context, ctx.variables, nullptr};
}

// What a default-constructed ValueExpr means: "$".
const ValueExprImpl& DollarExpr() {
  static const ValueExprImpl* const kDollar = new ValueExprImpl{"$", Path(), nullptr};
  return *kDollar;
}

}  // namespace

const ValueExprImpl& ValueExpr::impl() const { return impl_ ? *impl_ : DollarExpr(); }

Result<ValueExpr> ValueExpr::Parse(std::string_view text) {
  auto impl = std::make_shared<ValueExprImpl>();
  impl->text = std::string(text);
  if (LooksLikeIntrinsic(text)) {
    auto call = ParseIntrinsic(text);
    if (!call.ok()) {
      return Status(ErrorCode::kInvalidDefinition, "Invalid intrinsic function call '" +
                                                       std::string(text) +
                                                       "': " + call.status().message());
    }
    impl->call = std::move(call).value();
  } else {
    auto path = Path::Parse(text);
    if (!path.ok()) return path.status();
    impl->path = std::move(path).value();
  }
  ValueExpr expr;
  expr.impl_ = std::move(impl);
  return expr;
}

const std::string& ValueExpr::text() const { return impl().text; }
bool ValueExpr::is_intrinsic() const { return impl().call != nullptr; }

Json ValueExpr::Evaluate(const ExprContext& ctx, std::string_view field) const {
  if (impl().call) return EvaluateIntrinsic(*impl().call, IntrinsicEnv{RootsOf(ctx), field});
  std::optional<Json> value = impl().path->Evaluate(ctx);
  if (!value) {
    const Json input = ctx.input ? *ctx.input : Json();
    throw StatesException(errors::kRuntime, PathNotFoundCause(impl().text, field, input));
  }
  return std::move(*value);
}

void ValueExpr::CollectVariables(std::vector<std::string>* out) const {
  if (impl().call) {
    CollectIntrinsicVariables(*impl().call, out);
  } else {
    CollectPathVariables(impl().path->impl().ast(), out);
  }
}

// --- templates ---

namespace {

struct TemplateMember;

// One node of a compiled template. Constant subtrees are kept as one value.
struct TemplateNode {
  enum class Kind { kConstant, kObject, kArray, kExpr };
  Kind kind = Kind::kConstant;
  Json constant;
  std::vector<TemplateMember> members;  // kObject (output keys)
  std::vector<TemplateNode> items;      // kArray
  std::optional<ValueExpr> expr;        // kExpr
  std::string field;                    // kExpr: "key.$"
};

// An object member (a struct, not a pair: a pair may not hold the
// still-incomplete TemplateNode).
struct TemplateMember {
  std::string key;
  TemplateNode node;
};

constexpr std::string_view kDynamicSuffix = ".$";

bool IsDynamicKey(const std::string& key) {
  return key.size() > kDynamicSuffix.size() &&
         std::string_view(key).substr(key.size() - kDynamicSuffix.size()) == kDynamicSuffix;
}

bool HasDynamicKeys(const Json& value) {
  if (value.is_object()) {
    for (const auto& [key, child] : value.items()) {
      if (IsDynamicKey(key) || HasDynamicKeys(child)) return true;
    }
  } else if (value.is_array()) {
    for (const Json& child : value) {
      if (HasDynamicKeys(child)) return true;
    }
  }
  return false;
}

Result<TemplateNode> CompileNode(const Json& value);

Result<TemplateNode> CompileExpr(const std::string& key, const Json& value) {
  const std::string message = "The value for the field '" + key +
                              "' must be a valid JSONPath or a valid intrinsic function call";
  if (!value.is_string()) return Status(ErrorCode::kInvalidDefinition, message);
  auto expr = ValueExpr::Parse(value.get_ref<const std::string&>());
  if (!expr.ok()) return Status(ErrorCode::kInvalidDefinition, message);
  TemplateNode node;
  node.kind = TemplateNode::Kind::kExpr;
  node.expr = std::move(expr).value();
  node.field = key;
  return node;
}

Result<TemplateNode> CompileNode(const Json& value) {
  TemplateNode node;
  if (!HasDynamicKeys(value)) {
    node.constant = value;
    return node;
  }
  if (value.is_array()) {
    node.kind = TemplateNode::Kind::kArray;
    for (const Json& child : value) {
      ASSIGN_OR_RETURN(TemplateNode item, CompileNode(child));
      node.items.push_back(std::move(item));
    }
    return node;
  }
  node.kind = TemplateNode::Kind::kObject;
  for (const auto& [key, child] : value.items()) {
    if (IsDynamicKey(key)) {
      ASSIGN_OR_RETURN(TemplateNode member, CompileExpr(key, child));
      node.members.push_back(
          {key.substr(0, key.size() - kDynamicSuffix.size()), std::move(member)});
    } else {
      ASSIGN_OR_RETURN(TemplateNode member, CompileNode(child));
      node.members.push_back({key, std::move(member)});
    }
  }
  return node;
}

Json EvaluateNode(const TemplateNode& node, const ExprContext& ctx) {
  switch (node.kind) {
    case TemplateNode::Kind::kConstant:
      return node.constant;
    case TemplateNode::Kind::kExpr:
      return node.expr->Evaluate(ctx, node.field);
    case TemplateNode::Kind::kArray: {
      Json out = Json::array();
      for (const TemplateNode& item : node.items) out.push_back(EvaluateNode(item, ctx));
      return out;
    }
    case TemplateNode::Kind::kObject: {
      Json out = Json::object();
      for (const auto& [key, member] : node.members) out[key] = EvaluateNode(member, ctx);
      return out;
    }
  }
  return nullptr;
}

void CollectNodeVariables(const TemplateNode& node, std::vector<std::string>* out) {
  if (node.kind == TemplateNode::Kind::kExpr) node.expr->CollectVariables(out);
  for (const TemplateNode& item : node.items) CollectNodeVariables(item, out);
  for (const auto& [key, member] : node.members) CollectNodeVariables(member, out);
}

}  // namespace

class PayloadTemplateImpl {
 public:
  TemplateNode root;
};

Result<PayloadTemplate> PayloadTemplate::Compile(const Json& value) {
  ASSIGN_OR_RETURN(TemplateNode root, CompileNode(value));
  auto impl = std::make_shared<PayloadTemplateImpl>();
  impl->root = std::move(root);
  PayloadTemplate out;
  out.impl_ = std::move(impl);
  return out;
}

Json PayloadTemplate::Evaluate(const ExprContext& ctx) const {
  if (!impl_) return Json::object();
  return EvaluateNode(impl_->root, ctx);
}

std::vector<std::string> PayloadTemplate::ReferencedVariables() const {
  std::vector<std::string> names;
  if (impl_) CollectNodeVariables(impl_->root, &names);
  std::vector<std::string> unique;
  for (std::string& name : names) {
    if (std::find(unique.begin(), unique.end(), name) == unique.end()) {
      unique.push_back(std::move(name));
    }
  }
  return unique;
}

}  // namespace stepline::jsonpath
