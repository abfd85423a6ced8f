// UTF-8 well-formedness (RFC 3629): the checks and the repair used wherever
// bytes from outside JSON parsing become a string value (Base64 and percent
// decoding, code points built by expressions). A string the engine holds is
// always well-formed, so serializing it can never fail.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace stepline {

// Length of the well-formed UTF-8 sequence starting at s[i] (no overlong
// forms, no surrogates, nothing past U+10FFFF), 0 if there is none.
size_t WellFormedUtf8Length(std::string_view s, size_t i);

bool IsWellFormedUtf8(std::string_view s);

// `bytes` with every byte that starts no well-formed sequence replaced by
// U+FFFD, as Java's new String(bytes, UTF_8) and Node's Buffer#toString do.
std::string ToWellFormedUtf8(std::string_view bytes);

}  // namespace stepline
