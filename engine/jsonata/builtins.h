// Built-in function registry: name -> signature + implementation, and the
// helpers the built-in families share.
//
// Thread-safety: the registry is built once (function-local static) and
// then read-only.
#pragma once

#include <string>
#include <vector>

#include "engine/jsonata/evaluator.h"

namespace stepline::jsonata {

using BuiltinList = std::vector<BuiltinDef>;

// Each family appends its functions.
void AddStringFunctions(BuiltinList& out);
void AddNumericFunctions(BuiltinList& out);
void AddCollectionFunctions(BuiltinList& out);
void AddFormatFunctions(BuiltinList& out);
void AddDateFunctions(BuiltinList& out);
void AddAwsFunctions(BuiltinList& out);

// $string semantics (JSON for structures, 15 significant digits for numbers).
std::string StringOf(const Value& v, bool pretty = false);
// JSON text of a value with JSONata's number rendering.
std::string Stringify(const Value& v, bool pretty);

// Argument access that tolerates missing optional arguments.
inline const Value& Arg(const std::vector<Value>& args, size_t i) {
  static const Value kUndef;
  return i < args.size() ? args[i] : kUndef;
}

[[noreturn]] void ThrowMessage(const std::string& code, const std::string& message);

}  // namespace stepline::jsonata
