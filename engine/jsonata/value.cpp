// Value implementation: heap nodes, JSON conversion, number rendering, equality.
#include "engine/jsonata/value.h"

#include "engine/jsonata/errors.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace stepline::jsonata {

namespace {
constexpr size_t kIndexThreshold = 12;
}  // namespace

Value Value::String(std::string s) {
  auto node = std::make_shared<StringNode>();
  node->s = std::move(s);
  Value v;
  v.kind_ = Kind::kString;
  v.h_ = std::move(node);
  return v;
}
Value Value::Array(std::shared_ptr<ArrayNode> a) {
  Value v;
  v.kind_ = Kind::kArray;
  v.h_ = std::move(a);
  return v;
}
Value Value::Object(std::shared_ptr<ObjectNode> o) {
  Value v;
  v.kind_ = Kind::kObject;
  v.h_ = std::move(o);
  return v;
}
Value Value::Function(std::shared_ptr<FunctionNode> f) {
  Value v;
  v.kind_ = Kind::kFunction;
  v.h_ = std::move(f);
  return v;
}

Value Value::View(const Json& j) {
  Value v;
  switch (j.type()) {
    case Json::value_t::string:
      v.kind_ = Kind::kString;
      break;
    case Json::value_t::array:
      v.kind_ = Kind::kArray;
      break;
    case Json::value_t::object:
      v.kind_ = Kind::kObject;
      break;
    default:
      return FromJson(j);
  }
  v.view_ = &j;
  return v;
}

// Gives a view its heap node: one level only, the items stay views.
void Value::Materialize() const {
  const Json& j = *view_;
  if (kind_ == Kind::kArray) {
    auto a = std::make_shared<ArrayNode>();
    a->items.reserve(j.size());
    for (const auto& e : j) a->items.push_back(View(e));
    h_ = std::move(a);
  } else if (kind_ == Kind::kObject) {
    auto o = std::make_shared<ObjectNode>();
    o->items.reserve(j.size());
    for (auto it = j.begin(); it != j.end(); ++it) o->Set(it.key(), View(it.value()));
    h_ = std::move(o);
  }
}

const std::string& Value::str() const {
  // A built-in handed an undefined optional argument may ask; it reads "".
  static const std::string kNotAString;
  if (kind_ != Kind::kString) return kNotAString;
  if (!h_) return view_->get_ref<const std::string&>();
  return static_cast<const StringNode*>(h_.get())->s;
}
ArrayNode& Value::arr() const {
  if (!h_) Materialize();
  return *static_cast<ArrayNode*>(h_.get());
}
ObjectNode& Value::obj() const {
  if (!h_) Materialize();
  return *static_cast<ObjectNode*>(h_.get());
}

Value Value::Member(std::string_view key) const {
  if (kind_ != Kind::kObject) return Value();
  if (!h_) {
    auto it = view_->find(key);
    return it == view_->end() ? Value() : View(*it);
  }
  const Value* v = obj().Find(key);
  return v ? *v : Value();
}
FunctionNode& Value::fn() const { return *static_cast<FunctionNode*>(h_.get()); }

namespace {

using PendingNodes = std::vector<std::shared_ptr<HeapNode>>;

// Moves the heap node of `v` onto `pending` when nothing else shares it
// (a shared node is just released: someone else keeps it alive).
void TakeIfOwned(Value& v, PendingNodes& pending) {
  std::shared_ptr<HeapNode> node = v.ReleaseHeap();
  if (node && node.use_count() == 1) pending.push_back(std::move(node));
}

// Takes the children of every array and object node in `pending` out before
// the node dies, so each destructor finds its items empty.
void FreeIteratively(PendingNodes pending) {
  while (!pending.empty()) {
    std::shared_ptr<HeapNode> node = std::move(pending.back());
    pending.pop_back();
    if (auto* a = dynamic_cast<ArrayNode*>(node.get())) {
      for (Value& v : a->items) TakeIfOwned(v, pending);
      a->items.clear();
    } else if (auto* o = dynamic_cast<ObjectNode*>(node.get())) {
      for (auto& kv : o->items) TakeIfOwned(kv.second, pending);
      o->items.clear();
    }
  }
}

bool IsContainer(const Value& v) { return v.is_array() || v.is_object(); }

}  // namespace

ArrayNode::~ArrayNode() {
  PendingNodes pending;
  for (Value& v : items) {
    if (IsContainer(v)) TakeIfOwned(v, pending);
  }
  if (!pending.empty()) FreeIteratively(std::move(pending));
}

ObjectNode::~ObjectNode() {
  PendingNodes pending;
  for (auto& kv : items) {
    if (IsContainer(kv.second)) TakeIfOwned(kv.second, pending);
  }
  if (!pending.empty()) FreeIteratively(std::move(pending));
}

const Value* ObjectNode::Find(std::string_view key) const {
  if (!index_.empty()) {
    auto it = index_.find(key);
    return it == index_.end() ? nullptr : &items[it->second].second;
  }
  for (const auto& [k, v] : items) {
    if (k == key) return &v;
  }
  return nullptr;
}

void ObjectNode::Reindex() {
  index_.clear();
  if (items.size() < kIndexThreshold) return;
  index_.reserve(items.size() * 2);
  for (size_t i = 0; i < items.size(); ++i) index_.emplace(items[i].first, i);
}

void ObjectNode::Set(std::string key, Value v) {
  if (!index_.empty()) {
    auto it = index_.find(key);
    if (it != index_.end()) {
      items[it->second].second = std::move(v);
      return;
    }
  } else {
    for (auto& kv : items) {
      if (kv.first == key) {
        kv.second = std::move(v);
        return;
      }
    }
  }
  size_t cap = items.capacity();
  items.emplace_back(std::move(key), std::move(v));
  if (items.capacity() != cap || (index_.empty() && items.size() >= kIndexThreshold)) {
    Reindex();  // string_views point into items: rebuild after reallocation
  } else if (!index_.empty()) {
    index_.emplace(items.back().first, items.size() - 1);
  }
}

bool ObjectNode::Remove(std::string_view key) {
  for (size_t i = 0; i < items.size(); ++i) {
    if (items[i].first == key) {
      items.erase(items.begin() + i);
      Reindex();
      return true;
    }
  }
  return false;
}

void CheckNesting(int depth) {
  if (depth > kMaxValueNesting) ThrowAt("U1001", -1);
}

std::shared_ptr<ArrayNode> NewArray(bool sequence) {
  auto a = std::make_shared<ArrayNode>();
  a->sequence = sequence;
  return a;
}
std::shared_ptr<ObjectNode> NewObject() { return std::make_shared<ObjectNode>(); }
Value MakeSequence() { return Value::Array(NewArray(true)); }
Value MakeSequence(Value item) {
  auto a = NewArray(true);
  if (!item.undefined()) a->items.push_back(std::move(item));
  return Value::Array(std::move(a));
}

Value FromJson(const Json& j, int depth) {
  CheckNesting(depth);
  switch (j.type()) {
    case Json::value_t::null:
      return Value::Null();
    case Json::value_t::boolean:
      return Value::Bool(j.get<bool>());
    case Json::value_t::number_integer:
      return Value::Number(static_cast<double>(j.get<int64_t>()));
    case Json::value_t::number_unsigned:
      return Value::Number(static_cast<double>(j.get<uint64_t>()));
    case Json::value_t::number_float:
      return Value::Number(j.get<double>());
    case Json::value_t::string:
      return Value::String(j.get_ref<const std::string&>());
    case Json::value_t::array: {
      auto a = std::make_shared<ArrayNode>();
      a->items.reserve(j.size());
      for (const auto& e : j) a->items.push_back(FromJson(e, depth + 1));
      return Value::Array(std::move(a));
    }
    case Json::value_t::object: {
      auto o = std::make_shared<ObjectNode>();
      o->items.reserve(j.size());
      if (j.size() < kIndexThreshold) {
        for (auto it = j.begin(); it != j.end(); ++it)
          o->items.emplace_back(it.key(), FromJson(it.value(), depth + 1));
      } else {
        for (auto it = j.begin(); it != j.end(); ++it)
          o->Set(it.key(), FromJson(it.value(), depth + 1));
      }
      return Value::Object(std::move(o));
    }
    default:
      return Value();
  }
}

namespace {

// A number as ToJson renders an evaluator number (a double).
Json NumberJson(double d) {
  if (!std::isfinite(d)) return nullptr;
  if (d == std::floor(d) && std::fabs(d) < 9.007199254740992e15) return static_cast<int64_t>(d);
  return d;
}

// What ToJson(FromJson(j)) gives, without building the values.
Json CopyViewed(const Json& j, int depth) {
  CheckNesting(depth);
  switch (j.type()) {
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float:
      return NumberJson(j.get<double>());
    case Json::value_t::array: {
      Json out = Json::array();
      for (const auto& e : j) out.push_back(CopyViewed(e, depth + 1));
      return out;
    }
    case Json::value_t::object: {
      Json out = Json::object();
      for (auto it = j.begin(); it != j.end(); ++it)
        out[it.key()] = CopyViewed(it.value(), depth + 1);
      return out;
    }
    default:
      return j;
  }
}

}  // namespace

Json ToJson(const Value& v, int depth) {
  CheckNesting(depth);
  if (const Json* j = v.view()) return CopyViewed(*j, depth);
  switch (v.kind()) {
    case Kind::kUndefined:
    case Kind::kNull:
      return nullptr;
    case Kind::kBool:
      return v.boolean();
    case Kind::kNumber:
      return NumberJson(v.number());
    case Kind::kString:
      return v.str();
    case Kind::kArray: {
      Json out = Json::array();
      for (const auto& e : v.arr().items) {
        if (!e.undefined()) out.push_back(ToJson(e, depth + 1));
      }
      return out;
    }
    case Kind::kObject: {
      Json out = Json::object();
      for (const auto& [k, e] : v.obj().items) {
        if (!e.undefined()) out[k] = ToJson(e, depth + 1);
      }
      return out;
    }
    case Kind::kFunction:
      return "";
  }
  return nullptr;
}

namespace {
// Shortest decimal digits and exponent that round-trip `d` (d > 0, finite).
void ShortestDigits(double d, std::string& digits, int& exponent) {
  char buf[40];
  for (int prec = 1; prec <= 17; ++prec) {
    std::snprintf(buf, sizeof buf, "%.*e", prec - 1, d);
    if (std::strtod(buf, nullptr) == d || prec == 17) break;
  }
  std::string s(buf);
  size_t e = s.find('e');
  exponent = std::atoi(s.c_str() + e + 1);
  digits.clear();
  for (size_t i = 0; i < e; ++i) {
    if (s[i] != '.') digits += s[i];
  }
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
}
}  // namespace

namespace {

// Integers below this magnitude print as themselves in JavaScript and keep
// all their digits under toPrecision(15).
constexpr double kPlainIntegerLimit = 1e15;

bool IsPlainInteger(double d) { return std::fabs(d) < kPlainIntegerLimit && d == std::floor(d); }

std::string PlainInteger(double d) { return std::to_string(static_cast<int64_t>(d)); }

}  // namespace

std::string NumberToJs(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  if (d == 0) return "0";
  if (IsPlainInteger(d)) return PlainInteger(d);
  std::string sign = d < 0 ? "-" : "";
  std::string digits;
  int exp10 = 0;
  ShortestDigits(std::fabs(d), digits, exp10);
  int k = static_cast<int>(digits.size());
  int n = exp10 + 1;
  if (k <= n && n <= 21) return sign + digits + std::string(n - k, '0');
  if (0 < n && n <= 21) return sign + digits.substr(0, n) + "." + digits.substr(n);
  if (-6 < n && n <= 0) return sign + "0." + std::string(-n, '0') + digits;
  std::string out = sign + digits.substr(0, 1);
  if (k > 1) out += "." + digits.substr(1);
  out += "e";
  out += (n - 1 >= 0) ? "+" : "-";
  out += std::to_string(std::abs(n - 1));
  return out;
}

std::string NumberToJsonata(double d, bool exact_integers) {
  if (!std::isfinite(d) || d == 0) return NumberToJs(d);
  if (IsPlainInteger(d)) return PlainInteger(d);
  if (exact_integers && d == std::floor(d)) return NumberToJs(d);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.14e", d);
  return NumberToJs(std::strtod(buf, nullptr));
}

bool DeepEqual(const Value& a, const Value& b, int depth) {
  CheckNesting(depth);
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case Kind::kUndefined:
    case Kind::kNull:
      return true;
    case Kind::kBool:
      return a.boolean() == b.boolean();
    case Kind::kNumber:
      return a.number() == b.number();
    case Kind::kString:
      return a.str() == b.str();
    case Kind::kArray: {
      const auto& x = a.arr().items;
      const auto& y = b.arr().items;
      if (x.size() != y.size()) return false;
      for (size_t i = 0; i < x.size(); ++i) {
        if (!DeepEqual(x[i], y[i], depth + 1)) return false;
      }
      return true;
    }
    case Kind::kObject: {
      const auto& x = a.obj();
      const auto& y = b.obj();
      if (x.size() != y.size()) return false;
      for (const auto& [k, v] : x.items) {
        const Value* o = y.Find(k);
        if (!o || !DeepEqual(v, *o, depth + 1)) return false;
      }
      return true;
    }
    case Kind::kFunction:
      return a.heap() == b.heap();
  }
  return false;
}

std::u32string ToU32(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    unsigned char c = s[i];
    char32_t cp;
    int len;
    if (c < 0x80) {
      cp = c;
      len = 1;
    } else if ((c >> 5) == 6) {
      cp = c & 0x1f;
      len = 2;
    } else if ((c >> 4) == 14) {
      cp = c & 0x0f;
      len = 3;
    } else if ((c >> 3) == 30) {
      cp = c & 0x07;
      len = 4;
    } else {
      out.push_back(0xFFFD);
      ++i;
      continue;
    }
    if (i + len > s.size()) {
      out.push_back(0xFFFD);
      break;
    }
    for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3f);
    out.push_back(cp);
    i += len;
  }
  return out;
}

void AppendUtf8(std::string& out, char32_t c) {
  if ((c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF) c = 0xFFFD;  // not encodable
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3f));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (c & 0x3f));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (c & 0x3f));
  }
}

std::string FromU32(std::u32string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char32_t c : s) AppendUtf8(out, c);
  return out;
}

size_t CodePointCount(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

}  // namespace stepline::jsonata
