// UTF-8 well-formedness and repair (common/utf8.h).
#include "common/utf8.h"

#include <catch2/catch.hpp>

#include "common/json.h"

using namespace stepline;

TEST_CASE("UTF-8 well-formedness rejects overlong forms, surrogates and stray bytes") {
  CHECK(IsWellFormedUtf8("plain \xE2\x9C\x93 \xF0\x9F\x98\x80"));
  CHECK_FALSE(IsWellFormedUtf8("\xC0\x80"));          // overlong NUL
  CHECK_FALSE(IsWellFormedUtf8("\xE0\x80\x80"));      // overlong 3-byte
  CHECK_FALSE(IsWellFormedUtf8("\xED\xA0\x80"));      // surrogate D800
  CHECK_FALSE(IsWellFormedUtf8("\xF4\x90\x80\x80"));  // past U+10FFFF
  CHECK_FALSE(IsWellFormedUtf8("\xE2\x9C"));          // cut short
  std::string repaired = ToWellFormedUtf8(
      "a\xFF"
      "b\xED\xA0\x80"
      "c");
  CHECK(repaired ==
        "a\xEF\xBF\xBD"
        "b\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"
        "c");
  CHECK_NOTHROW(Json(repaired).dump());  // nlohmann's strict encoder accepts it
}
