// Lexer for JSONata expressions: turns text into tokens (operators, names,
// variables, literals, regular expressions), skipping comments.
//
// Thread-safety: a Lexer is used by one parse. Positions are character
// offsets just after each token (the reference implementation's convention).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "engine/jsonata/value.h"

namespace stepline::jsonata {

enum class TokenType { kOperator, kName, kVariable, kString, kNumber, kValue, kRegex, kEnd };

struct Token {
  TokenType type = TokenType::kEnd;
  std::string value;  // operator symbol, name, variable name, string contents
  Value literal;      // number / true / false / null
  std::shared_ptr<const Regex> regex;
  int position = 0;
};

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}
  // Next token; `regex_allowed` says a '/' starts a regular expression.
  Token Next(bool regex_allowed);
  // Reads a "<...>" function signature whose '<' was the last token; returns
  // the text including both angle brackets.
  std::string ReadSignature(int after_open);
  size_t position() const { return pos_; }

 private:
  Token Make(TokenType t, std::string v);
  Token ScanString(char quote);
  Token ScanRegex();
  Token ScanNumber();
  Token ScanName();
  bool SkipSpaceAndComments();

  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace stepline::jsonata
