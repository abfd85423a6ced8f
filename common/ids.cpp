#include "common/ids.h"

#include <random>

namespace stepline {
namespace {

std::mt19937_64& Rng() {
  thread_local std::mt19937_64 rng([] {
    std::random_device rd;
    return (static_cast<uint64_t>(rd()) << 32) ^ rd();
  }());
  return rng;
}

}  // namespace

uint64_t RandomU64() { return Rng()(); }

namespace {

// hi/lo as a canonical lowercase UUID with the given version nibble.
std::string FormatUuid(uint64_t hi, uint64_t lo, uint64_t version) {
  hi = (hi & 0xFFFFFFFFFFFF0FFFULL) | (version << 12);
  lo = (lo & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;  // variant 10
  static const char* kHex = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  auto put = [&](uint64_t v, int nibbles_from, int nibbles_to) {
    for (int i = nibbles_from; i < nibbles_to; ++i) out.push_back(kHex[(v >> (60 - 4 * i)) & 0xF]);
  };
  put(hi, 0, 8);
  out.push_back('-');
  put(hi, 8, 12);
  out.push_back('-');
  put(hi, 12, 16);
  out.push_back('-');
  put(lo, 0, 4);
  out.push_back('-');
  put(lo, 4, 16);
  return out;
}

// FNV-1a, then the splitmix64 finalizer so that names differing in one
// character give unrelated bits.
uint64_t Hash(std::string_view text, uint64_t basis) {
  for (unsigned char c : text) basis = (basis ^ c) * 0x100000001B3ULL;
  basis = (basis ^ (basis >> 30)) * 0xBF58476D1CE4E5B9ULL;
  basis = (basis ^ (basis >> 27)) * 0x94D049BB133111EBULL;
  return basis ^ (basis >> 31);
}

}  // namespace

std::string NewUuid() { return FormatUuid(RandomU64(), RandomU64(), 4); }

std::string NameUuid(std::string_view name) {
  uint64_t hi = Hash(name, 0xCBF29CE484222325ULL);
  uint64_t lo = Hash(name, hi ^ 0x9E3779B97F4A7C15ULL);
  return FormatUuid(hi, lo, 8);
}

}  // namespace stepline
