// AWS Signature Version 4 request signing (header form), plus the SHA-256 /
// HMAC-SHA256 / hex / URI-encoding helpers it needs (OpenSSL).
//
// SignRequest adds X-Amz-Date, X-Amz-Security-Token (with a session token),
// X-Amz-Content-Sha256 (S3) and Authorization to a request whose url, method,
// headers and body are final. Signed headers: host, content-type and every
// x-amz-* header.
//
// Thread-safety: pure functions over their arguments.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace stepline::integrations {

struct AwsCredentials {
  std::string access_key_id = "test";
  std::string secret_access_key = "test";
  std::string session_token;
  // AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, defaults test/test.
  static AwsCredentials FromEnvironment();
};

struct SigningInput {
  std::string method;
  std::string host;   // as sent in the Host header (with :port when not default)
  std::string path;   // as sent on the wire (already URI-encoded), "/" at least
  std::string query;  // as sent on the wire, without '?'
  std::vector<std::pair<std::string, std::string>> headers;  // besides host
  std::string body;
  std::string region;
  std::string service;   // signing name: "sqs", "s3", "states", ...
  std::string amz_date;  // "YYYYMMDDTHHMMSSZ"
};

std::string Sha256Hex(std::string_view data);
std::string HmacSha256(std::string_view key, std::string_view data);  // raw bytes
std::string HexEncode(std::string_view bytes);
// RFC 3986 unreserved characters kept, everything else %XX (uppercase);
// '/' kept when `keep_slash`.
std::string UriEncode(std::string_view text, bool keep_slash);
std::string UriDecode(std::string_view text);

std::string CanonicalRequest(const SigningInput& in, std::string* signed_headers);
std::string StringToSign(const SigningInput& in, const std::string& canonical_request);
std::string Signature(const SigningInput& in, const AwsCredentials& creds);

// The headers to add: X-Amz-Date, [X-Amz-Security-Token], [X-Amz-Content-Sha256],
// Authorization. `in.headers` must already hold the extra x-amz headers (e.g.
// the token and content hash), so callers use AddSigningHeaders first.
void AddSigningHeaders(SigningInput& in, const AwsCredentials& creds);
std::string AuthorizationHeader(const SigningInput& in, const AwsCredentials& creds);

}  // namespace stepline::integrations
