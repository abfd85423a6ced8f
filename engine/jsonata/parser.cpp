// Parser: Pratt parser over the Lexer, then the post-processing pass that
// turns '.' chains into paths, predicates into stages, resolves '%' parent
// references into tuple labels and marks tail calls.
#include <map>

#include "engine/jsonata/ast.h"
#include "engine/jsonata/errors.h"
#include "engine/jsonata/lexer.h"

namespace stepline::jsonata {

namespace {

constexpr int kMaxParseDepth = 400;

// "??" and "?:" bind like comparisons from 2.2 on; before, their binding
// power 0 stops any expression in front of them (a syntax error).
constexpr int kFallbackBindingPower = 40;

bool IsFallbackOperator(const std::string& op) { return op == "??" || op == "?:"; }

int BindingPower(const std::string& op) {
  static const std::map<std::string, int> kBp = {
      {".", 75},   {"[", 80},  {"]", 0},   {"{", 70},  {"}", 0},   {"(", 80},
      {")", 0},    {",", 0},   {"@", 80},  {"#", 80},  {";", 0},   {":", 0},
      {"?", 20},   {"+", 50},  {"-", 50},  {"*", 60},  {"/", 60},  {"%", 60},
      {"|", 0},    {"=", 40},  {"<", 40},  {">", 40},  {"^", 40},  {"**", 60},
      {"..", 0},   {":=", 10}, {"!=", 40}, {"<=", 40}, {">=", 40}, {"~>", 40},
      {"and", 30}, {"or", 25}, {"in", 40}, {"&", 50},  {"??", 0},  {"?:", 0}};
  auto it = kBp.find(op);
  return it == kBp.end() ? -1 : it->second;
}

class Parser {
 public:
  Parser(std::string_view text, Version version)
      : text_(text), lexer_(text), fallback_operators_(version >= Version::k2_2) {}

  NodePtr ParseAll() {
    Advance();
    NodePtr expr = Expression(0);
    if (tok_.type != TokenType::kEnd) ThrowAt("S0201", tok_.position, tok_.value);
    return expr;
  }

 private:
  bool IsOp(const char* op) const { return tok_.type == TokenType::kOperator && tok_.value == op; }

  int Lbp() const {
    if (tok_.type != TokenType::kOperator) return 0;
    if (fallback_operators_ && IsFallbackOperator(tok_.value)) return kFallbackBindingPower;
    return BindingPower(tok_.value);
  }

  void Advance(const char* expect = nullptr) {
    if (expect && !IsOp(expect)) {
      ErrorArgs a;
      a.position = tok_.position;
      a.token = tok_.value;
      a.value = Value::String(expect);
      a.has_value = true;
      Throw(tok_.type == TokenType::kEnd ? "S0203" : "S0202", a);
    }
    bool regex_ok = true;
    if (prev_valid_) {
      regex_ok = tok_.type == TokenType::kOperator && tok_.value != ")" && tok_.value != "]" &&
                 tok_.value != "}" && tok_.value != "*" && tok_.value != "%" && tok_.value != "**";
    }
    prev_valid_ = true;
    tok_ = lexer_.Next(regex_ok);
    if (tok_.type == TokenType::kEnd) tok_.position = static_cast<int>(text_.size());
    if (tok_.type == TokenType::kOperator && BindingPower(tok_.value) < 0) {
      ThrowAt("S0204", tok_.position, tok_.value);
    }
  }

  NodePtr NewNode(NodeType t, const Token& tok) {
    auto n = std::make_shared<Node>();
    n->type = t;
    n->value = tok.value;
    n->position = tok.position;
    return n;
  }

  NodePtr Expression(int rbp) {
    if (++depth_ > kMaxParseDepth) ThrowAt("U1001", tok_.position);
    Token t = tok_;
    Advance();
    NodePtr left = Nud(t);
    while (rbp < Lbp()) {
      t = tok_;
      Advance();
      left = Led(t, left);
    }
    --depth_;
    return left;
  }

  NodePtr Nud(const Token& t) {
    switch (t.type) {
      case TokenType::kName:
        return NewNode(NodeType::kName, t);
      case TokenType::kVariable:
        return NewNode(NodeType::kVariable, t);
      case TokenType::kString: {
        auto n = NewNode(NodeType::kString, t);
        n->literal = Value::String(t.value);
        return n;
      }
      case TokenType::kNumber:
      case TokenType::kValue: {
        auto n = NewNode(t.type == TokenType::kNumber ? NodeType::kNumber : NodeType::kValue, t);
        n->literal = t.literal;
        return n;
      }
      case TokenType::kRegex: {
        auto n = NewNode(NodeType::kRegex, t);
        n->regex = t.regex;
        return n;
      }
      case TokenType::kEnd:
        ThrowAt("S0207", t.position);
      case TokenType::kOperator:
        break;
    }
    const std::string& op = t.value;
    if (op == "and" || op == "or" || op == "in") return NewNode(NodeType::kName, t);
    if (op == "-") {
      auto n = NewNode(NodeType::kUnary, t);
      n->expression = Expression(70);
      return n;
    }
    if (op == "*") return NewNode(NodeType::kWildcard, t);
    if (op == "**") return NewNode(NodeType::kDescendant, t);
    if (op == "%") return NewNode(NodeType::kParent, t);
    if (op == "(") return ParseBlock(t);
    if (op == "[") return ParseArray(t);
    if (op == "{") {
      auto n = NewNode(NodeType::kUnary, t);
      n->pairs = ParsePairs();
      return n;
    }
    if (op == "|") return ParseTransform(t);
    if (op == "?") {  // placeholder only valid as an argument; reported there
      return NewNode(NodeType::kOperator, t);
    }
    ThrowAt("S0211", t.position, op);
  }

  NodePtr ParseBlock(const Token& t) {
    auto n = NewNode(NodeType::kBlock, t);
    while (!IsOp(")")) {
      n->expressions.push_back(Expression(0));
      if (!IsOp(";")) break;
      Advance(";");
    }
    Advance(")");
    return n;
  }

  NodePtr ParseArray(const Token& t) {
    auto n = NewNode(NodeType::kUnary, t);
    if (!IsOp("]")) {
      for (;;) {
        NodePtr item = Expression(0);
        if (IsOp("..")) {
          auto range = NewNode(NodeType::kBinary, tok_);
          range->lhs = item;
          Advance("..");
          range->rhs = Expression(0);
          item = range;
        }
        n->expressions.push_back(item);
        if (!IsOp(",")) break;
        Advance(",");
      }
    }
    Advance("]");
    return n;
  }

  std::vector<std::pair<NodePtr, NodePtr>> ParsePairs() {
    std::vector<std::pair<NodePtr, NodePtr>> pairs;
    if (!IsOp("}")) {
      for (;;) {
        NodePtr k = Expression(0);
        Advance(":");
        NodePtr v = Expression(0);
        pairs.emplace_back(k, v);
        if (!IsOp(",")) break;
        Advance(",");
      }
    }
    Advance("}");
    return pairs;
  }

  NodePtr ParseTransform(const Token& t) {
    auto n = NewNode(NodeType::kTransform, t);
    n->pattern = Expression(0);
    Advance("|");
    n->update = Expression(0);
    if (IsOp(",")) {
      Advance(",");
      n->remove = Expression(0);
    }
    Advance("|");
    return n;
  }

  NodePtr Led(const Token& t, NodePtr left) {
    const std::string& op = t.value;
    int bp = BindingPower(op);
    if (op == "(") return ParseCall(t, left);
    if (op == "[") return ParsePredicate(t, left);
    if (op == "{") {
      auto n = NewNode(NodeType::kBinary, t);
      n->lhs = left;
      n->pairs = ParsePairs();
      return n;
    }
    if (op == "^") return ParseOrderBy(t, left);
    if (fallback_operators_ && IsFallbackOperator(op)) return ParseFallback(t, left);
    if (op == "?") {
      auto n = NewNode(NodeType::kCondition, t);
      n->condition = left;
      n->then = Expression(0);
      if (IsOp(":")) {
        Advance(":");
        n->otherwise = Expression(0);
      }
      return n;
    }
    auto n = NewNode(NodeType::kBinary, t);
    n->lhs = left;
    if (op == ":=") {
      if (left->type != NodeType::kVariable) ThrowAt("S0212", t.position, op);
      n->rhs = Expression(bp - 1);
      return n;
    }
    if (op == "@" || op == "#") {
      n->rhs = Expression(bp);
      if (n->rhs->type != NodeType::kVariable) ThrowAt("S0214", n->rhs->position, op);
      return n;
    }
    if (op == ")" || op == "]" || op == "}" || op == "," || op == ";" || op == ":" || op == ".." ||
        op == "??" || op == "?:") {
      ThrowAt("S0201", t.position, op);
    }
    n->rhs = Expression(bp);
    return n;
  }

  // "left ?? rhs" / "left ?: rhs": the right-hand side extends as far as
  // possible, as in the reference parser.
  NodePtr ParseFallback(const Token& t, NodePtr left) {
    auto n = NewNode(NodeType::kCondition, t);
    n->condition = left;
    n->otherwise = Expression(0);
    return n;
  }

  NodePtr ParsePredicate(const Token& t, NodePtr left) {
    if (IsOp("]")) {
      Node* step = left.get();
      while (step->type == NodeType::kBinary && step->value == "[") step = step->lhs.get();
      step->keep_array = true;
      Advance("]");
      return left;
    }
    auto n = NewNode(NodeType::kBinary, t);
    n->lhs = left;
    n->rhs = Expression(0);
    Advance("]");
    return n;
  }

  NodePtr ParseOrderBy(const Token& t, NodePtr left) {
    auto n = NewNode(NodeType::kBinary, t);
    n->lhs = left;
    Advance("(");
    for (;;) {
      SortTerm term;
      if (IsOp("<")) {
        Advance("<");
      } else if (IsOp(">")) {
        term.descending = true;
        Advance(">");
      }
      term.expr = Expression(0);
      n->terms.push_back(term);
      if (!IsOp(",")) break;
      Advance(",");
    }
    Advance(")");
    return n;
  }

  NodePtr ParseCall(const Token& t, NodePtr left) {
    auto n = NewNode(NodeType::kFunction, t);
    n->procedure = left;
    while (!IsOp(")")) {
      if (IsOp("?")) {
        n->type = NodeType::kPartial;
        n->arguments.push_back(NewNode(NodeType::kOperator, tok_));
        Advance("?");
      } else {
        n->arguments.push_back(Expression(0));
      }
      if (!IsOp(",")) break;
      Advance(",");
    }
    Advance(")");
    if (left->type == NodeType::kName && (left->value == "function" || left->value == "\u03bb")) {
      return ParseLambda(t, n);
    }
    return n;
  }

  NodePtr ParseLambda(const Token& t, NodePtr call) {
    auto n = NewNode(NodeType::kLambda, t);
    for (const auto& arg : call->arguments) {
      if (arg->type != NodeType::kVariable) {
        ErrorArgs a;
        a.position = arg->position;
        a.token = arg->value;
        a.value = Value::String(arg->value);
        a.has_value = true;
        Throw("S0208", a);
      }
    }
    n->arguments = call->arguments;
    if (IsOp("<")) {
      std::string sig = lexer_.ReadSignature(tok_.position);
      n->signature = ParseSignature(sig, tok_.position);
      prev_valid_ = false;
      Advance();
    }
    Advance("{");
    n->body = Expression(0);
    Advance("}");
    return n;
  }

  std::string_view text_;
  Lexer lexer_;
  Token tok_;
  bool prev_valid_ = false;
  bool fallback_operators_;
  int depth_ = 0;
};

}  // namespace

// ---------------------------------------------------------------- signatures

std::shared_ptr<Signature> ParseSignature(const std::string& text, int position) {
  auto sig = std::make_shared<Signature>();
  sig->text = text;
  size_t i = 1;
  auto allowed_for = [](char c) -> std::string {
    switch (c) {
      case 'a':
      case 'x':
        return "asnblfom";
      case 'j':
        return "asnblom";
      default:
        return std::string(1, c) + "m";
    }
  };
  while (i < text.size() && text[i] != ':' && text[i] != '>') {
    char c = text[i];
    if (std::string("bnslaofjx").find(c) != std::string::npos) {
      Param p;
      p.type = c;
      p.allowed = allowed_for(c);
      sig->params.push_back(p);
      ++i;
    } else if (c == '(') {
      size_t end = text.find(')', i);
      if (end == std::string::npos) ThrowAt("S0401", position);
      std::string choice = text.substr(i + 1, end - i - 1);
      if (choice.find('<') != std::string::npos) ThrowAt("S0402", position);
      Param p;
      p.type = '(';
      p.allowed = choice + "m";
      sig->params.push_back(p);
      i = end + 1;
    } else if (c == '<') {
      if (sig->params.empty() ||
          (sig->params.back().type != 'a' && sig->params.back().type != 'f')) {
        ThrowAt("S0401", position);
      }
      int depth = 1;
      size_t j = i + 1;
      while (j < text.size() && depth > 0) {
        if (text[j] == '<') ++depth;
        if (text[j] == '>') --depth;
        ++j;
      }
      if (sig->params.back().type == 'a')
        sig->params.back().subtype = text.substr(i + 1, j - i - 2);
      i = j;
    } else if (c == '?' || c == '+' || c == '-') {
      if (!sig->params.empty()) {
        Param& p = sig->params.back();
        if (c == '?') p.optional = true;
        if (c == '+') p.one_or_more = true;
        if (c == '-') p.context = true;
      }
      ++i;
    } else {
      ++i;
    }
  }
  return sig;
}

// ---------------------------------------------------------------- post-processing

[[noreturn]] void ValueError(const NodePtr& step);

namespace {

class Processor {
 public:
  NodePtr Process(const NodePtr& expr) {
    NodePtr result = ProcessInner(expr);
    if (expr->keep_array) result->keep_array = true;
    return result;
  }

 private:
  static void Seeking(const NodePtr& n, std::vector<SlotPtr> slots) {
    if (!n->has_seeking) {
      n->has_seeking = true;
      n->seeking_parent = std::move(slots);
    } else {
      n->seeking_parent.insert(n->seeking_parent.end(), slots.begin(), slots.end());
    }
  }

  void PushAncestry(const NodePtr& result, const NodePtr& value) {
    if (!value->has_seeking && value->type != NodeType::kParent) return;
    std::vector<SlotPtr> slots = value->seeking_parent;
    if (value->type == NodeType::kParent) slots.push_back(value->slot);
    Seeking(result, slots);
  }

  SlotPtr SeekParent(const NodePtr& node, SlotPtr slot) {
    switch (node->type) {
      case NodeType::kName:
      case NodeType::kWildcard:
        slot->level--;
        if (slot->level == 0) {
          if (!node->ancestor) {
            node->ancestor = slot;
          } else {
            ancestry_[slot->index]->slot->label = node->ancestor->label;
            node->ancestor = slot;
          }
          node->tuple = true;
        }
        break;
      case NodeType::kParent:
        slot->level++;
        break;
      case NodeType::kBlock:
        if (!node->expressions.empty()) {
          node->tuple = true;
          slot = SeekParent(node->expressions.back(), slot);
        }
        break;
      case NodeType::kPath: {
        node->tuple = true;
        int index = static_cast<int>(node->steps.size()) - 1;
        slot = SeekParent(node->steps[index--], slot);
        while (slot->level > 0 && index >= 0) slot = SeekParent(node->steps[index--], slot);
        break;
      }
      default:
        ThrowAt("S0217", node->position, TypeName(node->type));
    }
    return slot;
  }

  static std::string TypeName(NodeType t) {
    switch (t) {
      case NodeType::kBinary:
        return "binary";
      case NodeType::kUnary:
        return "unary";
      case NodeType::kFunction:
        return "function";
      case NodeType::kString:
        return "string";
      case NodeType::kNumber:
        return "number";
      case NodeType::kValue:
        return "value";
      case NodeType::kVariable:
        return "variable";
      case NodeType::kCondition:
        return "condition";
      case NodeType::kLambda:
        return "lambda";
      case NodeType::kSort:
        return "sort";
      case NodeType::kApply:
        return "apply";
      case NodeType::kBind:
        return "bind";
      case NodeType::kRegex:
        return "regex";
      case NodeType::kTransform:
        return "transform";
      case NodeType::kDescendant:
        return "descendant";
      default:
        return "expression";
    }
  }

  void ResolveAncestry(const NodePtr& path) {
    int index = static_cast<int>(path->steps.size()) - 1;
    NodePtr laststep = path->steps[index];
    std::vector<SlotPtr> slots = laststep->seeking_parent;
    if (laststep->type == NodeType::kParent) slots.push_back(laststep->slot);
    for (SlotPtr slot : slots) {
      index = static_cast<int>(path->steps.size()) - 2;
      while (slot->level > 0) {
        if (index < 0) {
          Seeking(path, {slot});
          break;
        }
        NodePtr step = path->steps[index--];
        while (index >= 0 && step->has_focus && path->steps[index]->has_focus) {
          step = path->steps[index--];
        }
        slot = SeekParent(step, slot);
      }
    }
  }

  NodePtr ProcessPath(const NodePtr& expr);
  NodePtr ProcessBinary(const NodePtr& expr);
  NodePtr ProcessInner(const NodePtr& expr);
  NodePtr TailCallOptimize(const NodePtr& expr);

  int ancestor_label_ = 0;
  int ancestor_index_ = 0;
  std::vector<NodePtr> ancestry_;
};

NodePtr Processor::ProcessPath(const NodePtr& expr) {
  NodePtr lstep = Process(expr->lhs);
  NodePtr result;
  if (lstep->type == NodeType::kPath) {
    result = lstep;
  } else {
    result = std::make_shared<Node>();
    result->type = NodeType::kPath;
    result->position = expr->position;
    result->steps.push_back(lstep);
  }
  if (lstep->type == NodeType::kParent) Seeking(result, {lstep->slot});
  NodePtr rest = Process(expr->rhs);
  if (rest->type == NodeType::kPath) {
    result->steps.insert(result->steps.end(), rest->steps.begin(), rest->steps.end());
  } else {
    if (!rest->predicate.empty()) {
      rest->stages = std::move(rest->predicate);
      rest->predicate.clear();
    }
    result->steps.push_back(rest);
  }
  for (auto& step : result->steps) {
    if (step->type == NodeType::kNumber || step->type == NodeType::kValue) {
      ValueError(step);
    }
    if (step->type == NodeType::kString) step->type = NodeType::kName;
  }
  for (auto& step : result->steps) {
    if (step->keep_array) result->keep_singleton_array = true;
  }
  NodePtr first = result->steps.front();
  if (first->type == NodeType::kUnary && first->value == "[") first->cons_array = true;
  NodePtr last = result->steps.back();
  if (last->type == NodeType::kUnary && last->value == "[") last->cons_array = true;
  ResolveAncestry(result);
  return result;
}

NodePtr Processor::ProcessBinary(const NodePtr& expr) {
  const std::string& op = expr->value;
  if (op == ".") return ProcessPath(expr);
  if (op == "[") {
    NodePtr result = Process(expr->lhs);
    Node* step = result.get();
    bool stages = false;
    if (result->type == NodeType::kPath) {
      step = result->steps.back().get();
      stages = true;
    }
    if (step->group) ThrowAt("S0209", expr->position);
    NodePtr predicate = Process(expr->rhs);
    if (predicate->has_seeking) {
      for (auto& slot : predicate->seeking_parent) {
        if (slot->level == 1) {
          SeekParent(stages ? result->steps.back() : result, slot);
        } else {
          slot->level--;
        }
      }
      PushAncestry(stages ? result->steps.back() : result, predicate);
    }
    Stage s;
    s.expr = predicate;
    s.position = expr->position;
    (stages ? step->stages : step->predicate).push_back(s);
    return result;
  }
  if (op == "{") {
    NodePtr result = Process(expr->lhs);
    if (result->group) ThrowAt("S0210", expr->position);
    result->group = std::make_shared<GroupSpec>();
    result->group->position = expr->position;
    for (auto& [k, v] : expr->pairs) result->group->pairs.emplace_back(Process(k), Process(v));
    return result;
  }
  if (op == "^") {
    NodePtr result = Process(expr->lhs);
    if (result->type != NodeType::kPath) {
      auto path = std::make_shared<Node>();
      path->type = NodeType::kPath;
      path->position = expr->position;
      path->steps.push_back(result);
      result = path;
    }
    auto sort = std::make_shared<Node>();
    sort->type = NodeType::kSort;
    sort->position = expr->position;
    for (auto& term : expr->terms) {
      SortTerm t{term.descending, Process(term.expr)};
      PushAncestry(sort, t.expr);
      sort->terms.push_back(t);
    }
    result->steps.push_back(sort);
    ResolveAncestry(result);
    return result;
  }
  if (op == ":=") {
    auto result = std::make_shared<Node>();
    result->type = NodeType::kBind;
    result->value = op;
    result->position = expr->position;
    result->lhs = Process(expr->lhs);
    result->rhs = Process(expr->rhs);
    PushAncestry(result, result->rhs);
    return result;
  }
  if (op == "@" || op == "#") {
    NodePtr result = Process(expr->lhs);
    NodePtr step = result;
    if (op == "@") {
      if (result->type == NodeType::kPath) step = result->steps.back();
      if (!step->stages.empty() || !step->predicate.empty()) ThrowAt("S0215", expr->position);
      if (step->type == NodeType::kSort) ThrowAt("S0216", expr->position);
      if (expr->keep_array) step->keep_array = true;
      step->focus = expr->rhs->value;
      step->has_focus = true;
      step->tuple = true;
      return result;
    }
    if (result->type == NodeType::kPath) {
      step = result->steps.back();
    } else {
      auto path = std::make_shared<Node>();
      path->type = NodeType::kPath;
      path->position = expr->position;
      path->steps.push_back(result);
      result = path;
      if (!step->predicate.empty()) {
        step->stages = std::move(step->predicate);
        step->predicate.clear();
      }
    }
    if (step->stages.empty()) {
      step->index = expr->rhs->value;
      step->has_index = true;
    } else {
      Stage s;
      s.is_index = true;
      s.var = expr->rhs->value;
      s.position = expr->position;
      step->stages.push_back(s);
    }
    step->tuple = true;
    return result;
  }
  auto result = std::make_shared<Node>();
  result->type = op == "~>" ? NodeType::kApply : NodeType::kBinary;
  result->value = op;
  result->position = expr->position;
  result->lhs = Process(expr->lhs);
  result->rhs = Process(expr->rhs);
  if (op == "~>") {
    result->keep_array = result->lhs->keep_array || result->rhs->keep_array;
  } else {
    PushAncestry(result, result->lhs);
    PushAncestry(result, result->rhs);
  }
  return result;
}

}  // namespace

namespace {

NodePtr Processor::ProcessInner(const NodePtr& expr) {
  switch (expr->type) {
    case NodeType::kBinary:
      return ProcessBinary(expr);
    case NodeType::kUnary: {
      auto result = std::make_shared<Node>();
      result->type = NodeType::kUnary;
      result->value = expr->value;
      result->position = expr->position;
      if (expr->value == "[") {
        for (auto& item : expr->expressions) {
          NodePtr v = Process(item);
          PushAncestry(result, v);
          result->expressions.push_back(v);
        }
      } else if (expr->value == "{") {
        for (auto& [k, v] : expr->pairs) {
          NodePtr pk = Process(k);
          PushAncestry(result, pk);
          NodePtr pv = Process(v);
          PushAncestry(result, pv);
          result->pairs.emplace_back(pk, pv);
        }
      } else {
        result->expression = Process(expr->expression);
        if (expr->value == "-" && result->expression->type == NodeType::kNumber) {
          result = result->expression;
          result->literal = Value::Number(-result->literal.number());
        } else {
          PushAncestry(result, result->expression);
        }
      }
      return result;
    }
    case NodeType::kFunction:
    case NodeType::kPartial: {
      auto result = std::make_shared<Node>(*expr);
      result->arguments.clear();
      for (auto& arg : expr->arguments) {
        NodePtr a = Process(arg);
        PushAncestry(result, a);
        result->arguments.push_back(a);
      }
      result->procedure = Process(expr->procedure);
      return result;
    }
    case NodeType::kLambda: {
      auto result = std::make_shared<Node>(*expr);
      result->body = TailCallOptimize(Process(expr->body));
      return result;
    }
    case NodeType::kCondition: {
      auto result = std::make_shared<Node>(*expr);
      result->condition = Process(expr->condition);
      PushAncestry(result, result->condition);
      if (expr->then) {
        result->then = Process(expr->then);
        PushAncestry(result, result->then);
      }
      if (expr->otherwise) {
        result->otherwise = Process(expr->otherwise);
        PushAncestry(result, result->otherwise);
      }
      return result;
    }
    case NodeType::kTransform: {
      auto result = std::make_shared<Node>(*expr);
      result->pattern = Process(expr->pattern);
      result->update = Process(expr->update);
      if (expr->remove) result->remove = Process(expr->remove);
      return result;
    }
    case NodeType::kBlock: {
      auto result = std::make_shared<Node>(*expr);
      result->expressions.clear();
      for (auto& item : expr->expressions) {
        NodePtr part = Process(item);
        PushAncestry(result, part);
        if (part->cons_array || (part->type == NodeType::kPath && part->steps[0]->cons_array)) {
          result->cons_array = true;
        }
        result->expressions.push_back(part);
      }
      return result;
    }
    case NodeType::kName: {
      auto result = std::make_shared<Node>();
      result->type = NodeType::kPath;
      result->position = expr->position;
      result->steps.push_back(expr);
      if (expr->keep_array) result->keep_singleton_array = true;
      return result;
    }
    case NodeType::kParent: {
      auto result = std::make_shared<Node>(*expr);
      result->slot = std::make_shared<Slot>();
      result->slot->label = "!" + std::to_string(ancestor_label_++);
      result->slot->index = ancestor_index_++;
      ancestry_.push_back(result);
      return result;
    }
    case NodeType::kOperator:
      if (expr->value == "?") return expr;
      ThrowAt("S0201", expr->position, expr->value);
    default:
      return expr;
  }
}

NodePtr Processor::TailCallOptimize(const NodePtr& expr) {
  if (expr->type == NodeType::kFunction && expr->predicate.empty()) {
    auto thunk = std::make_shared<Node>();
    thunk->type = NodeType::kLambda;
    thunk->thunk = true;
    thunk->position = expr->position;
    thunk->body = expr;
    return thunk;
  }
  if (expr->type == NodeType::kCondition) {
    if (expr->then) expr->then = TailCallOptimize(expr->then);
    if (expr->otherwise) expr->otherwise = TailCallOptimize(expr->otherwise);
  } else if (expr->type == NodeType::kBlock && !expr->expressions.empty()) {
    expr->expressions.back() = TailCallOptimize(expr->expressions.back());
  }
  return expr;
}

}  // namespace

[[noreturn]] void ValueError(const NodePtr& step) {
  ErrorArgs a;
  a.position = step->position;
  a.value = step->literal;
  a.has_value = true;
  Throw("S0213", a);
}

NodePtr Parse(std::string_view text, Version version) {
  Parser parser(text, version);
  NodePtr raw = parser.ParseAll();
  Processor processor;
  NodePtr ast = processor.Process(raw);
  if (ast->type == NodeType::kParent || ast->has_seeking) {
    ThrowAt("S0217", ast->position, ast->type == NodeType::kParent ? "parent" : "path");
  }
  return ast;
}

}  // namespace stepline::jsonata
