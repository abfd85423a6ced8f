#include "storage/page_token.h"

#include <array>
#include <cstdint>

#include "common/ids.h"

namespace stepline::storage {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr size_t kMaxTokenLength = 3000;

std::string Fingerprint(std::string_view query) {
  uint64_t hash = 1469598103934665603ULL;  // FNV-1a
  for (unsigned char c : query) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  char buf[17];
  snprintf(buf, sizeof(buf), "%016llx", static_cast<unsigned long long>(hash));
  return buf;
}

int DecodeChar(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

Status Invalid() { return Status(ErrorCode::kInvalidToken, "Invalid pagination token"); }

}  // namespace

std::string Base64UrlEncode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  uint32_t acc = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    acc = (acc << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kAlphabet[(acc >> bits) & 0x3F]);
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(acc << (6 - bits)) & 0x3F]);
  return out;
}

bool Base64UrlDecode(std::string_view text, std::string* out) {
  out->clear();
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    int v = DecodeChar(c);
    if (v < 0) return false;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out->push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  return bits < 6;  // a lone trailing character cannot come from the encoder
}

std::string EncodePageToken(std::string_view query, const Json& keys) {
  Json token = Json::object();
  token["q"] = Fingerprint(query);
  token["k"] = keys;
  token["n"] = RandomU64() >> 11;  // fits a double exactly; only needs to differ
  return Base64UrlEncode(DumpJson(token));
}

Result<Json> DecodePageToken(std::string_view query, std::string_view token, size_t key_count) {
  std::string text;
  if (token.size() > kMaxTokenLength || !Base64UrlDecode(token, &text)) return Invalid();
  Result<Json> parsed = ParseJson(text);
  if (!parsed.ok() || !parsed->is_object()) return Invalid();
  const Json& doc = *parsed;
  auto q = doc.find("q");
  auto k = doc.find("k");
  if (q == doc.end() || k == doc.end() || !q->is_string() || !k->is_array()) return Invalid();
  if (q->get<std::string>() != Fingerprint(query) || k->size() != key_count) return Invalid();
  return *k;
}

}  // namespace stepline::storage
