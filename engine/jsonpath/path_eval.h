// Evaluation of a PathAst against JSON values (internal; see path.h).
//
// Selected nodes are returned as pointers into the evaluated documents, so the
// documents must outlive the result. Definite selection also explains a miss
// in the words of Jayway JsonPath, which AWS Step Functions quotes in its
// "Invalid path ..." causes.
//
// Thread-safety: stateless functions over immutable inputs.
#pragma once

#include <string>
#include <vector>

#include "common/json.h"
#include "engine/expr_context.h"
#include "engine/jsonpath/path_ast.h"

namespace stepline::jsonpath {

// The documents a path may start from.
struct EvalRoots {
  const Json* input = nullptr;    // "$"
  const Json* context = nullptr;  // "$$"
  const VariableScope* variables = nullptr;
  const Json* current = nullptr;  // "@" (inside filters)
};

// The node the path's root designates, or nullptr (undefined variable, no context).
const Json* ResolveRoot(const PathAst& ast, const EvalRoots& roots);

// Every node the path selects, in document order (pre-order for "..").
std::vector<const Json*> SelectAll(const PathAst& ast, const EvalRoots& roots);

// The value of an indefinite path: a JSON array of every match, where a
// union of names ending the path (['a','b']) yields one object per parent
// holding those members, as Jayway JsonPath (and so AWS) returns it.
Json SelectValues(const PathAst& ast, const EvalRoots& roots);

// For a definite path: the selected node, or nullptr with *miss set to
// Jayway's explanation ("No results for path: $['a']", "Missing property in
// path $['a']", ...).
const Json* SelectOne(const PathAst& ast, const EvalRoots& roots, std::string* miss);

// AWS's cause when a "key.$" path (or an intrinsic's path argument) selects
// nothing: "The JSONPath '$.x' specified for the field 'key.$' could not be
// found in the input '{...}'".
std::string PathNotFoundCause(std::string_view path_text, std::string_view field,
                              const Json& input);

}  // namespace stepline::jsonpath
