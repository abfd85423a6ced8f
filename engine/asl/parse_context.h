// Internal to the definition parser: the diagnostics collector, the
// per-object field reader, and AWS's message texts.
//
// The parser never stops at the first problem: every check appends a
// Diagnostic and parsing goes on with what could be read, so that
// ValidateStateMachineDefinition can report everything at once.
//
// Thread-safety: one ParseContext per parse, used by one thread.
// Invariants: locations are AWS-style JSON pointers with raw (unescaped)
// state names, e.g. "/States/My State/Next"; the root is "/".
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "engine/asl/model.h"
#include "engine/asl/parser.h"

namespace stepline::asl::internal {

inline constexpr const char* kSchema = "SCHEMA_VALIDATION_FAILED";
inline constexpr const char* kMissingTarget = "MISSING_TRANSITION_TARGET";
inline constexpr const char* kMissingEnd = "MISSING_END_STATE";
inline constexpr const char* kDuplicateName = "DUPLICATE_STATE_NAME";
inline constexpr const char* kInvalidStateName = "INVALID_STATE_NAME";
inline constexpr const char* kInvalidJson = "INVALID_JSON_DESCRIPTION";

struct ParseContext {
  const ParseOptions* options = nullptr;
  QueryLanguage machine_language = QueryLanguage::kJsonPath;
  std::vector<Diagnostic> diagnostics;
  std::set<std::string> all_state_names;  // across every scope (names are machine-unique)
  // Scopes whose transition graph is checked once the schema is valid, in
  // the order their parsing completed (inner scopes first).
  std::vector<std::pair<const Program*, std::string>> scopes;

  void Error(std::string code, std::string message, std::string location) {
    diagnostics.push_back({"ERROR", std::move(code), std::move(message), std::move(location)});
  }
  void Schema(std::string message, std::string location) {
    Error(kSchema, std::move(message), std::move(location));
  }
  size_t error_count() const { return diagnostics.size(); }
};

// "a/b" + "c" -> "a/b/c"; the root "/" + "c" -> "/c".
std::string Child(const std::string& location, std::string_view key);

bool IsJsonataString(const Json& value);  // "{% ... %}"

// Reads the fields of one JSON object, checking types as AWS does.
// Every accessor reports a type mismatch at `<location>/<key>` and returns
// nothing; absent fields return nothing silently.
class FieldReader {
 public:
  FieldReader(const Json& object, std::string location, ParseContext& ctx)
      : object_(object), location_(std::move(location)), ctx_(ctx) {}

  const std::string& location() const { return location_; }
  std::string At(std::string_view key) const { return Child(location_, key); }
  bool Has(std::string_view key) const;
  const Json* Get(std::string_view key) const;

  std::optional<std::string> String(std::string_view key) const;
  // A string that must not be empty ("The field 'Next' should be non-empty").
  std::optional<std::string> NonEmptyString(std::string_view key) const;
  std::optional<bool> Bool(std::string_view key) const;
  std::optional<int64_t> Integer(std::string_view key, int64_t min, int64_t max) const;
  std::optional<double> Number(std::string_view key, double min, std::optional<double> max) const;
  const Json* Object(std::string_view key) const;
  const Json* Array(std::string_view key) const;

  // "These fields are required: [A, B]" at this object, for the absent ones.
  bool Require(std::initializer_list<const char*> keys) const;
  // "Field 'X' is not supported" for every key outside `allowed`.
  void RejectUnknown(std::initializer_list<const char*> allowed) const;
  void RejectUnknown(const std::set<std::string_view>& allowed) const;

  // Reports a JSONPath syntax problem for `key` (any path / a reference path).
  std::optional<jsonpath::Path> Path(std::string_view key, bool reference) const;
  OptionalPath NullablePath(std::string_view key, bool reference) const;

 private:
  void TypeError(std::string_view key, const char* type) const;

  const Json& object_;
  std::string location_;
  ParseContext& ctx_;
};

// Compiles a path; on failure reports "The value for the field '<name>' must be
// a valid JSONPath" at `location`.
std::optional<jsonpath::Path> CompilePath(const Json& value, std::string_view name,
                                          const std::string& location, bool reference,
                                          ParseContext& ctx);

// Compiles a JSONPath-mode payload template (Parameters, ItemSelector,
// ResultSelector, Assign, Credentials), reporting each bad "key.$" value.
std::optional<jsonpath::PayloadTemplate> CompilePayload(const Json& value,
                                                        const std::string& location,
                                                        ParseContext& ctx);

// Compiles a JSONata template, reporting the library's diagnostic at `location`.
std::optional<jsonata::Template> CompileJsonata(const Json& value, const std::string& location,
                                                ParseContext& ctx);

}  // namespace stepline::asl::internal
