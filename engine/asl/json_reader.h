// Internal to the definition parser: reads a definition's JSON text into a
// Json (nlohmann::ordered_json) in linear time.
//
// ordered_json's own parser looks every new key up in a vector, so an object
// with n members costs O(n^2): a hostile 1 MiB definition with 100,000 keys
// takes minutes. This reader builds the same value through the SAX interface
// with a hash index per open object. Semantics match Json::parse: members keep
// their first position, a repeated key keeps its last value.
//
// Thread-safety: pure function. The caller bounds the nesting depth first
// (the SAX parser itself is iterative).
#pragma once

#include <optional>
#include <string_view>

#include "common/json.h"

namespace stepline::asl::internal {

// The value, or nullopt when `text` is not one JSON value.
std::optional<Json> ReadJson(std::string_view text);

}  // namespace stepline::asl::internal
