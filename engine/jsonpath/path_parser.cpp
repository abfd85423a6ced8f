#include "engine/jsonpath/path_parser.h"

#include <cctype>
#include <charconv>
#include <utility>

#include "common/limits.h"

namespace stepline::jsonpath {
namespace {

using NodePtr = std::shared_ptr<const FilterNode>;

// Thrown inside the parser only; converted to a Status at the entry points.
struct ParseError {
  std::string message;
};

class PathParser {
 public:
  PathParser(std::string_view text, size_t pos, bool embedded, int depth)
      : text_(text), pos_(pos), embedded_(embedded), depth_(depth) {}

  PathAst ParsePath();
  size_t pos() const { return pos_; }

 private:
  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek(size_t ahead = 0) const {
    return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0';
  }
  bool Consume(std::string_view token);
  bool ConsumeWord(std::string_view word);
  void SkipSpaces();
  [[noreturn]] void Fail(const std::string& what) const;
  bool EndsName(char c) const;

  void ParseRoot(PathAst& ast);
  Segment ParseSegment();
  Selector ParseDotSelector();
  Selector ParseBracket();
  Selector ParseQuotedNames();
  Selector ParseNumbers();
  std::string ParseQuoted();
  int64_t ParseInteger();

  NodePtr ParseOr();
  NodePtr ParseAnd();
  NodePtr ParseUnary();
  NodePtr ParseComparison();
  NodePtr ParseOperand();
  NodePtr ParseLiteralNumber();
  NodePtr ParseArrayLiteral();
  void Enter();

  std::string_view text_;
  size_t pos_;
  bool embedded_;  // inside a filter or an intrinsic call
  int depth_;
};

[[noreturn]] void PathParser::Fail(const std::string& what) const {
  throw ParseError{what + " at position " + std::to_string(pos_)};
}

void PathParser::Enter() {
  if (++depth_ > limits::kMaxExpressionDepth) Fail("expression nested too deeply");
}

// Consumes `word` when it is not the start of a longer identifier.
bool PathParser::ConsumeWord(std::string_view word) {
  if (text_.substr(pos_, word.size()) != word) return false;
  char next = pos_ + word.size() < text_.size() ? text_[pos_ + word.size()] : '\0';
  if (std::isalnum(static_cast<unsigned char>(next)) || next == '_') return false;
  pos_ += word.size();
  return true;
}

bool PathParser::Consume(std::string_view token) {
  if (text_.substr(pos_, token.size()) != token) return false;
  pos_ += token.size();
  return true;
}

void PathParser::SkipSpaces() {
  while (!AtEnd() && std::isspace(static_cast<unsigned char>(Peek()))) ++pos_;
}

bool PathParser::EndsName(char c) const {
  if (c == '.' || c == '[') return true;
  if (!embedded_) return false;
  static constexpr std::string_view kStops = "]()=!<>&|,'\" \t\r\n";
  return kStops.find(c) != std::string_view::npos;
}

PathAst PathParser::ParsePath() {
  PathAst ast;
  ParseRoot(ast);
  while (!AtEnd() && (Peek() == '.' || Peek() == '[')) {
    ast.segments.push_back(ParseSegment());
  }
  return ast;
}

void PathParser::ParseRoot(PathAst& ast) {
  if (Consume("@")) {
    if (!embedded_) Fail("'@' is only allowed inside filters");
    ast.root = RootKind::kCurrent;
    return;
  }
  if (!Consume("$")) Fail("a path must start with '$'");
  if (Consume("$")) {
    ast.root = RootKind::kContext;
    return;
  }
  size_t start = pos_;
  while (!AtEnd() && (std::isalnum(static_cast<unsigned char>(Peek())) || Peek() == '_')) ++pos_;
  if (pos_ > start) {
    ast.root = RootKind::kVariable;
    ast.variable = std::string(text_.substr(start, pos_ - start));
  }
}

Segment PathParser::ParseSegment() {
  Segment seg;
  if (Consume("..")) {
    seg.recursive = true;
    seg.selector = Peek() == '[' ? ParseBracket() : ParseDotSelector();
  } else if (Consume(".")) {
    seg.selector = ParseDotSelector();
  } else {
    seg.selector = ParseBracket();
  }
  return seg;
}

Selector PathParser::ParseDotSelector() {
  Selector sel;
  if (Consume("*")) {
    sel.kind = Selector::Kind::kWildcard;
    return sel;
  }
  size_t start = pos_;
  while (!AtEnd() && !EndsName(Peek())) {
    if (!embedded_ && std::isspace(static_cast<unsigned char>(Peek()))) {
      Fail("use bracket notation ['name'] for names with blanks");
    }
    ++pos_;
  }
  if (pos_ == start) Fail("expected a name after '.'");
  sel.names.emplace_back(text_.substr(start, pos_ - start));
  return sel;
}

Selector PathParser::ParseBracket() {
  Consume("[");
  SkipSpaces();
  Selector sel;
  if (Consume("*")) {
    sel.kind = Selector::Kind::kWildcard;
  } else if (Consume("?")) {
    SkipSpaces();
    if (!Consume("(")) Fail("expected '(' after '?'");
    sel.kind = Selector::Kind::kFilter;
    sel.filter = ParseOr();
    SkipSpaces();
    if (!Consume(")")) Fail("expected ')' to close the filter");
  } else if (Peek() == '\'' || Peek() == '"') {
    sel = ParseQuotedNames();
  } else {
    sel = ParseNumbers();
  }
  SkipSpaces();
  if (!Consume("]")) Fail("expected ']'");
  return sel;
}

Selector PathParser::ParseQuotedNames() {
  Selector sel;
  sel.names.push_back(ParseQuoted());
  SkipSpaces();
  while (Consume(",")) {
    SkipSpaces();
    if (Peek() != '\'' && Peek() != '"') Fail("expected a quoted name");
    sel.names.push_back(ParseQuoted());
    SkipSpaces();
  }
  return sel;
}

// A quoted name: the quote character and a backslash may be escaped with a
// backslash; any other backslash is kept as it is (AWS matches the key
// "a\"b" with ['a\"b']).
std::string PathParser::ParseQuoted() {
  char quote = text_[pos_++];
  std::string out;
  while (!AtEnd() && Peek() != quote) {
    char c = text_[pos_++];
    if (c == '\\' && (Peek() == quote || Peek() == '\\')) c = text_[pos_++];
    out.push_back(c);
  }
  if (!Consume(std::string_view(&quote, 1))) Fail("unterminated quoted name");
  return out;
}

int64_t PathParser::ParseInteger() {
  SkipSpaces();
  size_t start = pos_;
  if (Peek() == '-') ++pos_;
  while (!AtEnd() && std::isdigit(static_cast<unsigned char>(Peek()))) ++pos_;
  int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text_.data() + start, text_.data() + pos_, value);
  if (ec != std::errc() || ptr != text_.data() + pos_) {
    pos_ = start;
    Fail("expected an array index, slice, '*', a quoted name or a filter");
  }
  SkipSpaces();
  return value;
}

Selector PathParser::ParseNumbers() {
  Selector sel;
  SkipSpaces();
  auto optional_int = [&]() -> std::optional<int64_t> {
    SkipSpaces();
    if (Peek() == ':' || Peek() == ']') return std::nullopt;
    return ParseInteger();
  };
  std::optional<int64_t> first = optional_int();
  if (Peek() != ':') {
    if (!first) Fail("expected an array index");
    sel.kind = Selector::Kind::kIndexes;
    sel.indexes.push_back(*first);
    while (Consume(",")) sel.indexes.push_back(ParseInteger());
    return sel;
  }
  sel.kind = Selector::Kind::kSlice;
  sel.start = first;
  Consume(":");
  sel.end = optional_int();
  if (Consume(":")) {
    std::optional<int64_t> step = optional_int();
    sel.step = step.value_or(1);
    if (sel.step == 0) Fail("slice step cannot be 0");
  }
  return sel;
}

// --- filters ---

NodePtr MakeNode(FilterNode::Kind kind, NodePtr lhs, NodePtr rhs = nullptr) {
  auto node = std::make_shared<FilterNode>();
  node->kind = kind;
  node->lhs = std::move(lhs);
  node->rhs = std::move(rhs);
  return node;
}

NodePtr PathParser::ParseOr() {
  Enter();
  NodePtr lhs = ParseAnd();
  SkipSpaces();
  while (Consume("||")) {
    lhs = MakeNode(FilterNode::Kind::kOr, lhs, ParseAnd());
    SkipSpaces();
  }
  --depth_;
  return lhs;
}

NodePtr PathParser::ParseAnd() {
  NodePtr lhs = ParseUnary();
  SkipSpaces();
  while (Consume("&&")) {
    lhs = MakeNode(FilterNode::Kind::kAnd, lhs, ParseUnary());
    SkipSpaces();
  }
  return lhs;
}

NodePtr PathParser::ParseUnary() {
  SkipSpaces();
  if (Peek() == '!' && Peek(1) != '=') {
    ++pos_;
    Enter();
    NodePtr inner = ParseUnary();
    --depth_;
    return MakeNode(FilterNode::Kind::kNot, inner);
  }
  if (Consume("(")) {
    NodePtr inner = ParseOr();
    SkipSpaces();
    if (!Consume(")")) Fail("expected ')'");
    return inner;
  }
  return ParseComparison();
}

NodePtr PathParser::ParseComparison() {
  NodePtr lhs = ParseOperand();
  SkipSpaces();
  static const std::pair<std::string_view, FilterNode::Op> kOps[] = {
      {"==", FilterNode::Op::kEq}, {"!=", FilterNode::Op::kNe}, {"<=", FilterNode::Op::kLe},
      {">=", FilterNode::Op::kGe}, {"<", FilterNode::Op::kLt},  {">", FilterNode::Op::kGt}};
  static const std::pair<std::string_view, FilterNode::Op> kWordOps[] = {
      {"nin", FilterNode::Op::kNin},
      {"in", FilterNode::Op::kIn},
      {"size", FilterNode::Op::kSize},
      {"empty", FilterNode::Op::kEmpty}};
  for (const auto& [token, op] : kWordOps) {
    if (!ConsumeWord(token)) continue;
    auto node = std::make_shared<FilterNode>();
    node->kind = FilterNode::Kind::kCompare;
    node->op = op;
    node->lhs = lhs;
    SkipSpaces();
    node->rhs = ParseOperand();
    return node;
  }
  for (const auto& [token, op] : kOps) {
    if (!Consume(token)) continue;
    auto node = std::make_shared<FilterNode>();
    node->kind = FilterNode::Kind::kCompare;
    node->op = op;
    node->lhs = lhs;
    SkipSpaces();
    node->rhs = ParseOperand();
    return node;
  }
  if (lhs->kind != FilterNode::Kind::kPath) Fail("expected a comparison operator");
  auto exists = std::make_shared<FilterNode>(*lhs);
  exists->kind = FilterNode::Kind::kExists;
  return exists;
}

NodePtr PathParser::ParseOperand() {
  SkipSpaces();
  char c = Peek();
  if (c == '@' || c == '$') {
    auto node = std::make_shared<FilterNode>();
    node->kind = FilterNode::Kind::kPath;
    PathParser inner(text_, pos_, /*embedded=*/true, depth_ + 1);
    if (depth_ + 1 > limits::kMaxExpressionDepth) Fail("expression nested too deeply");
    node->path = std::make_shared<PathAst>(inner.ParsePath());
    pos_ = inner.pos();
    return node;
  }
  auto node = std::make_shared<FilterNode>();
  node->kind = FilterNode::Kind::kLiteral;
  if (c == '\'' || c == '"') {
    node->literal = ParseQuoted();
  } else if (c == '[') {
    return ParseArrayLiteral();
  } else if (Consume("true")) {
    node->literal = true;
  } else if (Consume("false")) {
    node->literal = false;
  } else if (Consume("null")) {
    node->literal = nullptr;
  } else {
    return ParseLiteralNumber();
  }
  return node;
}

// A literal list such as ['a', "b", 1, true, null] (right of in/nin).
NodePtr PathParser::ParseArrayLiteral() {
  Consume("[");
  auto node = std::make_shared<FilterNode>();
  node->kind = FilterNode::Kind::kLiteral;
  node->literal = Json::array();
  SkipSpaces();
  if (Consume("]")) return node;
  do {
    SkipSpaces();
    if (Peek() == '[' || Peek() == '@' || Peek() == '$') Fail("expected a literal list element");
    node->literal.push_back(ParseOperand()->literal);
    SkipSpaces();
  } while (Consume(","));
  if (!Consume("]")) Fail("expected ']' to close the list");
  return node;
}

NodePtr PathParser::ParseLiteralNumber() {
  size_t start = pos_;
  static constexpr std::string_view kNumberChars = "+-.eE0123456789";
  while (!AtEnd() && kNumberChars.find(Peek()) != std::string_view::npos) ++pos_;
  auto parsed = ParseJson(text_.substr(start, pos_ - start));
  if (pos_ == start || !parsed.ok() || !parsed->is_number()) {
    pos_ = start;
    Fail("expected a path, a number, a quoted string, true, false or null");
  }
  auto node = std::make_shared<FilterNode>();
  node->kind = FilterNode::Kind::kLiteral;
  node->literal = std::move(parsed).value();
  return node;
}

std::string RenderSelector(const Selector& sel) {
  switch (sel.kind) {
    case Selector::Kind::kNames: {
      std::string out = "[";
      for (size_t i = 0; i < sel.names.size(); ++i) {
        out += (i ? ",'" : "'") + sel.names[i] + "'";
      }
      return out + "]";
    }
    case Selector::Kind::kIndexes: {
      std::string out = "[";
      for (size_t i = 0; i < sel.indexes.size(); ++i) {
        out += (i ? "," : "") + std::to_string(sel.indexes[i]);
      }
      return out + "]";
    }
    case Selector::Kind::kWildcard:
      return "[*]";
    case Selector::Kind::kSlice:
      return "[" + (sel.start ? std::to_string(*sel.start) : "") + ":" +
             (sel.end ? std::to_string(*sel.end) : "") + "]";
    case Selector::Kind::kFilter:
      return "[?]";
  }
  return "";
}

}  // namespace

bool IsDefinite(const PathAst& ast) {
  for (const Segment& seg : ast.segments) {
    if (seg.recursive) return false;
    const Selector& sel = seg.selector;
    if (sel.kind == Selector::Kind::kNames && sel.names.size() == 1) continue;
    if (sel.kind == Selector::Kind::kIndexes && sel.indexes.size() == 1) continue;
    return false;
  }
  return true;
}

Result<PathAst> ParsePathText(std::string_view text) {
  // Jayway trims surrounding whitespace before compiling.
  size_t first = text.find_first_not_of(" \t\r\n");
  size_t last = text.find_last_not_of(" \t\r\n");
  text =
      first == std::string_view::npos ? std::string_view() : text.substr(first, last - first + 1);
  try {
    PathParser parser(text, 0, /*embedded=*/false, 0);
    PathAst ast = parser.ParsePath();
    if (parser.pos() != text.size()) {
      return Status(ErrorCode::kInvalidDefinition,
                    "unexpected character '" + std::string(1, text[parser.pos()]) +
                        "' at position " + std::to_string(parser.pos()));
    }
    return ast;
  } catch (const ParseError& e) {
    return Status(ErrorCode::kInvalidDefinition, e.message);
  }
}

Result<PathAst> ParseEmbeddedPath(std::string_view text, size_t* pos, int depth) {
  try {
    PathParser parser(text, *pos, /*embedded=*/true, depth);
    PathAst ast = parser.ParsePath();
    *pos = parser.pos();
    return ast;
  } catch (const ParseError& e) {
    return Status(ErrorCode::kInvalidDefinition, e.message);
  }
}

namespace {

void CollectFilterVariables(const FilterNode& node, std::vector<std::string>* out) {
  if (node.path) CollectPathVariables(*node.path, out);
  if (node.lhs) CollectFilterVariables(*node.lhs, out);
  if (node.rhs) CollectFilterVariables(*node.rhs, out);
}

}  // namespace

void CollectPathVariables(const PathAst& ast, std::vector<std::string>* out) {
  if (ast.root == RootKind::kVariable) out->push_back(ast.variable);
  for (const Segment& seg : ast.segments) {
    if (seg.selector.filter) CollectFilterVariables(*seg.selector.filter, out);
  }
}

std::string RenderSegments(const PathAst& ast, size_t count) {
  // Jayway only knows "$": a context path is evaluated on the context object.
  std::string out = ast.root == RootKind::kVariable  ? "$" + ast.variable
                    : ast.root == RootKind::kCurrent ? "@"
                                                     : "$";
  for (size_t i = 0; i < count && i < ast.segments.size(); ++i) {
    if (ast.segments[i].recursive) out += "..";
    out += RenderSelector(ast.segments[i].selector);
  }
  return out;
}

}  // namespace stepline::jsonpath
