// Shared pieces of the libFuzzer targets (tests/fuzz/): splitting one input
// into parts, and the sample document expressions are evaluated against.
//
// Thread-safety: pure functions and immutable data.
// Invariants: a target may only let the exceptions a module documents
// (StatesException, jsonata::JsonataException) escape into its own catch;
// anything else reaching libFuzzer is a bug it reports.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>

#include "common/json.h"

namespace stepline::fuzz {

// The bytes as text.
inline std::string_view Text(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Splits at the first NUL byte: (before, after); no NUL gives (all, "").
inline std::pair<std::string_view, std::string_view> SplitAtNul(std::string_view text) {
  size_t nul = text.find('\0');
  if (nul == std::string_view::npos) return {text, {}};
  return {text.substr(0, nul), text.substr(nul + 1)};
}

// True when `text` is valid UTF-8. Expressions, paths and definitions reach
// the engine as JSON strings, which the JSON parser has already checked, so
// the targets skip other texts instead of reporting what cannot happen.
inline bool IsValidUtf8(std::string_view text) {
  try {
    (void)Json(std::string(text)).dump();
    return true;
  } catch (const Json::type_error&) {
    return false;
  }
}

// A document with every JSON type, nested, for expressions to run on.
inline const Json& SampleDocument() {
  static const Json doc = Json::parse(R"({
    "name": "stepline", "n": 42, "f": -1.5e3, "t": true, "z": null, "empty": {}, "none": [],
    "items": [{"id": 1, "tags": ["a", "b"], "price": 9.5}, {"id": 2, "tags": [], "price": 0},
              {"id": 3, "nested": {"deep": [[1, 2], [3]]}}],
    "text": "h\u00e9llo, w\u00f6rld \ud83d\ude00", "map": {"k1": "v1", "k2": {"k3": [1, "2", 3.0]}}
  })");
  return doc;
}

// `text` parsed as JSON when it is valid, else the sample document.
inline Json DocumentFrom(std::string_view text) {
  Json j = Json::parse(text, nullptr, false);
  return j.is_discarded() ? SampleDocument() : j;
}

}  // namespace stepline::fuzz
