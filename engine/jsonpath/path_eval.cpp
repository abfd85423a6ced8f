#include "engine/jsonpath/path_eval.h"

#include <algorithm>

#include "engine/jsonpath/java_text.h"
#include "engine/jsonpath/path_parser.h"

namespace stepline::jsonpath {
namespace {

using Nodes = std::vector<const Json*>;

bool Matches(const FilterNode& node, const Json& current, const EvalRoots& roots);

int64_t NormalizeIndex(int64_t index, size_t size) {
  return index < 0 ? index + static_cast<int64_t>(size) : index;
}

void SelectSlice(const Selector& sel, const Json& array, Nodes* out) {
  const int64_t size = static_cast<int64_t>(array.size());
  auto clamp = [&](std::optional<int64_t> v, int64_t fallback) {
    if (!v) return fallback;
    int64_t i = *v < 0 ? *v + size : *v;
    return std::clamp<int64_t>(i, sel.step > 0 ? 0 : -1, sel.step > 0 ? size : size - 1);
  };
  if (sel.step > 0) {
    for (int64_t i = clamp(sel.start, 0), e = clamp(sel.end, size); i < e; i += sel.step) {
      out->push_back(&array[static_cast<size_t>(i)]);
    }
  } else {
    for (int64_t i = clamp(sel.start, size - 1), e = clamp(sel.end, -1); i > e; i += sel.step) {
      out->push_back(&array[static_cast<size_t>(i)]);
    }
  }
}

void ApplySelector(const Selector& sel, const Json& node, const EvalRoots& roots, Nodes* out) {
  switch (sel.kind) {
    case Selector::Kind::kNames:
      if (!node.is_object()) return;
      for (const std::string& name : sel.names) {
        auto it = node.find(name);
        if (it != node.end()) out->push_back(&*it);
      }
      return;
    case Selector::Kind::kIndexes:
      if (!node.is_array()) return;
      for (int64_t index : sel.indexes) {
        int64_t i = NormalizeIndex(index, node.size());
        if (i >= 0 && i < static_cast<int64_t>(node.size())) out->push_back(&node[i]);
      }
      return;
    case Selector::Kind::kWildcard:
      if (!node.is_structured()) return;
      for (const Json& child : node) out->push_back(&child);
      return;
    case Selector::Kind::kSlice:
      if (node.is_array()) SelectSlice(sel, node, out);
      return;
    case Selector::Kind::kFilter:
      if (node.is_object()) {
        // Jayway applies a filter on an object to the object itself.
        if (Matches(*sel.filter, node, roots)) out->push_back(&node);
      } else if (node.is_array()) {
        for (const Json& child : node) {
          if (Matches(*sel.filter, child, roots)) out->push_back(&child);
        }
      }
      return;
  }
}

// Pre-order walk of `node` and its descendants, without recursion.
void ApplyRecursive(const Selector& sel, const Json& node, const EvalRoots& roots, Nodes* out) {
  std::vector<const Json*> stack = {&node};
  while (!stack.empty()) {
    const Json* current = stack.back();
    stack.pop_back();
    ApplySelector(sel, *current, roots, out);
    if (!current->is_structured()) continue;
    size_t mark = stack.size();
    for (const Json& child : *current) {
      if (child.is_structured()) stack.push_back(&child);
    }
    std::reverse(stack.begin() + static_cast<std::ptrdiff_t>(mark), stack.end());
  }
}

// --- filters ---

// A filter operand: a value, or nothing when a path selects nothing.
struct Operand {
  bool present = false;
  Json value;
};

Operand EvalOperand(const FilterNode& node, const Json& current, const EvalRoots& roots) {
  if (node.kind == FilterNode::Kind::kLiteral) return {true, node.literal};
  EvalRoots inner = roots;
  inner.current = &current;
  if (IsDefinite(*node.path)) {
    std::string miss;
    const Json* found = SelectOne(*node.path, inner, &miss);
    return found ? Operand{true, *found} : Operand{};
  }
  return {true, SelectValues(*node.path, inner)};
}

// -1, 0, 1, or nullopt when the values are not comparable for ordering.
std::optional<int> Order(const Json& a, const Json& b) {
  if (a.is_number() && b.is_number()) {
    if (a.is_number_integer() && b.is_number_integer() && !a.is_number_unsigned() &&
        !b.is_number_unsigned()) {
      int64_t x = a.get<int64_t>(), y = b.get<int64_t>();
      return x < y ? -1 : (x > y ? 1 : 0);
    }
    double x = a.get<double>(), y = b.get<double>();
    return x < y ? -1 : (x > y ? 1 : 0);
  }
  if (a.is_string() && b.is_string()) {
    int c = a.get_ref<const std::string&>().compare(b.get_ref<const std::string&>());
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
  }
  return std::nullopt;
}

bool Equal(const Json& a, const Json& b) {
  if (a.is_number() && b.is_number()) return Order(a, b) == 0;
  return a == b;
}

bool Contains(const Json& list, const Json& value) {
  if (!list.is_array()) return false;
  for (const Json& item : list) {
    if (Equal(item, value)) return true;
  }
  return false;
}

// Java's length of a string (UTF-16 units) or an array's size.
std::optional<size_t> JavaSize(const Json& v) {
  if (v.is_array()) return v.size();
  if (!v.is_string()) return std::nullopt;
  size_t units = 0;
  for (unsigned char c : v.get_ref<const std::string&>()) {
    if ((c & 0xC0) != 0x80) units += (c >= 0xF0) ? 2 : 1;
  }
  return units;
}

bool Compare(const FilterNode& node, const Json& current, const EvalRoots& roots) {
  Operand lhs = EvalOperand(*node.lhs, current, roots);
  Operand rhs = EvalOperand(*node.rhs, current, roots);
  if (!lhs.present || !rhs.present) {
    return node.op == FilterNode::Op::kNe || node.op == FilterNode::Op::kNin;
  }
  switch (node.op) {
    case FilterNode::Op::kEq:
      return Equal(lhs.value, rhs.value);
    case FilterNode::Op::kNe:
      return !Equal(lhs.value, rhs.value);
    case FilterNode::Op::kIn:
    case FilterNode::Op::kNin:
      return Contains(rhs.value, lhs.value) == (node.op == FilterNode::Op::kIn);
    case FilterNode::Op::kSize: {
      std::optional<size_t> size = JavaSize(lhs.value);
      return size && rhs.value.is_number() && Equal(Json(*size), rhs.value);
    }
    case FilterNode::Op::kEmpty: {
      std::optional<size_t> size = JavaSize(lhs.value);
      return size && rhs.value.is_boolean() && (*size == 0) == rhs.value.get<bool>();
    }
    default:
      break;
  }
  std::optional<int> order = Order(lhs.value, rhs.value);
  if (!order) return false;
  switch (node.op) {
    case FilterNode::Op::kLt:
      return *order < 0;
    case FilterNode::Op::kLe:
      return *order <= 0;
    case FilterNode::Op::kGt:
      return *order > 0;
    default:
      return *order >= 0;
  }
}

bool Matches(const FilterNode& node, const Json& current, const EvalRoots& roots) {
  switch (node.kind) {
    case FilterNode::Kind::kOr:
      return Matches(*node.lhs, current, roots) || Matches(*node.rhs, current, roots);
    case FilterNode::Kind::kAnd:
      return Matches(*node.lhs, current, roots) && Matches(*node.rhs, current, roots);
    case FilterNode::Kind::kNot:
      return !Matches(*node.lhs, current, roots);
    case FilterNode::Kind::kCompare:
      return Compare(node, current, roots);
    case FilterNode::Kind::kExists: {
      EvalRoots inner = roots;
      inner.current = &current;
      if (IsDefinite(*node.path)) {
        std::string miss;
        return SelectOne(*node.path, inner, &miss) != nullptr;
      }
      return !SelectAll(*node.path, inner).empty();
    }
    case FilterNode::Kind::kLiteral: {
      const Json& v = node.literal;
      return !(v.is_null() || (v.is_boolean() && !v.get<bool>()));
    }
    case FilterNode::Kind::kPath:
      return false;
  }
  return false;
}

// Jackson's node class names, as Jayway prints them in its messages.
std::string JacksonTypeName(const Json& v) {
  switch (v.type()) {
    case Json::value_t::null:
      return "null";
    case Json::value_t::string:
      return "com.fasterxml.jackson.databind.node.TextNode";
    case Json::value_t::boolean:
      return "com.fasterxml.jackson.databind.node.BooleanNode";
    case Json::value_t::array:
      return "com.fasterxml.jackson.databind.node.ArrayNode";
    case Json::value_t::number_float:
      return "com.fasterxml.jackson.databind.node.DoubleNode";
    default:
      return "com.fasterxml.jackson.databind.node.IntNode";
  }
}

}  // namespace

const Json* ResolveRoot(const PathAst& ast, const EvalRoots& roots) {
  switch (ast.root) {
    case RootKind::kInput:
      return roots.input;
    case RootKind::kContext:
      return roots.context;
    case RootKind::kVariable:
      return roots.variables ? roots.variables->Find(ast.variable) : nullptr;
    case RootKind::kCurrent:
      return roots.current;
  }
  return nullptr;
}

namespace {

Nodes SelectPrefix(const PathAst& ast, const EvalRoots& roots, size_t count) {
  const Json* root = ResolveRoot(ast, roots);
  if (root == nullptr) return {};
  Nodes current = {root};
  for (size_t i = 0; i < count; ++i) {
    const Segment& seg = ast.segments[i];
    Nodes next;
    for (const Json* node : current) {
      if (seg.recursive) {
        ApplyRecursive(seg.selector, *node, roots, &next);
      } else {
        ApplySelector(seg.selector, *node, roots, &next);
      }
    }
    current = std::move(next);
    if (current.empty()) break;
  }
  return current;
}

bool IsMergeLeaf(const PathAst& ast) {
  if (ast.segments.empty()) return false;
  const Segment& last = ast.segments.back();
  return !last.recursive && last.selector.kind == Selector::Kind::kNames &&
         last.selector.names.size() > 1;
}

}  // namespace

std::vector<const Json*> SelectAll(const PathAst& ast, const EvalRoots& roots) {
  return SelectPrefix(ast, roots, ast.segments.size());
}

Json SelectValues(const PathAst& ast, const EvalRoots& roots) {
  Json out = Json::array();
  if (!IsMergeLeaf(ast)) {
    for (const Json* node : SelectAll(ast, roots)) out.push_back(*node);
    return out;
  }
  // Jayway merges a union of names at the end of a path into one object.
  const std::vector<std::string>& names = ast.segments.back().selector.names;
  for (const Json* node : SelectPrefix(ast, roots, ast.segments.size() - 1)) {
    if (!node->is_object()) continue;
    Json merged = Json::object();
    for (const std::string& name : names) {
      auto it = node->find(name);
      if (it != node->end()) merged[name] = *it;
    }
    out.push_back(std::move(merged));
  }
  return out;
}

const Json* SelectOne(const PathAst& ast, const EvalRoots& roots, std::string* miss) {
  const Json* node = ResolveRoot(ast, roots);
  const size_t n = ast.segments.size();
  if (node == nullptr) {
    *miss = "No results for path: " + RenderSegments(ast, n);
    return nullptr;
  }
  for (size_t i = 0; i < n; ++i) {
    const Selector& sel = ast.segments[i].selector;
    if (sel.kind == Selector::Kind::kNames && !node->is_object()) {
      *miss = "Expected to find an object with property ['" + sel.names[0] + "'] in path " +
              RenderSegments(ast, i) + " but found '" + JacksonTypeName(*node) +
              "'. This is not a json object according to the JsonProvider: "
              "'com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider'.";
      return nullptr;
    }
    Nodes found;
    ApplySelector(sel, *node, roots, &found);
    if (found.empty()) {
      bool missing_property = sel.kind == Selector::Kind::kNames && i + 1 < n;
      *miss = missing_property ? "Missing property in path " + RenderSegments(ast, i + 1)
                               : "No results for path: " + RenderSegments(ast, n);
      return nullptr;
    }
    node = found.front();
  }
  return node;
}

std::string PathNotFoundCause(std::string_view path_text, std::string_view field,
                              const Json& input) {
  return "The JSONPath '" + std::string(path_text) + "' specified for the field '" +
         std::string(field) + "' could not be found in the input '" + JacksonJson(input) + "'";
}

}  // namespace stepline::jsonpath
