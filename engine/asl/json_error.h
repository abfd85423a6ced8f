// Internal to the definition parser: AWS's INVALID_JSON_DESCRIPTION
// diagnostic for text that is not JSON. AWS parses definitions with Jackson,
// so the message and location imitate Jackson's wording and its
// "[Source: (String)"..."; line: L, column: C]" locations.
//
// Thread-safety: pure function.
#pragma once

#include <string_view>

#include "engine/asl/parser.h"

namespace stepline::asl::internal {

// The diagnostic for `text`, which failed to parse as JSON.
Diagnostic InvalidJsonDiagnostic(std::string_view text);

// True when `text` nests arrays/objects deeper than limits::kMaxJsonDepth.
bool JsonNestingTooDeep(std::string_view text);

}  // namespace stepline::asl::internal
