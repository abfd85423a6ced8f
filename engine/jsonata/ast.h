// AST of a JSONata expression, as produced by the parser and rewritten by
// its post-processing pass (paths, stages, tuple/ancestor labels, thunks).
//
// Thread-safety: built once by Parse, then immutable and shared by every
// evaluation. Invariants: `position` is the character offset just after
// the node's token; NodePtr children are never null where the type needs them.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "engine/jsonata/jsonata.h"
#include "engine/jsonata/value.h"

namespace stepline::jsonata {

enum class NodeType {
  kPath,
  kBinary,
  kUnary,
  kName,
  kString,
  kNumber,
  kValue,
  kWildcard,
  kDescendant,
  kParent,
  kCondition,
  kBlock,
  kBind,
  kRegex,
  kFunction,
  kPartial,
  kVariable,
  kLambda,
  kApply,
  kTransform,
  kSort,
  kOperator,
  kEnd
};

struct Node;
using NodePtr = std::shared_ptr<Node>;

struct Slot {
  std::string label;
  int level = 1;
  int index = 0;
};
using SlotPtr = std::shared_ptr<Slot>;

struct Stage {
  bool is_index = false;  // '#$var' stage, else a filter
  NodePtr expr;
  std::string var;
  int position = 0;
};

struct GroupSpec {
  std::vector<std::pair<NodePtr, NodePtr>> pairs;
  int position = 0;
};

struct SortTerm {
  bool descending = false;
  NodePtr expr;
};

// A parsed function signature ("<s-n?:s>").
struct Param {
  std::string allowed;  // type letters; arrays "a", any "x" expanded to letters
  char type = 0;        // the declared letter ('a', 's', '(' for choice ...)
  std::string subtype;  // a<n>: "n"
  bool optional = false, one_or_more = false, context = false;
};
struct Signature {
  std::vector<Param> params;
  std::string text;
};

struct Node {
  NodeType type = NodeType::kEnd;
  std::string value;  // operator, name, string literal, variable name
  Value literal;      // kString/kNumber/kValue
  int position = 0;

  NodePtr lhs, rhs, expression;                    // binary/bind/apply; unary operand
  std::vector<NodePtr> steps;                      // path
  std::vector<NodePtr> expressions;                // array constructor, block
  std::vector<std::pair<NodePtr, NodePtr>> pairs;  // object constructor / raw group
  std::vector<SortTerm> terms;                     // sort
  std::shared_ptr<GroupSpec> group;
  std::vector<Stage> predicate, stages;
  NodePtr procedure;               // function/partial
  std::vector<NodePtr> arguments;  // function/partial args; lambda params
  std::shared_ptr<Signature> signature;
  NodePtr body, condition, then, otherwise, pattern, update, remove;
  std::shared_ptr<const Regex> regex;

  bool keep_array = false, keep_singleton_array = false, cons_array = false;
  bool tuple = false, thunk = false, has_focus = false, has_index = false;
  std::string focus, index;
  SlotPtr ancestor, slot;
  std::vector<SlotPtr> seeking_parent;
  bool has_seeking = false;
};

// Parses and post-processes `text` in the syntax of `version`; throws
// JsonataException on syntax errors. A kCondition whose `then` is null is a
// 2.2 fallback operator (`value` "??" or "?:"): it yields `condition`'s value
// when that is defined ("??") or truthy ("?:"), else `otherwise`'s.
NodePtr Parse(std::string_view text, Version version = Version::k2_0_6);
// Parses a function signature; throws S0401/S0402 style errors.
std::shared_ptr<Signature> ParseSignature(const std::string& text, int position);

}  // namespace stepline::jsonata
