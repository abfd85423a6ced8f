// Path: a compiled JSONPath expression in AWS Step Functions' dialect.
//
// Roots: "$" (the state's input or whatever value the field applies to),
// "$$" (the context object) and "$name" (a workflow variable, e.g. "$order.id").
// Supported syntax: dot and bracket member access ($.a, $['a b']), array
// indexes (incl. negative), wildcards ([*], .*), slices ([1:3], [::2]),
// unions ([0,2] / ['a','b']), recursive descent ($..a), and filters
// ([?(@.price < 10 && @.tag == 'x')], ||, !, ==/!=/</<=/>/>=, existence
// tests, Jayway's in/nin/size/empty). AWS evaluates paths with Jayway
// JsonPath, and so do we where it shows: surrounding blanks are trimmed, a
// union of names ending a path yields one merged object per parent
// ($.o['a','b'] -> [{"a":..,"b":..}]), a filter on an object tests the object
// itself, "length()" is an ordinary member name (no path functions).
//
// A path is parsed once, when the definition is created; evaluation never
// re-parses. A "definite" path (no wildcard, slice, union, filter or
// recursive descent) selects at most one node: AWS calls these reference
// paths and requires them in ResultPath, InputPath-style fields of some
// states, Choice Variable, etc.
//
// Errors: Parse returns kInvalidDefinition; the *OrThrow evaluators throw
// StatesException(States.Runtime, "Invalid path '$.x' : No results for path:
// $['x']") with Jayway's explanation, as AWS words InputPath/OutputPath/
// ItemsPath/...Path misses. AssignAt throws States.ResultPathMatchFailure.
//
// Thread-safety: immutable after Parse; Evaluate may run concurrently.
// A default-constructed Path is "$".
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/json.h"
#include "common/status.h"
#include "engine/expr_context.h"

namespace stepline::jsonpath {

class PathImpl;

class Path {
 public:
  enum class Root { kInput, kContext, kVariable };

  // Parses `text`. On failure returns kInvalidDefinition with a message
  // suitable for the definition validator (it adds the location).
  static Result<Path> Parse(std::string_view text);

  const std::string& text() const;
  Root root() const;
  // For Root::kVariable: the variable's name ("order" for "$order.id").
  const std::string& variable() const;
  bool is_definite() const;

  // Evaluates against the context. A definite path yields the selected node,
  // or nullopt when nothing is there. An indefinite path yields a JSON array
  // of every match (possibly empty), as AWS returns them.
  std::optional<Json> Evaluate(const ExprContext& ctx) const;

  // Evaluates with `root` as "$" (for paths applied to a given value such as
  // a task result in ResultSelector or the raw input in InputPath).
  std::optional<Json> EvaluateOn(const Json& root, const ExprContext& ctx) const;

  // Like Evaluate/EvaluateOn, but a definite path that selects nothing throws
  // StatesException(States.Runtime, "Invalid path '<text>' : <why>"), AWS's
  // cause for InputPath, OutputPath, ItemsPath and the *Path fields.
  Json EvaluateOrThrow(const ExprContext& ctx) const;
  Json EvaluateOnOrThrow(const Json& root, const ExprContext& ctx) const;

  // Internal: the syntax tree (engine/jsonpath/path_ast.h).
  const PathImpl& impl() const;

 private:
  std::shared_ptr<const PathImpl> impl_;
};

// Writes `value` into `target` at a definite input-rooted path, creating
// intermediate objects as AWS does for ResultPath ("$" replaces the whole
// target). Throws StatesException(States.ResultPathMatchFailure,
// "Unable to apply step \"<name>\" to input <json>") when a node on the way
// is not an object (or an index is out of range), and States.Runtime when
// the path is not a definite "$"-rooted path.
void AssignAt(const Path& path, Json& target, Json value);

}  // namespace stepline::jsonpath
