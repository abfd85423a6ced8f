#include "engine/asl/json_error.h"

#include <string>
#include <vector>

#include "common/json.h"
#include "common/limits.h"

namespace stepline::asl::internal {
namespace {

constexpr size_t kMaxSourceChars = 500;  // Jackson's excerpt length

struct Position {
  size_t offset = 0;  // where the problem was found
  bool end_of_input = false;
  std::string reason;  // nlohmann's message, which names the parsing context
};

// Records where a SAX pass stopped; builds nothing, so hostile nesting is safe.
struct ErrorFinder : nlohmann::json_sax<Json> {
  size_t byte = 0;
  std::string reason;
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t position, const std::string&,
                   const nlohmann::detail::exception& e) override {
    byte = position;
    reason = e.what();
    return false;
  }
};

// Where parsing stopped; nlohmann counts bytes read, one past the culprit.
Position FindErrorPosition(std::string_view text) {
  Position pos;
  ErrorFinder finder;
  Json::sax_parse(text.begin(), text.end(), &finder);
  pos.offset = finder.byte == 0 ? 0 : finder.byte - 1;
  pos.reason = finder.reason;
  if (pos.offset >= text.size()) {
    pos.offset = text.size();
    pos.end_of_input = true;
  }
  return pos;
}

bool IsTokenChar(char c) {
  return !(c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == ':' || c == '[' ||
           c == ']' || c == '{' || c == '}' || c == '"');
}

bool IsWordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

std::string SourceLocation(std::string_view text, size_t offset) {
  size_t line = 1, column = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  std::string source(text.substr(0, kMaxSourceChars));
  std::string truncated;
  if (text.size() > kMaxSourceChars) {
    truncated = "[truncated " + std::to_string(text.size() - kMaxSourceChars) + " chars]";
  }
  return "[Source: (String)\"" + source + "\"" + truncated + "; line: " + std::to_string(line) +
         ", column: " + std::to_string(column) + "]";
}

bool Contains(const std::string& text, const char* part) {
  return text.find(part) != std::string::npos;
}

// What Jackson says it expected, from the context nlohmann reports.
std::string Expectation(const std::string& reason) {
  if (Contains(reason, "object key")) return "was expecting double-quote to start field name";
  if (Contains(reason, "object separator")) {
    return "was expecting a colon to separate field name and value";
  }
  if (Contains(reason, "while parsing object")) {
    return "was expecting comma to separate Object entries";
  }
  if (Contains(reason, "while parsing array"))
    return "was expecting comma to separate Array entries";
  return "expected a value";
}

// Jackson's end-of-input text: names the innermost container left open.
std::string EndOfInputMessage(std::string_view text) {
  std::vector<size_t> open;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      open.push_back(i);
    } else if ((c == '}' || c == ']') && !open.empty()) {
      open.pop_back();
    }
  }
  if (open.empty()) return "Unexpected end-of-input";
  size_t start = open.back();
  std::string kind = text[start] == '{' ? "Object" : "Array";
  return "Unexpected end-of-input: expected close marker for " + kind + " (start marker at " +
         SourceLocation(text, start) + ")";
}

}  // namespace

bool JsonNestingTooDeep(std::string_view text) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limits::kMaxJsonDepth) return true;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return false;
}

Diagnostic InvalidJsonDiagnostic(std::string_view text) {
  Position pos = FindErrorPosition(text);
  std::string message;
  size_t offset = pos.offset;
  if (pos.end_of_input) {
    message = EndOfInputMessage(text);
  } else if (Contains(pos.reason, "invalid literal") && IsWordChar(text[offset])) {
    size_t start = offset;
    while (start > 0 && IsWordChar(text[start - 1])) --start;
    size_t end = start;
    while (end < text.size() && IsTokenChar(text[end])) ++end;
    message = "Unrecognized token '" + std::string(text.substr(start, end - start)) +
              "': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or "
              "'false')";
    offset = end;
  } else {
    char c = text[offset];
    message = std::string("Unexpected character ('") + c + "' (code " +
              std::to_string(static_cast<unsigned char>(c)) + ")): " + Expectation(pos.reason);
    offset += 1;
  }
  std::string location = SourceLocation(text, offset);
  return {"ERROR", "INVALID_JSON_DESCRIPTION", message + "\n at " + location, location};
}

}  // namespace stepline::asl::internal
