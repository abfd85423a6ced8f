// Lexer implementation.
#include "engine/jsonata/lexer.h"

#include <cmath>
#include <cstdlib>
#include <cstring>

#include "engine/jsonata/errors.h"
#include "engine/jsonata/regex.h"

namespace stepline::jsonata {

namespace {
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v'; }
bool IsOperatorChar(char c) {
  return std::strchr(".[]{}(),@#;:?+-*/%|=<>^&!~", c) != nullptr && c != 0;
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

Token Lexer::Make(TokenType t, std::string v) {
  Token tok;
  tok.type = t;
  tok.value = std::move(v);
  tok.position = static_cast<int>(pos_);
  return tok;
}

bool Lexer::SkipSpaceAndComments() {
  while (pos_ < text_.size()) {
    if (IsSpace(text_[pos_])) {
      ++pos_;
    } else if (text_[pos_] == '/' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '*') {
      size_t end = text_.find("*/", pos_ + 2);
      if (end == std::string_view::npos) {
        pos_ = text_.size();
        ThrowAt("S0106", static_cast<int>(pos_));
      }
      pos_ = end + 2;
    } else {
      return true;
    }
  }
  return false;
}

Token Lexer::Next(bool regex_allowed) {
  if (!SkipSpaceAndComments()) return Make(TokenType::kEnd, "(end)");
  char c = text_[pos_];
  if (regex_allowed && c == '/') {
    ++pos_;
    return ScanRegex();
  }
  static const char* kDouble[] = {"..", ":=", "!=", ">=", "<=", "**", "~>", "??", "?:"};
  if (pos_ + 1 < text_.size()) {
    for (const char* op : kDouble) {
      if (text_[pos_] == op[0] && text_[pos_ + 1] == op[1]) {
        pos_ += 2;
        return Make(TokenType::kOperator, op);
      }
    }
  }
  if (c == '!' || (c == '~' && false)) {
    ++pos_;
    ThrowAt("S0204", static_cast<int>(pos_), std::string(1, c));
  }
  if (IsOperatorChar(c) && c != '~') {
    ++pos_;
    return Make(TokenType::kOperator, std::string(1, c));
  }
  if (c == '"' || c == '\'') {
    ++pos_;
    return ScanString(c);
  }
  if (IsDigit(c)) return ScanNumber();
  if (c == '`') {
    size_t end = text_.find('`', pos_ + 1);
    if (end == std::string_view::npos) {
      pos_ = text_.size();
      ThrowAt("S0105", static_cast<int>(pos_));
    }
    std::string name(text_.substr(pos_ + 1, end - pos_ - 1));
    pos_ = end + 1;
    return Make(TokenType::kName, name);
  }
  return ScanName();
}

Token Lexer::ScanString(char quote) {
  std::string out;
  while (pos_ < text_.size()) {
    char c = text_[pos_];
    if (c == '\\') {
      ++pos_;
      char e = pos_ < text_.size() ? text_[pos_] : 0;
      switch (e) {
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case '/':
          out += '/';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          auto read4 = [&](size_t at, char32_t& cp) {
            if (at + 4 > text_.size()) return false;
            cp = 0;
            for (int k = 0; k < 4; ++k) {
              int h = HexValue(text_[at + k]);
              if (h < 0) return false;
              cp = cp * 16 + h;
            }
            return true;
          };
          char32_t cp;
          if (!read4(pos_ + 1, cp)) ThrowAt("S0104", static_cast<int>(pos_));
          pos_ += 4;
          if (cp >= 0xD800 && cp <= 0xDBFF && pos_ + 2 < text_.size() && text_[pos_ + 1] == '\\' &&
              text_[pos_ + 2] == 'u') {
            char32_t lo;
            if (read4(pos_ + 3, lo) && lo >= 0xDC00 && lo <= 0xDFFF) {
              cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
              pos_ += 6;
            }
          }
          AppendUtf8(out, cp);
          break;
        }
        default:
          ThrowAt("S0103", static_cast<int>(pos_), std::string(1, e));
      }
      ++pos_;
    } else if (c == quote) {
      ++pos_;
      return Make(TokenType::kString, out);
    } else {
      out += c;
      ++pos_;
    }
  }
  ThrowAt("S0101", static_cast<int>(pos_));
}

Token Lexer::ScanNumber() {
  size_t start = pos_;
  if (text_[pos_] == '0') {
    ++pos_;
  } else {
    while (pos_ < text_.size() && IsDigit(text_[pos_])) ++pos_;
  }
  if (pos_ + 1 < text_.size() && text_[pos_] == '.' && IsDigit(text_[pos_ + 1])) {
    ++pos_;
    while (pos_ < text_.size() && IsDigit(text_[pos_])) ++pos_;
  }
  if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
    size_t save = pos_++;
    if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
    if (pos_ < text_.size() && IsDigit(text_[pos_])) {
      while (pos_ < text_.size() && IsDigit(text_[pos_])) ++pos_;
    } else {
      pos_ = save;
    }
  }
  std::string s(text_.substr(start, pos_ - start));
  double d = std::strtod(s.c_str(), nullptr);
  if (!std::isfinite(d)) ThrowAt("S0102", static_cast<int>(pos_), s);
  Token t = Make(TokenType::kNumber, s);
  t.literal = Value::Number(d);
  return t;
}

Token Lexer::ScanName() {
  bool variable = text_[pos_] == '$';
  size_t start = variable ? pos_ + 1 : pos_;
  size_t i = start;
  while (i < text_.size() && !IsSpace(text_[i]) &&
         !(IsOperatorChar(text_[i]) && text_[i] != '!' && text_[i] != '~')) {
    if ((text_[i] == '!' && i + 1 < text_.size() && text_[i + 1] == '=') ||
        (text_[i] == '~' && i + 1 < text_.size() && text_[i + 1] == '>')) {
      break;
    }
    ++i;
  }
  std::string name(text_.substr(start, i - start));
  pos_ = i;
  if (variable) return Make(TokenType::kVariable, name);
  if (name == "and" || name == "or" || name == "in") return Make(TokenType::kOperator, name);
  if (name == "true" || name == "false" || name == "null") {
    Token t = Make(TokenType::kValue, name);
    t.literal = name == "null" ? Value::Null() : Value::Bool(name == "true");
    return t;
  }
  if (name.empty()) {
    ++pos_;
    ThrowAt("S0204", static_cast<int>(pos_), std::string(text_.substr(start, 1)));
  }
  return Make(TokenType::kName, name);
}

Token Lexer::ScanRegex() {
  size_t start = pos_;
  int depth = 0;
  while (pos_ < text_.size()) {
    char c = text_[pos_];
    bool escaped = false;
    size_t k = pos_;
    int backslashes = 0;
    while (k > start && text_[k - 1] == '\\') {
      ++backslashes;
      --k;
    }
    escaped = backslashes % 2 == 1;
    if (c == '/' && depth == 0 && !escaped) {
      std::string pattern(text_.substr(start, pos_ - start));
      if (pattern.empty()) ThrowAt("S0301", static_cast<int>(pos_));
      ++pos_;
      std::string flags;
      while (pos_ < text_.size() && (text_[pos_] == 'i' || text_[pos_] == 'm'))
        flags += text_[pos_++];
      Token t = Make(TokenType::kRegex, pattern);
      t.regex = Regex::Compile(pattern, flags, t.position);
      return t;
    }
    if (!escaped && (c == '(' || c == '[' || c == '{')) ++depth;
    if (!escaped && (c == ')' || c == ']' || c == '}')) --depth;
    ++pos_;
  }
  ThrowAt("S0302", static_cast<int>(pos_));
}

std::string Lexer::ReadSignature(int after_open) {
  size_t i = static_cast<size_t>(after_open);
  int depth = 1;
  std::string sig = "<";
  while (i < text_.size() && depth > 0) {
    char c = text_[i++];
    if (c == '<') ++depth;
    if (c == '>') --depth;
    if (!IsSpace(c)) sig += c;
  }
  pos_ = i;
  return sig;
}

}  // namespace stepline::jsonata
