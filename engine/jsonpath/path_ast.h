// Internal syntax tree of a compiled JSONPath (see path.h for the dialect).
//
// A path is a root plus a list of segments; each segment applies one
// selector to every node selected so far, optionally to every descendant too
// (recursive descent, "..").  Filter expressions are small trees of
// FilterNode.  Not part of the public API: include path.h instead.
//
// Thread-safety: immutable after parsing; shared read-only between threads.
// Invariants: a kNames selector has at least one name, kIndexes at least one
// index; a filter's children are non-null.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/json.h"

namespace stepline::jsonpath {

struct FilterNode;

struct Selector {
  enum class Kind { kNames, kIndexes, kWildcard, kSlice, kFilter };
  Kind kind = Kind::kNames;
  std::vector<std::string> names;            // kNames
  std::vector<int64_t> indexes;              // kIndexes
  std::optional<int64_t> start, end;         // kSlice
  int64_t step = 1;                          // kSlice
  std::shared_ptr<const FilterNode> filter;  // kFilter
};

struct Segment {
  bool recursive = false;  // "..": applies the selector to every descendant
  Selector selector;
};

enum class RootKind { kInput, kContext, kVariable, kCurrent /* "@" in filters */ };

struct PathAst {
  RootKind root = RootKind::kInput;
  std::string variable;  // for kVariable
  std::vector<Segment> segments;
};

// True when the path can select at most one node.
bool IsDefinite(const PathAst& ast);

struct FilterNode {
  enum class Kind { kOr, kAnd, kNot, kCompare, kExists, kLiteral, kPath };
  // kIn/kNin: lhs is (not) an element of the rhs array; kSize: the lhs
  // string/array has rhs elements; kEmpty: the lhs emptiness equals rhs.
  enum class Op { kEq, kNe, kLt, kLe, kGt, kGe, kIn, kNin, kSize, kEmpty };
  Kind kind = Kind::kLiteral;
  Op op = Op::kEq;
  std::shared_ptr<const FilterNode> lhs, rhs;  // kOr/kAnd/kCompare; kNot uses lhs
  Json literal;                                // kLiteral
  std::shared_ptr<const PathAst> path;         // kPath / kExists
};

}  // namespace stepline::jsonpath
