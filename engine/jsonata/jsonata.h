// JSONata 2.0.6 for Stepline: compiled expressions and the "{% %}" templates
// of JSONata-mode states.
//
// - Version: the language level an Expression is compiled for. State machines
//   (Template) always use 2.0.6, the version AWS Step Functions implements;
//   the command-line evaluator opts into the later additions.
// - Expression: one JSONata expression, lexed, parsed and statically checked
//   once (Compile), evaluated many times against a JSON input and a set of
//   free-variable bindings. Errors carry the reference implementation's codes
//   ("S0201", "T2001", "D3001", "U1001", ...) and character positions.
// - Template: a JSON value (Arguments, Output, Assign, Items, Condition, ...)
//   whose strings of the form "{% expr %}" are expressions, at any depth.
//   Evaluation failures become StatesException(States.QueryEvaluationError)
//   with AWS's cause text and the field location ("Arguments/FunctionName").
//
// Thread-safety: compiled values are immutable; Evaluate may run concurrently.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/json.h"
#include "common/status.h"
#include "engine/expr_context.h"

namespace stepline::jsonata {

// A JSONata error, as the reference implementation reports it.
struct Error {
  std::string code;     // "T2001"
  std::string message;  // reference message text, with {{token}}-style inserts filled in
  int position = -1;    // character offset in the expression, -1 when unknown
  std::optional<std::string> token;
  std::optional<Json> value;
};

// Thrown by Expression::Evaluate.
class JsonataException : public std::exception {
 public:
  explicit JsonataException(Error error) : error_(std::move(error)) {}
  const Error& error() const { return error_; }
  const char* what() const noexcept override { return error_.message.c_str(); }

 private:
  Error error_;
};

struct EvalOptions {
  // Enables AWS Step Functions' extra functions ($partition, $range, $hash,
  // $random, $uuid, $parse) and disables $eval, as in state machines.
  bool aws_functions = false;
  int max_depth = 0;          // 0: the built-in default limit
  int64_t time_limit_ms = 0;  // 0: no time limit
};

// The JSONata language level of a compiled expression.
enum class Version : uint8_t {
  // 2.0.6, as in AWS Step Functions: "??" and "?:" are syntax errors (S0201).
  k2_0_6,
  // 2.2 (the reference suite's version): adds the coalescing operator
  // "a ?? b" (a when defined, else b) and the default operator "a ?: b" (a
  // when truthy, else b); $contains with an undefined pattern is undefined;
  // $string and "&" print integers with all their digits.
  k2_2,
};

struct CompileOptions {
  Version version = Version::k2_0_6;
};

class ExpressionImpl;

class Expression {
 public:
  // Compiles `text`; on failure returns the JSONata error. The version
  // chosen here also governs evaluation (and text compiled by $eval).
  static std::variant<std::shared_ptr<const Expression>, Error> Compile(
      std::string_view text, const CompileOptions& options = {});

  // Evaluates with `input` as the context value (nullptr: undefined) and
  // `bindings` resolving free variables such as $states or workflow
  // variables. Returns nullopt for an undefined result. Throws
  // JsonataException.
  std::optional<Json> Evaluate(const Json* input, const VariableScope* bindings,
                               const EvalOptions& options) const;

  // Free variables the expression reads ("states", "myVar"); built-in
  // function names are not included.
  const std::vector<std::string>& free_variables() const;

  // True when the expression refers to input fields at its top level
  // (e.g. "phone" or "a.b"), which AWS rejects in state machines
  // (UNSUPPORTED_JSONATA_EXPRESSION).
  bool has_top_level_field_reference() const;
  // The first such field name ("phone"), empty when there is none.
  const std::string& top_level_field() const;

  const std::string& text() const;
  Version version() const;

  explicit Expression(std::unique_ptr<ExpressionImpl> impl);
  ~Expression();

 private:
  std::unique_ptr<ExpressionImpl> impl_;
};

class TemplateImpl;

class Template {
 public:
  // Compiles every "{% %}" string inside `value`. On failure returns
  // kInvalidDefinition whose message is AWS's diagnostic text, e.g.
  // "INVALID_JSONATA_EXPRESSION: Unexpected end of expression" or
  // "UNSUPPORTED_JSONATA_EXPRESSION: Reference to 'phone' at the top level is
  // not supported." (without the
  // location, which the definition validator adds).
  static Result<Template> Compile(const Json& value);

  // `field` names the ASL field ("Arguments", "Output", "Items") for causes
  // and EvaluationFailed locations. `bindings` must resolve "states" and the
  // workflow variables. Throws StatesException(States.QueryEvaluationError).
  Json Evaluate(std::string_view field, const VariableScope& bindings) const;

  // True when the whole value is one "{% %}" expression string.
  bool is_expression() const;
  // The expression's text when is_expression().
  const std::string& expression_text() const;
  std::vector<std::string> ReferencedVariables() const;
  // The value the template was compiled from.
  const Json& source() const;

 private:
  std::shared_ptr<const TemplateImpl> impl_;
};

// AWS's cause when a field's expression gave a value of the wrong type, e.g.
// "The JSONata expression '$x' specified for the field 'Items' returned an
// unexpected result type. Expected 'array', but was 'string' for value: \"s\"".
std::string UnexpectedTypeCause(std::string_view expression_text, std::string_view field,
                                std::string_view expected, const Json& value);

}  // namespace stepline::jsonata
