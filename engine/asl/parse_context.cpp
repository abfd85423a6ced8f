#include "engine/asl/parse_context.h"

#include <cmath>

namespace stepline::asl::internal {
namespace {

std::string FormatBound(double value) {
  if (std::floor(value) == value && std::fabs(value) < 1e15) {
    return std::to_string(static_cast<int64_t>(value));
  }
  std::string text = std::to_string(value);
  while (!text.empty() && text.back() == '0') text.pop_back();
  return text;
}

void RangeError(ParseContext& ctx, std::string_view key, const std::string& location, double min,
                std::optional<double> max, double value) {
  if (value < min) {
    ctx.Schema("The value for the field '" + std::string(key) +
                   "' must be greater than or equal to " + FormatBound(min),
               location);
  } else if (max) {
    ctx.Schema("The value for the field '" + std::string(key) + "' must be less than or equal to " +
                   FormatBound(*max),
               location);
  }
}

bool IsValueKey(std::string_view key) {
  return key.size() >= 2 && key.substr(key.size() - 2) == ".$";
}

// Checks every "key.$" value of a payload template, reporting bad ones.
void CheckPayloadValues(const Json& value, const std::string& location, ParseContext& ctx) {
  if (value.is_array()) {
    for (const auto& item : value) CheckPayloadValues(item, location, ctx);
    return;
  }
  if (!value.is_object()) return;
  for (const auto& [key, child] : value.items()) {
    if (!IsValueKey(key)) {
      CheckPayloadValues(child, location, ctx);
      continue;
    }
    std::string message = "The value for the field '" + key +
                          "' must be a valid JSONPath or a valid intrinsic function call";
    if (!child.is_string() || !jsonpath::ValueExpr::Parse(child.get<std::string>()).ok()) {
      ctx.Schema(message, location);
    }
  }
}

}  // namespace

std::string Child(const std::string& location, std::string_view key) {
  if (location == "/") return "/" + std::string(key);
  return location + "/" + std::string(key);
}

bool IsJsonataString(const Json& value) {
  if (!value.is_string()) return false;
  const auto& text = value.get_ref<const std::string&>();
  return text.size() >= 4 && text.compare(0, 2, "{%") == 0 &&
         text.compare(text.size() - 2, 2, "%}") == 0;
}

bool FieldReader::Has(std::string_view key) const { return Get(key) != nullptr; }

const Json* FieldReader::Get(std::string_view key) const {
  if (!object_.is_object()) return nullptr;
  auto it = object_.find(std::string(key));
  return it == object_.end() ? nullptr : &*it;
}

void FieldReader::TypeError(std::string_view key, const char* type) const {
  ctx_.Schema(std::string("Expected value of type [") + type + "]", At(key));
}

std::optional<std::string> FieldReader::String(std::string_view key) const {
  const Json* v = Get(key);
  if (!v) return std::nullopt;
  if (!v->is_string()) {
    TypeError(key, "STRING");
    return std::nullopt;
  }
  return v->get<std::string>();
}

std::optional<std::string> FieldReader::NonEmptyString(std::string_view key) const {
  auto s = String(key);
  if (s && s->empty()) {
    ctx_.Schema("The field '" + std::string(key) + "' should be non-empty", At(key));
    return std::nullopt;
  }
  return s;
}

std::optional<bool> FieldReader::Bool(std::string_view key) const {
  const Json* v = Get(key);
  if (!v) return std::nullopt;
  if (!v->is_boolean()) {
    TypeError(key, "BOOLEAN");
    return std::nullopt;
  }
  return v->get<bool>();
}

std::optional<int64_t> FieldReader::Integer(std::string_view key, int64_t min, int64_t max) const {
  const Json* v = Get(key);
  if (!v) return std::nullopt;
  if (!v->is_number_integer()) {
    TypeError(key, "INTEGER");
    return std::nullopt;
  }
  if (v->is_number_unsigned() && v->get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) {
    RangeError(ctx_, key, At(key), static_cast<double>(min), static_cast<double>(max), 1e300);
    return std::nullopt;
  }
  int64_t n = v->get<int64_t>();
  if (n < min || n > max) {
    RangeError(ctx_, key, At(key), static_cast<double>(min), static_cast<double>(max),
               static_cast<double>(n));
    return std::nullopt;
  }
  return n;
}

std::optional<double> FieldReader::Number(std::string_view key, double min,
                                          std::optional<double> max) const {
  const Json* v = Get(key);
  if (!v) return std::nullopt;
  if (!v->is_number()) {
    TypeError(key, "NUMBER");
    return std::nullopt;
  }
  double n = v->get<double>();
  if (n < min || (max && n > *max)) {
    RangeError(ctx_, key, At(key), min, max, n);
    return std::nullopt;
  }
  return n;
}

const Json* FieldReader::Object(std::string_view key) const {
  const Json* v = Get(key);
  if (!v) return nullptr;
  if (!v->is_object()) {
    TypeError(key, "OBJECT");
    return nullptr;
  }
  return v;
}

const Json* FieldReader::Array(std::string_view key) const {
  const Json* v = Get(key);
  if (!v) return nullptr;
  if (!v->is_array()) {
    TypeError(key, "ARRAY");
    return nullptr;
  }
  return v;
}

bool FieldReader::Require(std::initializer_list<const char*> keys) const {
  std::string missing;
  for (const char* key : keys) {
    if (Has(key)) continue;
    if (!missing.empty()) missing += ", ";
    missing += key;
  }
  if (missing.empty()) return true;
  ctx_.Schema("These fields are required: [" + missing + "]", location_);
  return false;
}

void FieldReader::RejectUnknown(std::initializer_list<const char*> allowed) const {
  std::set<std::string_view> set(allowed.begin(), allowed.end());
  RejectUnknown(set);
}

void FieldReader::RejectUnknown(const std::set<std::string_view>& allowed) const {
  if (!object_.is_object()) return;
  for (const auto& [key, value] : object_.items()) {
    if (!allowed.count(key)) ctx_.Schema("Field '" + key + "' is not supported", location_);
  }
}

std::optional<jsonpath::Path> FieldReader::Path(std::string_view key, bool reference) const {
  const Json* v = Get(key);
  if (!v) return std::nullopt;
  return CompilePath(*v, key, At(key), reference, ctx_);
}

OptionalPath FieldReader::NullablePath(std::string_view key, bool reference) const {
  OptionalPath out;
  const Json* v = Get(key);
  if (!v) return out;
  if (v->is_null()) {
    out.kind = OptionalPath::Kind::kNull;
    return out;
  }
  if (auto path = CompilePath(*v, key, At(key), reference, ctx_)) {
    out.kind = OptionalPath::Kind::kPath;
    out.path = std::move(*path);
  }
  return out;
}

std::optional<jsonpath::Path> CompilePath(const Json& value, std::string_view name,
                                          const std::string& location, bool reference,
                                          ParseContext& ctx) {
  std::string message =
      "The value for the field '" + std::string(name) + "' must be a valid JSONPath";
  if (!value.is_string()) {
    ctx.Schema("Expected value of type [STRING]", location);
    return std::nullopt;
  }
  auto parsed = jsonpath::Path::Parse(value.get<std::string>());
  if (!parsed.ok() || (reference && !parsed->is_definite())) {
    ctx.Schema(message, location);
    return std::nullopt;
  }
  return std::move(parsed).value();
}

std::optional<jsonpath::PayloadTemplate> CompilePayload(const Json& value,
                                                        const std::string& location,
                                                        ParseContext& ctx) {
  size_t before = ctx.error_count();
  CheckPayloadValues(value, location, ctx);
  if (ctx.error_count() != before) return std::nullopt;
  auto compiled = jsonpath::PayloadTemplate::Compile(value);
  if (!compiled.ok()) {
    ctx.Schema(compiled.status().message(), location);
    return std::nullopt;
  }
  return std::move(compiled).value();
}

namespace {

// The location of the first "{% %}" string inside `value` that fails to compile.
std::string FailingLocation(const Json& value, const std::string& location) {
  if (value.is_object()) {
    for (const auto& [key, child] : value.items()) {
      if (!jsonata::Template::Compile(child).ok())
        return FailingLocation(child, Child(location, key));
    }
  } else if (value.is_array()) {
    for (size_t i = 0; i < value.size(); ++i) {
      if (!jsonata::Template::Compile(value[i]).ok()) {
        return FailingLocation(value[i], location + "[" + std::to_string(i) + "]");
      }
    }
  }
  return location;
}

}  // namespace

std::optional<jsonata::Template> CompileJsonata(const Json& value, const std::string& location,
                                                ParseContext& ctx) {
  auto compiled = jsonata::Template::Compile(value);
  if (compiled.ok()) return std::move(compiled).value();
  std::string at = FailingLocation(value, location);
  // The library's text may carry its own AWS code ("INVALID_JSONATA_EXPRESSION: ...").
  const std::string& text = compiled.status().message();
  size_t colon = text.find(": ");
  bool coded = colon != std::string::npos && colon > 0;
  for (size_t i = 0; coded && i < colon; ++i) {
    char c = text[i];
    coded = (c >= 'A' && c <= 'Z') || c == '_';
  }
  if (coded) {
    ctx.Error(text.substr(0, colon), text.substr(colon + 2), at);
  } else {
    ctx.Schema(text, at);
  }
  return std::nullopt;
}

}  // namespace stepline::asl::internal
