#include "engine/runtime/task_token.h"

#include <charconv>

namespace stepline::runtime {
namespace {

constexpr std::string_view kPrefix = "STL1";

char HexDigit(int v) { return static_cast<char>(v < 10 ? '0' + v : 'a' + v - 10); }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::optional<std::string> DecodeHex(std::string_view hex) {
  if (hex.empty() || hex.size() % 2 != 0) return std::nullopt;
  std::string out;
  for (size_t i = 0; i < hex.size(); i += 2) {
    int hi = HexValue(hex[i]);
    int lo = HexValue(hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
  }
  return out;
}

}  // namespace

std::string MakeTaskToken(const std::string& execution_arn, int64_t scheduled_event_id) {
  std::string token(kPrefix);
  for (unsigned char c : execution_arn) {
    token += HexDigit(c >> 4);
    token += HexDigit(c & 15);
  }
  return token + "-" + std::to_string(scheduled_event_id);
}

std::optional<TokenTarget> ParseTaskToken(std::string_view token) {
  if (token.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  token.remove_prefix(kPrefix.size());
  size_t dash = token.rfind('-');
  if (dash == std::string_view::npos) return std::nullopt;
  std::optional<std::string> arn = DecodeHex(token.substr(0, dash));
  std::string_view digits = token.substr(dash + 1);
  int64_t id = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), id);
  if (!arn || digits.empty() || ec != std::errc() || end != digits.data() + digits.size() ||
      id <= 0) {
    return std::nullopt;
  }
  return TokenTarget{*arn, id};
}

}  // namespace stepline::runtime
