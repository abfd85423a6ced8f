// Definition parsing and validation: text -> immutable asl::StateMachine.
//
// ParseDefinition accepts exactly what AWS accepts. On rejection it returns
// kInvalidDefinition whose message is AWS's full text, e.g.
//   Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The field
//   'Next' should be non-empty at /States/A/Next'
// and ValidateDefinition returns every diagnostic for
// ValidateStateMachineDefinition. Several problems are joined as AWS joins
// them: "'<CODE>: <text> at <location>, <CODE>: <text> at <location>'", with
// the literal "null" for a diagnostic without location (MISSING_END_STATE).
// An empty Diagnostic::location means "omit the member" on the wire.
// Graph problems (MISSING_TRANSITION_TARGET, MISSING_END_STATE) are reported
// only when the schema is valid, as AWS does.
//
// Thread-safety: pure functions.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "engine/asl/model.h"

namespace stepline::asl {

struct Diagnostic {
  std::string severity;  // "ERROR" | "WARNING"
  std::string code;      // "SCHEMA_VALIDATION_FAILED", "INVALID_JSON_DESCRIPTION", ...
  std::string message;   // the text after "<CODE>: "
  std::string location;  // JSON pointer, e.g. "/States/A/Next"; may be empty
};

struct ParseOptions {
  bool express = false;  // EXPRESS machines forbid some patterns (e.g. .sync, Wait > 5 min)
};

Result<std::shared_ptr<const StateMachine>> ParseDefinition(std::string_view text,
                                                            const ParseOptions& options = {});

// All diagnostics (errors first). Empty when the definition is valid.
std::vector<Diagnostic> ValidateDefinition(std::string_view text, const ParseOptions& options = {});

}  // namespace stepline::asl
