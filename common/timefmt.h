// Time formatting and parsing in the forms AWS Step Functions uses.
//
// - ISO 8601 / RFC 3339 for the context object ($$.Execution.StartTime) and
//   Wait Timestamps: "2024-01-02T03:04:05.678Z".
// - HTTP dates for the Date response header (RFC 7231 IMF-fixdate).
// - API timestamps are JSON numbers of epoch seconds (see EpochSecondsJson).
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"

namespace stepline {

// "2024-01-02T03:04:05.678Z" (always milliseconds, always Z).
std::string FormatIso8601Millis(EpochMillis t);

// "2024-01-02T03:04:05Z" when the milliseconds are zero, else with ".678".
std::string FormatIso8601Compact(EpochMillis t);

// Parses an RFC 3339 timestamp as AWS accepts it in Wait.Timestamp and the
// Timestamp* choice operators: YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM),
// uppercase T and Z required. Fractions beyond milliseconds are truncated.
std::optional<EpochMillis> ParseRfc3339(std::string_view text);

// "Sun, 22 Nov 2026 02:00:18 GMT".
std::string FormatHttpDate(EpochMillis t);

// Epoch seconds with a millisecond fraction, as a double for JSON output.
inline double EpochSeconds(EpochMillis t) { return static_cast<double>(t) / 1000.0; }

}  // namespace stepline
