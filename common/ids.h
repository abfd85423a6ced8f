// Identifier helpers: random UUIDs (v4) and request ids.
//
// Thread-safety: all functions are safe from any thread (thread-local RNGs).
#pragma once

#include <cstdint>
#include <string>

namespace stepline {

// A random RFC 4122 version-4 UUID in lowercase canonical form.
std::string NewUuid();

// 64 random bits, for tokens and jitter.
uint64_t RandomU64();

}  // namespace stepline
