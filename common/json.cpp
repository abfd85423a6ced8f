#include "common/json.h"

#include <charconv>

#include "common/limits.h"
#include "common/utf8.h"

namespace stepline {
namespace {

// Checks nesting depth on the raw text before handing it to nlohmann, whose
// recursive parser would otherwise overflow the stack on hostile input.
bool NestingWithin(std::string_view text, int max_depth) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return false;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return true;
}

// Our own compact writer: nlohmann's dump allocates an output adapter and
// reads the locale on every call, and events, records and responses are
// dumped by the hundred thousand. The text is byte for byte what
// dump(-1, ' ', false, replace) prints: the rare cases (floating point
// numbers, strings that are not well-formed UTF-8, binary values) are left
// to nlohmann itself.
void AppendNlohmann(std::string& out, const Json& value) {
  out += value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

char HexDigit(unsigned v) { return static_cast<char>(v < 10 ? '0' + v : 'a' + (v - 10)); }

void AppendEscaped(std::string& out, std::string_view s) {
  size_t run = 0;  // start of the bytes not yet copied
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    out += '\\';
    switch (c) {
      case '"':
        out += '"';
        break;
      case '\\':
        out += '\\';
        break;
      case '\b':
        out += 'b';
        break;
      case '\f':
        out += 'f';
        break;
      case '\n':
        out += 'n';
        break;
      case '\r':
        out += 'r';
        break;
      case '\t':
        out += 't';
        break;
      default:
        out += "u00";
        out += HexDigit(c >> 4);
        out += HexDigit(c & 0xF);
    }
  }
  out.append(s.data() + run, s.size() - run);
}

void AppendString(std::string& out, const std::string& s) {
  if (!IsWellFormedUtf8(s)) return AppendNlohmann(out, Json(s));
  out += '"';
  AppendEscaped(out, s);
  out += '"';
}

template <typename Int>
void AppendInteger(std::string& out, Int v) {
  char buffer[24];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
  out.append(buffer, end);
}

void AppendJson(std::string& out, const Json& value) {
  switch (value.type()) {
    case Json::value_t::object: {
      out += '{';
      bool first = true;
      for (const auto& [key, member] : value.get_ref<const Json::object_t&>()) {
        if (!first) out += ',';
        first = false;
        AppendString(out, key);
        out += ':';
        AppendJson(out, member);
      }
      out += '}';
      return;
    }
    case Json::value_t::array: {
      out += '[';
      bool first = true;
      for (const Json& element : value) {
        if (!first) out += ',';
        first = false;
        AppendJson(out, element);
      }
      out += ']';
      return;
    }
    case Json::value_t::string:
      return AppendString(out, value.get_ref<const std::string&>());
    case Json::value_t::boolean:
      out += value.get<bool>() ? "true" : "false";
      return;
    case Json::value_t::null:
      out += "null";
      return;
    case Json::value_t::number_integer:
      return AppendInteger(out, value.get<int64_t>());
    case Json::value_t::number_unsigned:
      return AppendInteger(out, value.get<uint64_t>());
    default:
      return AppendNlohmann(out, value);  // floats, binary, discarded
  }
}

}  // namespace

Result<Json> ParseJson(std::string_view text) {
  if (!NestingWithin(text, limits::kMaxJsonDepth)) {
    return Status(ErrorCode::kSerialization, "JSON nesting exceeds the maximum depth of " +
                                                 std::to_string(limits::kMaxJsonDepth));
  }
  try {
    return Json::parse(text.begin(), text.end());
  } catch (const Json::exception& e) {  // parse_error, or out_of_range for 1e999999
    return Status(ErrorCode::kSerialization, e.what());
  }
}

std::string DumpJson(const Json& value) {
  std::string out;
  AppendJson(out, value);
  return out;
}

int JsonDepth(const Json& value) {
  if (!value.is_structured()) return 0;
  int deepest = 0;
  for (const auto& child : value) {
    int d = JsonDepth(child);
    if (d > deepest) deepest = d;
  }
  return deepest + 1;
}

}  // namespace stepline
