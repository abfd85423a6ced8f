#include "common/timefmt.h"

#include <catch2/catch.hpp>

using namespace stepline;

TEST_CASE("ISO 8601 formatting always prints milliseconds and Z") {
  CHECK(FormatIso8601Millis(0) == "1970-01-01T00:00:00.000Z");
  CHECK(FormatIso8601Millis(1700000000123) == "2023-11-14T22:13:20.123Z");
  CHECK(FormatIso8601Compact(1700000000000) == "2023-11-14T22:13:20Z");
  CHECK(FormatIso8601Millis(951782400000) == "2000-02-29T00:00:00.000Z");
}

TEST_CASE("RFC 3339 parsing accepts Z, offsets and fractions") {
  CHECK(ParseRfc3339("2023-11-14T22:13:20Z") == 1700000000000);
  CHECK(ParseRfc3339("2023-11-14T22:13:20.123Z") == 1700000000123);
  CHECK(ParseRfc3339("2023-11-14T22:13:20.123456789Z") == 1700000000123);
  CHECK(ParseRfc3339("2023-11-15T00:13:20+02:00") == 1700000000000);
  CHECK(ParseRfc3339("2023-11-14T20:13:20-02:00") == 1700000000000);
}

TEST_CASE("RFC 3339 parsing rejects lowercase separators and impossible dates") {
  CHECK_FALSE(ParseRfc3339("2023-11-14t22:13:20Z"));
  CHECK_FALSE(ParseRfc3339("2023-11-14T22:13:20z"));
  CHECK_FALSE(ParseRfc3339("2023-02-29T00:00:00Z"));
  CHECK_FALSE(ParseRfc3339("2023-11-14T22:13:20"));
  CHECK_FALSE(ParseRfc3339("2023-11-14T24:00:00Z"));
  CHECK_FALSE(ParseRfc3339("2023-11-14T22:13:20.Z"));
  CHECK_FALSE(ParseRfc3339("not a date"));
}

TEST_CASE("HTTP dates use the IMF-fixdate form") {
  CHECK(FormatHttpDate(1700000000000) == "Tue, 14 Nov 2023 22:13:20 GMT");
  CHECK(FormatHttpDate(0) == "Thu, 01 Jan 1970 00:00:00 GMT");
}
