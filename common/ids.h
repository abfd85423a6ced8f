// Identifier helpers: random UUIDs (v4), name-derived UUIDs and random bits.
//
// Thread-safety: all functions are safe from any thread (thread-local RNGs).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace stepline {

// A random RFC 4122 version-4 UUID in lowercase canonical form.
std::string NewUuid();

// The same UUID-shaped text for the same `name` (RFC 9562 version 8, two
// mixed FNV-1a hashes: an identifier, not a digest), e.g. a map run's child
// execution names, which must not change when an iteration runs again.
std::string NameUuid(std::string_view name);

// 64 random bits, for tokens and jitter.
uint64_t RandomU64();

}  // namespace stepline
