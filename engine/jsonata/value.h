// Value: the JSONata evaluator's internal value (undefined, null, boolean,
// number, string, array/sequence, object, function), with shared immutable
// heap nodes so that navigation never deep-copies the input.
//
// A value made by View(json) is a lazy view of a Json string, array or
// object: nothing is converted until it is needed. Member() reads an object
// view's member straight from the Json; str() reads a string view's text in
// place; arr()/obj() turn a view into a heap node on first use (its items are
// views again) and keep that node in the Value. So an evaluation pays only
// for the parts of its input it touches.
//
// Thread-safety: a Value graph is built and used by one evaluation (arr() and
// obj() may fill a view's node cache even on a const Value); nodes reachable
// from a compiled Expression are never mutated.
// Invariants: kind() decides which payload is meaningful; a string, array or
// object has a heap node, or is a view whose Json outlives it; arrays carry
// the sequence/flatten flags of the JSONata evaluation model.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/json.h"

namespace stepline::jsonata {

enum class Kind : uint8_t {
  kUndefined,
  kNull,
  kBool,
  kNumber,
  kString,
  kArray,
  kObject,
  kFunction
};

struct HeapNode {
  virtual ~HeapNode() = default;
};
struct ArrayNode;
struct ObjectNode;
struct FunctionNode;
struct Node;
struct Frame;
struct BuiltinDef;
struct Signature;
class Regex;

class Value {
 public:
  Value() noexcept : n_(0) {}
  static Value Null() {
    Value v;
    v.kind_ = Kind::kNull;
    return v;
  }
  static Value Bool(bool b) {
    Value v;
    v.kind_ = Kind::kBool;
    v.b_ = b;
    return v;
  }
  static Value Number(double n) {
    Value v;
    v.kind_ = Kind::kNumber;
    v.n_ = n;
    return v;
  }
  static Value String(std::string s);
  static Value Array(std::shared_ptr<ArrayNode> a);
  static Value Object(std::shared_ptr<ObjectNode> o);
  static Value Function(std::shared_ptr<FunctionNode> f);
  // A lazy view of `j` (scalars are converted at once); `j` must outlive the
  // value and everything derived from it.
  static Value View(const Json& j);

  Kind kind() const { return kind_; }
  bool undefined() const { return kind_ == Kind::kUndefined; }
  bool is_null() const { return kind_ == Kind::kNull; }
  bool is_bool() const { return kind_ == Kind::kBool; }
  bool is_number() const { return kind_ == Kind::kNumber; }
  bool is_string() const { return kind_ == Kind::kString; }
  bool is_array() const { return kind_ == Kind::kArray; }
  bool is_object() const { return kind_ == Kind::kObject; }
  bool is_function() const { return kind_ == Kind::kFunction; }

  bool boolean() const { return b_; }
  double number() const { return n_; }
  const std::string& str() const;
  ArrayNode& arr() const;
  ObjectNode& obj() const;
  FunctionNode& fn() const;
  // The member `key` of an object, undefined when absent (or not an object);
  // a view is read in place, without converting its other members.
  Value Member(std::string_view key) const;
  // Identity of the payload (heap node or viewed Json), for identity checks.
  const void* heap() const { return h_ ? static_cast<const void*>(h_.get()) : view_; }
  // Gives up the heap node (the value becomes undefined): the node
  // destructors take their children apart iteratively with it.
  std::shared_ptr<HeapNode> ReleaseHeap() noexcept {
    kind_ = Kind::kUndefined;
    return std::move(h_);
  }
  // The viewed Json while this value is an unconverted view, else null.
  const Json* view() const {
    bool viewable = kind_ == Kind::kString || kind_ == Kind::kArray || kind_ == Kind::kObject;
    return viewable && !h_ ? view_ : nullptr;
  }

 private:
  void Materialize() const;

  Kind kind_ = Kind::kUndefined;
  bool b_ = false;
  union {
    double n_;          // kNumber
    const Json* view_;  // kString/kArray/kObject without a heap node yet
  };
  mutable std::shared_ptr<HeapNode> h_;  // filled lazily for views
};

struct StringNode : HeapNode {
  std::string s;
};

// Array and object nodes free their children without recursing (a value
// nested 50,000 deep must not exhaust the stack when it dies).
struct ArrayNode : HeapNode {
  ~ArrayNode() override;
  std::vector<Value> items;
  bool sequence = false;        // a result sequence (collapses to its item when singleton)
  bool keep_singleton = false;  // path ended in [] : do not collapse
  bool cons = false;            // built by an array constructor: do not flatten
  bool outer_wrapper = false;   // the wrapper around an array input
  bool tuple_stream = false;    // items are tuple objects ("@" + bindings)
  size_t size() const { return items.size(); }
};

struct ObjectNode : HeapNode {
  ~ObjectNode() override;
  std::vector<std::pair<std::string, Value>> items;
  const Value* Find(std::string_view key) const;
  void Set(std::string key, Value v);  // replaces in place, else appends
  bool Remove(std::string_view key);
  size_t size() const { return items.size(); }

 private:
  void Reindex();
  std::unordered_map<std::string_view, size_t> index_;  // built when large
};

// A callable: lambda closure, built-in, partial application, regex matcher
// or a native closure (e.g. the `next` of a $match result).
struct FunctionNode : HeapNode {
  enum class Type { kLambda, kBuiltin, kPartial, kRegex, kNative } type = Type::kLambda;
  const Node* lambda = nullptr;         // kLambda: the lambda node (owned by the Expression)
  std::shared_ptr<Frame> env;           // kLambda: captured environment
  Value input;                          // kLambda: captured context
  bool thunk = false;                   // kLambda: a tail call waiting to run
  const BuiltinDef* builtin = nullptr;  // kBuiltin
  Value target;                         // kPartial: the function applied
  std::vector<Value> bound;             // kPartial: arguments (undefined = placeholder)
  std::vector<bool> placeholder;        // kPartial
  std::shared_ptr<const Regex> regex;   // kRegex
  std::function<Value(const std::vector<Value>&)> native;  // kNative
  int arity = 0;
};

std::shared_ptr<ArrayNode> NewArray(bool sequence = false);
std::shared_ptr<ObjectNode> NewObject();
Value MakeSequence();
Value MakeSequence(Value item);

// Deepest nesting the recursive walkers (JSON conversion, $string, deep
// equality, cloning) accept; deeper values fail with U1001 instead of
// exhausting the stack.
inline constexpr int kMaxValueNesting = 2000;

// Conversions between Json and Value. FromJson copies (for a Json that does
// not outlive the value; Value::View reads one in place). ToJson drops
// undefined members and maps functions to "" (as JSON.stringify-based output
// does).
Value FromJson(const Json& j, int depth = 0);
Json ToJson(const Value& v, int depth = 0);

// JavaScript-like number rendering (Number.prototype.toString).
std::string NumberToJs(double d);
// JSONata $string(number): 15 significant digits, then JS rendering;
// `exact_integers` (JSONata 2.2) renders integral values unrounded.
std::string NumberToJsonata(double d, bool exact_integers = false);

// Throws U1001 when depth exceeds kMaxValueNesting.
void CheckNesting(int depth);

// Structural equality (JSONata's deep equal); functions compare by identity.
bool DeepEqual(const Value& a, const Value& b, int depth = 0);

// UTF-8 helpers: code points <-> text.
std::u32string ToU32(std::string_view s);
std::string FromU32(std::u32string_view s);
// AppendUtf8 writes U+FFFD for a surrogate or a value past U+10FFFF, so the
// text it builds is always well-formed.
void AppendUtf8(std::string& out, char32_t c);
size_t CodePointCount(std::string_view s);

}  // namespace stepline::jsonata
