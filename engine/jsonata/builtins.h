// Built-in function registry: name -> signature + implementation, and the
// helpers the built-in families share.
//
// Thread-safety: the registry is built once (function-local static) and
// then read-only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/jsonata/evaluator.h"

namespace stepline::jsonata {

using BuiltinList = std::vector<BuiltinDef>;

// Each family appends its functions.
void AddStringFunctions(BuiltinList& out);
void AddNumericFunctions(BuiltinList& out);
void AddCollectionFunctions(BuiltinList& out);
void AddFormatFunctions(BuiltinList& out);
void AddDateFunctions(BuiltinList& out);
void AddAwsFunctions(BuiltinList& out);

// $string semantics (JSON for structures, 15 significant digits for numbers;
// from 2.2 on integers keep all their digits).
std::string StringOf(const Value& v, bool pretty = false, Version version = Version::k2_0_6);
// JSON text of a value with JSONata's number rendering.
std::string Stringify(const Value& v, bool pretty, Version version = Version::k2_0_6);

// Argument access that tolerates missing optional arguments.
inline const Value& Arg(const std::vector<Value>& args, size_t i) {
  static const Value kUndef;
  return i < args.size() ? args[i] : kUndef;
}

// Shared numeric/date helpers of the built-in families.
double RoundHalfEven(double value, int precision);  // functions_numeric.cpp
std::string FormatNumberPicture(CallCtx& ctx, double value, const std::string& picture,
                                const Value& options);  // format_number.cpp
// JavaScript's Date range: a time further than this from the epoch (in
// milliseconds) is no date at all.
inline constexpr double kMaxDateMillis = 8.64e15;

std::optional<int64_t> ParseDateTime(const std::string& text, const std::string& picture,
                                     int64_t now_ms);  // parse_datetime.cpp
int64_t CivilDays(int64_t y, unsigned m, unsigned d);  // functions_date.cpp: days since epoch

[[noreturn]] void ThrowMessage(const std::string& code, const std::string& message);

}  // namespace stepline::jsonata
