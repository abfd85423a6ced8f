// Internal syntax tree of an intrinsic function call such as
// States.Format('Hello {}', $.name) (see payload.h for where they appear).
//
// Thread-safety: immutable after parsing; shared read-only between threads.
// Invariants: `function` points into the static signature table and the
// argument count is within its arity; a kCall argument's `call` is non-null,
// a kPath argument's `path` is non-null.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/json.h"
#include "engine/jsonpath/path_ast.h"

namespace stepline::jsonpath {

struct IntrinsicCall;
struct FunctionSpec;

struct IntrinsicArg {
  enum class Kind { kLiteral, kPath, kCall };
  Kind kind = Kind::kLiteral;
  Json literal;                               // kLiteral (string, number, boolean or null)
  std::string raw;                            // kLiteral strings: the text between the quotes
  std::string path_text;                      // kPath
  std::shared_ptr<const PathAst> path;        // kPath
  std::shared_ptr<const IntrinsicCall> call;  // kCall
};

struct IntrinsicCall {
  const FunctionSpec* function = nullptr;
  std::vector<IntrinsicArg> args;
};

}  // namespace stepline::jsonpath
