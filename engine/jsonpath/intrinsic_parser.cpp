// Parser of intrinsic calls: States.Name(arg, ...), where an argument is a
// 'quoted string' (escapes \' \{ \} \\), a number, true/false/null, a path
// ($..., $$..., $name...) or a nested call.
#include <cctype>

#include "common/limits.h"
#include "engine/jsonpath/intrinsics.h"
#include "engine/jsonpath/path_parser.h"

namespace stepline::jsonpath {
namespace {

struct IntrinsicParseError {
  std::string message;
};

class IntrinsicParser {
 public:
  explicit IntrinsicParser(std::string_view text) : text_(text) {}

  std::shared_ptr<const IntrinsicCall> ParseCall(int depth);
  void SkipSpaces() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  bool AtEnd() const { return pos_ >= text_.size(); }
  size_t pos() const { return pos_; }

 private:
  char Peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
  bool Consume(std::string_view token) {
    if (text_.substr(pos_, token.size()) != token) return false;
    pos_ += token.size();
    return true;
  }
  [[noreturn]] void Fail(const std::string& what) const {
    throw IntrinsicParseError{what + " at position " + std::to_string(pos_)};
  }
  const FunctionSpec* ParseFunctionName();
  IntrinsicArg ParseArg(int depth);
  IntrinsicArg ParseString();
  IntrinsicArg ParseNumber();
  IntrinsicArg ParsePathArg(int depth);

  std::string_view text_;
  size_t pos_ = 0;
};

const FunctionSpec* IntrinsicParser::ParseFunctionName() {
  size_t start = pos_;
  while (!AtEnd() && (std::isalnum(static_cast<unsigned char>(Peek())) || Peek() == '.')) ++pos_;
  std::string_view name = text_.substr(start, pos_ - start);
  for (const FunctionSpec& spec : IntrinsicTable()) {
    if (spec.name == name) return &spec;
  }
  pos_ = start;
  Fail("unknown intrinsic function '" + std::string(name) + "'");
}

std::shared_ptr<const IntrinsicCall> IntrinsicParser::ParseCall(int depth) {
  if (depth > limits::kMaxIntrinsicNesting) {
    Fail("intrinsic functions cannot be nested more than " +
         std::to_string(limits::kMaxIntrinsicNesting) + " deep");
  }
  auto call = std::make_shared<IntrinsicCall>();
  call->function = ParseFunctionName();
  SkipSpaces();
  if (!Consume("(")) Fail("expected '(' after " + std::string(call->function->name));
  SkipSpaces();
  if (!Consume(")")) {
    do {
      SkipSpaces();
      call->args.push_back(ParseArg(depth));
      SkipSpaces();
    } while (Consume(","));
    if (!Consume(")")) Fail("expected ',' or ')'");
  }
  const FunctionSpec& spec = *call->function;
  if (call->args.size() < spec.min_args || call->args.size() > spec.max_args) {
    std::string expected =
        spec.min_args == spec.max_args
            ? std::to_string(spec.min_args)
            : (spec.max_args == SIZE_MAX
                   ? "at least " + std::to_string(spec.min_args)
                   : std::to_string(spec.min_args) + " to " + std::to_string(spec.max_args));
    Fail(std::string(spec.name) + " takes " + expected + " argument(s), got " +
         std::to_string(call->args.size()));
  }
  return call;
}

IntrinsicArg IntrinsicParser::ParseArg(int depth) {
  char c = Peek();
  if (c == '\'') return ParseString();
  if (c == '$') return ParsePathArg(depth);
  if (c == '-' || std::isdigit(static_cast<unsigned char>(c))) return ParseNumber();
  IntrinsicArg arg;
  if (Consume("true")) {
    arg.literal = true;
  } else if (Consume("false")) {
    arg.literal = false;
  } else if (Consume("null")) {
    arg.literal = nullptr;
  } else if (text_.substr(pos_, 7) == "States.") {
    arg.kind = IntrinsicArg::Kind::kCall;
    arg.call = ParseCall(depth + 1);
  } else {
    Fail("expected a string, number, boolean, null, path or intrinsic function");
  }
  return arg;
}

// 'text': \' \{ \} \\ are escapes; the raw text keeps them for States.Format,
// where an escaped brace is not a placeholder.
IntrinsicArg IntrinsicParser::ParseString() {
  ++pos_;
  size_t start = pos_;
  std::string value;
  while (!AtEnd() && Peek() != '\'') {
    char c = text_[pos_++];
    if (c == '\\' && !AtEnd()) {
      char next = Peek();
      if (next == '\'' || next == '{' || next == '}' || next == '\\') {
        c = next;
        ++pos_;
      }
    }
    value.push_back(c);
  }
  IntrinsicArg arg;
  arg.raw = std::string(text_.substr(start, pos_ - start));
  if (!Consume("'")) Fail("unterminated string literal");
  arg.literal = std::move(value);
  return arg;
}

IntrinsicArg IntrinsicParser::ParseNumber() {
  size_t start = pos_;
  static constexpr std::string_view kNumberChars = "+-.eE0123456789";
  while (!AtEnd() && kNumberChars.find(Peek()) != std::string_view::npos) ++pos_;
  auto parsed = ParseJson(text_.substr(start, pos_ - start));
  if (!parsed.ok() || !parsed->is_number()) {
    pos_ = start;
    Fail("invalid number");
  }
  IntrinsicArg arg;
  arg.literal = std::move(parsed).value();
  return arg;
}

IntrinsicArg IntrinsicParser::ParsePathArg(int depth) {
  size_t start = pos_;
  auto ast = ParseEmbeddedPath(text_, &pos_, depth);
  if (!ast.ok()) throw IntrinsicParseError{ast.status().message()};
  IntrinsicArg arg;
  arg.kind = IntrinsicArg::Kind::kPath;
  arg.path_text = std::string(text_.substr(start, pos_ - start));
  arg.path = std::make_shared<PathAst>(std::move(ast).value());
  return arg;
}

}  // namespace

bool LooksLikeIntrinsic(std::string_view text) {
  size_t i = 0;
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  return text.substr(i, 7) == "States." && text.find('(') != std::string_view::npos;
}

Result<std::shared_ptr<const IntrinsicCall>> ParseIntrinsic(std::string_view text) {
  try {
    IntrinsicParser parser(text);
    parser.SkipSpaces();
    auto call = parser.ParseCall(1);
    parser.SkipSpaces();
    if (!parser.AtEnd()) {
      return Status(ErrorCode::kInvalidDefinition,
                    "unexpected text after the call at position " + std::to_string(parser.pos()));
    }
    return call;
  } catch (const IntrinsicParseError& e) {
    return Status(ErrorCode::kInvalidDefinition, e.message);
  }
}

void CollectIntrinsicVariables(const IntrinsicCall& call, std::vector<std::string>* out) {
  for (const IntrinsicArg& arg : call.args) {
    if (arg.kind == IntrinsicArg::Kind::kPath) {
      CollectPathVariables(*arg.path, out);
    } else if (arg.kind == IntrinsicArg::Kind::kCall) {
      CollectIntrinsicVariables(*arg.call, out);
    }
  }
}

}  // namespace stepline::jsonpath
