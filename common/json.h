// Json: the JSON value type used everywhere in Stepline, plus small helpers.
//
// We use nlohmann::ordered_json so that object members keep their insertion
// order, as AWS Step Functions (Jackson) and JSONata do when they print values.
//
// Thread-safety: values; a Json must not be mutated while another thread reads it.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "common/status.h"

namespace stepline {

using Json = nlohmann::ordered_json;

// Parses `text` as one JSON value (RFC 8259; no comments, no trailing garbage).
// Nesting deeper than kMaxJsonDepth is rejected rather than risking the stack.
// On failure the Status (kSerialization) message describes where parsing stopped.
Result<Json> ParseJson(std::string_view text);

// Compact serialization, UTF-8 kept as is (no \u escaping of non-ASCII).
// Invalid UTF-8 inside strings is replaced with U+FFFD rather than throwing.
std::string DumpJson(const Json& value);

// Depth of the deepest nesting in `value` (a scalar has depth 0).
int JsonDepth(const Json& value);

}  // namespace stepline
