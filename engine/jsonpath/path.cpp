#include "engine/jsonpath/path.h"

#include "engine/jsonpath/path_ast.h"
#include "engine/jsonpath/path_eval.h"
#include "engine/jsonpath/path_impl.h"
#include "engine/jsonpath/path_parser.h"
#include "engine/states_error.h"

namespace stepline::jsonpath {

namespace {

const PathImpl& DollarImpl() {
  static const PathImpl* const kDollar = new PathImpl("$", PathAst{});
  return *kDollar;
}

EvalRoots RootsOf(const Json* input, const ExprContext& ctx) {
  return EvalRoots{input, ctx.context, ctx.variables, nullptr};
}

std::optional<Json> Run(const PathImpl& impl, const EvalRoots& roots) {
  if (!impl.definite()) return SelectValues(impl.ast(), roots);
  std::string miss;
  const Json* node = SelectOne(impl.ast(), roots, &miss);
  if (node == nullptr) return std::nullopt;
  return *node;
}

Json RunOrThrow(const PathImpl& impl, const EvalRoots& roots) {
  if (!impl.definite()) return *Run(impl, roots);
  std::string miss;
  const Json* node = SelectOne(impl.ast(), roots, &miss);
  if (node == nullptr) {
    throw StatesException(errors::kRuntime, "Invalid path '" + impl.text() + "' : " + miss);
  }
  return *node;
}

}  // namespace

Result<Path> Path::Parse(std::string_view text) {
  auto ast = ParsePathText(text);
  if (!ast.ok()) {
    return Status(ErrorCode::kInvalidDefinition,
                  "Invalid JSONPath '" + std::string(text) + "': " + ast.status().message());
  }
  Path path;
  path.impl_ = std::make_shared<PathImpl>(std::string(text), std::move(ast).value());
  return path;
}

const PathImpl& Path::impl() const { return impl_ ? *impl_ : DollarImpl(); }
const std::string& Path::text() const { return impl().text(); }
bool Path::is_definite() const { return impl().definite(); }
const std::string& Path::variable() const { return impl().ast().variable; }

Path::Root Path::root() const {
  switch (impl().ast().root) {
    case RootKind::kContext:
      return Root::kContext;
    case RootKind::kVariable:
      return Root::kVariable;
    default:
      return Root::kInput;
  }
}

std::optional<Json> Path::Evaluate(const ExprContext& ctx) const {
  return Run(impl(), RootsOf(ctx.input, ctx));
}

std::optional<Json> Path::EvaluateOn(const Json& root, const ExprContext& ctx) const {
  return Run(impl(), RootsOf(&root, ctx));
}

Json Path::EvaluateOrThrow(const ExprContext& ctx) const {
  return RunOrThrow(impl(), RootsOf(ctx.input, ctx));
}

Json Path::EvaluateOnOrThrow(const Json& root, const ExprContext& ctx) const {
  return RunOrThrow(impl(), RootsOf(&root, ctx));
}

namespace {

[[noreturn]] void ThrowMatchFailure(const std::string& step, const Json& node) {
  throw StatesException(errors::kResultPathMatchFailure,
                        "Unable to apply step \"" + step + "\" to input " + DumpJson(node));
}

// The child of `node` that segment `sel` designates, created when missing
// (objects only); throws when the node cannot hold it.
Json& StepInto(Json& node, const Selector& sel, bool last) {
  if (sel.kind == Selector::Kind::kNames) {
    const std::string& name = sel.names.front();
    if (!node.is_object()) ThrowMatchFailure(name, node);
    if (!last && !node.contains(name)) node[name] = Json::object();
    return node[name];
  }
  const int64_t index = sel.indexes.front();
  const int64_t i = index < 0 ? index + static_cast<int64_t>(node.size()) : index;
  if (!node.is_array() || i < 0 || i >= static_cast<int64_t>(node.size())) {
    ThrowMatchFailure(std::to_string(index), node);
  }
  return node[static_cast<size_t>(i)];
}

}  // namespace

void AssignAt(const Path& path, Json& target, Json value) {
  const PathAst& ast = path.impl().ast();
  if (!path.is_definite() || ast.root != RootKind::kInput) {
    throw StatesException(errors::kRuntime,
                          "The path '" + path.text() + "' is not a reference path");
  }
  Json* node = &target;
  for (size_t i = 0; i < ast.segments.size(); ++i) {
    node = &StepInto(*node, ast.segments[i].selector, i + 1 == ast.segments.size());
  }
  *node = std::move(value);
}

}  // namespace stepline::jsonpath
