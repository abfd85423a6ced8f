#include "common/ids.h"

#include <catch2/catch.hpp>
#include <regex>
#include <set>

TEST_CASE("NewUuid yields distinct version-4 UUIDs") {
  std::regex shape("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string u = stepline::NewUuid();
    REQUIRE(std::regex_match(u, shape));
    seen.insert(u);
  }
  CHECK(seen.size() == 1000);
}
