// XPath-style integer pictures shared by $formatInteger, $parseInteger and
// the date/time picture strings: decimal digit patterns with grouping,
// roman numerals, alphabetic sequences, English words, ordinals.
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>

namespace stepline::jsonata {

// Formats `value` with `picture` (e.g. "#,##0", "w;o", "I"). Throws
// JsonataException (D3130/D3131) for unsupported pictures.
std::string FormatInteger(double value, const std::string& picture);
// Parses `text` written with `picture`; nullopt when it does not match.
std::optional<double> ParseInteger(const std::string& text, const std::string& picture);
// English words for an integer ("twenty-one"), optionally ordinal.
std::string NumberToWords(double value, bool ordinal);
std::string ToRoman(long value);

}  // namespace stepline::jsonata
