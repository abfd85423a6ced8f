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

TEST_CASE("NameUuid gives one UUID per name, unrelated for neighbouring names") {
  std::regex shape("[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  CHECK(stepline::NameUuid("run#1") == stepline::NameUuid("run#1"));
  std::set<std::string> seen, prefixes;
  for (int i = 0; i < 1000; ++i) {
    std::string u =
        stepline::NameUuid("arn:aws:states:us-east-1:1:mapRun:sm/L:x#" + std::to_string(i));
    REQUIRE(std::regex_match(u, shape));
    seen.insert(u);
    prefixes.insert(u.substr(0, 4));
  }
  CHECK(seen.size() == 1000);
  CHECK(prefixes.size() > 900);  // the leading digits differ too (a plain FNV-1a kept them)
}
