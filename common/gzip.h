// gzip decompression (RFC 1952, zlib underneath) for objects Stepline reads
// from S3, such as S3 Inventory's .csv.gz files.
//
// Thread-safety: pure function. Invariant: never returns more than
// `max_bytes` bytes; larger, truncated or corrupt data is an error value.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/status.h"

namespace stepline {

// True when `bytes` starts with the gzip magic (1F 8B).
bool LooksGzipped(std::string_view bytes);

// The decompressed bytes of every gzip member in `bytes`, one after another.
Result<std::string> Gunzip(std::string_view bytes, size_t max_bytes);

}  // namespace stepline
