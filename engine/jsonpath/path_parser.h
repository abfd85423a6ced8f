// Parser of AWS's JSONPath dialect into a PathAst (internal; see path.h).
//
// Thread-safety: stateless functions.
// Invariants: nesting (filters within filters, parentheses) is bounded by
// limits::kMaxExpressionDepth, so hostile text cannot exhaust the stack.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "engine/jsonpath/path_ast.h"

namespace stepline::jsonpath {

// Parses the whole of `text` as a path rooted at "$", "$$" or "$name".
// The error message says what is wrong and where (no "Invalid..." prefix).
Result<PathAst> ParsePathText(std::string_view text);

// Parses the longest path starting at text[*pos] (used inside intrinsic
// calls, where a path ends at ',', ')' or whitespace); advances *pos.
Result<PathAst> ParseEmbeddedPath(std::string_view text, size_t* pos, int depth);

// Appends the workflow variables the path reads: its root and any "$name"
// inside filters.
void CollectPathVariables(const PathAst& ast, std::vector<std::string>* out);

// Jayway-style rendering of a path prefix, e.g. "$['a'][0]" (used in AWS's
// "No results for path: ..." / "Missing property in path ..." texts).
std::string RenderSegments(const PathAst& ast, size_t count);

}  // namespace stepline::jsonpath
