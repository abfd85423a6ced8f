// gzip decompression (common/gzip.h).
#include <catch2/catch.hpp>

#include "common/gzip.h"
#include "tests/support/gzip_writer.h"

using namespace stepline;
using stepline::testing::GzipForTest;

TEST_CASE("Gunzip reads one or several gzip members and refuses damaged data") {
  std::string text = "Bucket,Key\n\"b\",\"k\"\n";
  std::string gz = GzipForTest(text);
  CHECK(LooksGzipped(gz));
  CHECK_FALSE(LooksGzipped(text));
  Result<std::string> plain = Gunzip(gz, 1 << 20);
  REQUIRE(plain.ok());
  CHECK(*plain == text);
  Result<std::string> two = Gunzip(gz + GzipForTest("more"), 1 << 20);
  REQUIRE(two.ok());
  CHECK(*two == text + "more");
  CHECK_FALSE(Gunzip(gz.substr(0, gz.size() - 6), 1 << 20).ok());  // truncated
  std::string flipped = gz;
  flipped[12] = static_cast<char>(flipped[12] ^ 0x55);
  CHECK_FALSE(Gunzip(flipped, 1 << 20).ok());
  CHECK_FALSE(Gunzip("\x1f\x8bnot gzip", 1 << 20).ok());
}

TEST_CASE("Gunzip stops at its size limit instead of inflating a bomb") {
  std::string gz = GzipForTest(std::string(4 << 20, 'a'));  // 4 MiB of 'a': ~4 KiB zipped
  Result<std::string> r = Gunzip(gz, 1 << 20);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message().find("larger than 1048576") != std::string::npos);
}
