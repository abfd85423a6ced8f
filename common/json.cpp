#include "common/json.h"

#include "common/limits.h"

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
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
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
