// Helpers for the JSONata tests: compile-or-fail and evaluate with bindings.
#pragma once

#include <map>
#include <string>

#include "engine/jsonata/jsonata.h"

namespace stepline::jsonata::testing {

class MapScope : public VariableScope {
 public:
  std::map<std::string, Json, std::less<>> vars;
  const Json* Find(std::string_view name) const override {
    auto it = vars.find(name);
    return it == vars.end() ? nullptr : &it->second;
  }
};

inline std::shared_ptr<const Expression> MustCompile(const std::string& text) {
  auto r = Expression::Compile(text);
  if (auto* e = std::get_if<Error>(&r)) throw JsonataException(*e);
  return std::get<std::shared_ptr<const Expression>>(r);
}

inline std::optional<Json> Eval(const std::string& text, const Json& input = nullptr,
                                const EvalOptions& options = {},
                                const VariableScope* scope = nullptr) {
  return MustCompile(text)->Evaluate(input.is_null() ? nullptr : &input, scope, options);
}

// The error code an expression produces (compile or evaluation), "" if none.
inline std::string CodeOf(const std::string& text, const Json& input = nullptr,
                          const EvalOptions& options = {}) {
  auto r = Expression::Compile(text);
  if (auto* e = std::get_if<Error>(&r)) return e->code;
  try {
    std::get<std::shared_ptr<const Expression>>(r)->Evaluate(input.is_null() ? nullptr : &input,
                                                             nullptr, options);
  } catch (const JsonataException& e) {
    return e.error().code;
  }
  return "";
}

}  // namespace stepline::jsonata::testing
