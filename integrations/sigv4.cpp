#include "integrations/sigv4.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <map>

namespace stepline::integrations {
namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::string TrimSpaces(const std::string& v) {
  std::string out;
  bool space = false;
  for (char c : v) {
    if (c == ' ' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

std::string EnvOr(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}

// Query "b=2&a=1" -> "a=1&b=2", each name/value normalized to SigV4 encoding.
std::string CanonicalQuery(const std::string& query) {
  std::vector<std::pair<std::string, std::string>> params;
  size_t start = 0;
  while (start <= query.size() && !query.empty()) {
    size_t amp = query.find('&', start);
    std::string part = query.substr(start, amp == std::string::npos ? amp : amp - start);
    if (!part.empty()) {
      size_t eq = part.find('=');
      std::string k = UriDecode(part.substr(0, eq));
      std::string v = eq == std::string::npos ? "" : UriDecode(part.substr(eq + 1));
      params.emplace_back(UriEncode(k, false), UriEncode(v, false));
    }
    if (amp == std::string::npos) break;
    start = amp + 1;
  }
  std::sort(params.begin(), params.end());
  std::string out;
  for (const auto& [k, v] : params) out += (out.empty() ? "" : "&") + k + "=" + v;
  return out;
}

std::string CanonicalPath(const SigningInput& in) {
  std::string path = in.path.empty() ? "/" : in.path;
  if (in.service == "s3") return UriEncode(UriDecode(path), true);
  // Other services: the wire path (already encoded once) is encoded again.
  return UriEncode(UriEncode(UriDecode(path), true), true);
}

std::string Scope(const SigningInput& in) {
  return in.amz_date.substr(0, 8) + "/" + in.region + "/" + in.service + "/aws4_request";
}

}  // namespace

AwsCredentials AwsCredentials::FromEnvironment() {
  AwsCredentials c;
  c.access_key_id = EnvOr("AWS_ACCESS_KEY_ID", "test");
  c.secret_access_key = EnvOr("AWS_SECRET_ACCESS_KEY", "test");
  c.session_token = EnvOr("AWS_SESSION_TOKEN", "");
  return c;
}

std::string HexEncode(std::string_view bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(digits[c >> 4]);
    out.push_back(digits[c & 15]);
  }
  return out;
}

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  return HexEncode(std::string_view(reinterpret_cast<char*>(digest), sizeof digest));
}

std::string HmacSha256(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &len);
  return std::string(reinterpret_cast<char*>(out), len);
}

std::string UriEncode(std::string_view text, bool keep_slash) {
  static const char* digits = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' ||
        (keep_slash && c == '/')) {
      out.push_back(static_cast<char>(c));
    } else {
      out += {'%', digits[c >> 4], digits[c & 15]};
    }
  }
  return out;
}

std::string UriDecode(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() &&
        std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      out.push_back(static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

std::string CanonicalRequest(const SigningInput& in, std::string* signed_headers) {
  std::map<std::string, std::string> headers;
  headers["host"] = in.host;
  for (const auto& [name, value] : in.headers) {
    std::string key = Lower(name);
    if (key == "content-type" || key.rfind("x-amz-", 0) == 0) {
      std::string& slot = headers[key];
      slot += (slot.empty() ? "" : ",") + TrimSpaces(value);
    }
  }
  std::string canonical_headers, names;
  for (const auto& [k, v] : headers) {
    canonical_headers += k + ":" + v + "\n";
    names += (names.empty() ? "" : ";") + k;
  }
  if (signed_headers) *signed_headers = names;
  std::string payload_hash = Sha256Hex(in.body);
  for (const auto& [name, value] : in.headers) {
    if (Lower(name) == "x-amz-content-sha256") payload_hash = value;
  }
  return in.method + "\n" + CanonicalPath(in) + "\n" + CanonicalQuery(in.query) + "\n" +
         canonical_headers + "\n" + names + "\n" + payload_hash;
}

std::string StringToSign(const SigningInput& in, const std::string& canonical_request) {
  return "AWS4-HMAC-SHA256\n" + in.amz_date + "\n" + Scope(in) + "\n" +
         Sha256Hex(canonical_request);
}

std::string Signature(const SigningInput& in, const AwsCredentials& creds) {
  std::string key = HmacSha256("AWS4" + creds.secret_access_key, in.amz_date.substr(0, 8));
  key = HmacSha256(key, in.region);
  key = HmacSha256(key, in.service);
  key = HmacSha256(key, "aws4_request");
  return HexEncode(HmacSha256(key, StringToSign(in, CanonicalRequest(in, nullptr))));
}

std::string AuthorizationHeader(const SigningInput& in, const AwsCredentials& creds) {
  std::string signed_headers;
  CanonicalRequest(in, &signed_headers);
  return "AWS4-HMAC-SHA256 Credential=" + creds.access_key_id + "/" + Scope(in) +
         ", SignedHeaders=" + signed_headers + ", Signature=" + Signature(in, creds);
}

void AddSigningHeaders(SigningInput& in, const AwsCredentials& creds) {
  in.headers.emplace_back("X-Amz-Date", in.amz_date);
  if (!creds.session_token.empty()) {
    in.headers.emplace_back("X-Amz-Security-Token", creds.session_token);
  }
  if (in.service == "s3") in.headers.emplace_back("X-Amz-Content-Sha256", Sha256Hex(in.body));
}

}  // namespace stepline::integrations
