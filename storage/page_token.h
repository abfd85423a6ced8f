// Opaque pagination tokens for the store's List* reads.
//
// A token carries the keyset position after the last returned row (a JSON
// array of the ordering keys), a fingerprint of the query it belongs to, and a
// random nonce so that no token string is ever handed out twice. It travels as
// unpadded base64url of compact JSON. Decoding rejects anything malformed, or
// a token minted for a different query, with kInvalidToken.
//
// Thread-safety: pure functions (the nonce comes from a thread-local RNG).
#pragma once

#include <string>
#include <string_view>

#include "common/json.h"
#include "common/status.h"

namespace stepline::storage {

// `query` identifies the listing (e.g. "executions|<arn>|RUNNING"); `keys` is
// the keyset after the last row.
std::string EncodePageToken(std::string_view query, const Json& keys);

// The keys of a token made by EncodePageToken for the same `query`, which
// must be an array of `key_count` elements.
Result<Json> DecodePageToken(std::string_view query, std::string_view token, size_t key_count);

// Exposed for tests.
std::string Base64UrlEncode(std::string_view bytes);
bool Base64UrlDecode(std::string_view text, std::string* out);

}  // namespace stepline::storage
