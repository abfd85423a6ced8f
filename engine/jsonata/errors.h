// JSONata error construction: codes, the reference message templates and
// their {{inserts}}.
//
// Thread-safety: pure functions over immutable tables.
#pragma once

#include <optional>
#include <string>

#include "engine/jsonata/jsonata.h"
#include "engine/jsonata/value.h"

namespace stepline::jsonata {

struct ErrorArgs {
  int position = -1;
  std::optional<std::string> token;
  Value value, value2;
  bool has_value = false, has_value2 = false;
  int index = -1;
  std::string type, message, function_name, exp;
};

// Builds the error for `code` with the reference message.
Error MakeError(const std::string& code, const ErrorArgs& args);
[[noreturn]] void Throw(const std::string& code, const ErrorArgs& args);
[[noreturn]] void ThrowAt(const std::string& code, int position,
                          std::optional<std::string> token = std::nullopt);
[[noreturn]] void ThrowValue(const std::string& code, int position, const Value& value,
                             std::optional<std::string> token = std::nullopt);

// JavaScript String(value) rendering used in messages.
std::string JsString(const Value& v);

}  // namespace stepline::jsonata
