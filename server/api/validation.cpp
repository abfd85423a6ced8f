#include "server/api/validation.h"

#include <cmath>

#include "common/limits.h"

namespace stepline::api {
namespace {

// The JSON token AWS's deserializer names in its type-mismatch messages.
const char* TokenName(const Json& value) {
  switch (value.type()) {
    case Json::value_t::object:
      return "Start of structure or map";
    case Json::value_t::array:
      return "Start of list";
    case Json::value_t::string:
      return "STRING_VALUE";
    case Json::value_t::boolean:
      return "BOOLEAN_VALUE";
    case Json::value_t::number_float:
      return "DECIMAL_VALUE";
    default:
      return "NUMBER_VALUE";
  }
}

Status TypeMismatch(const Json& value, const char* expected) {
  if (value.is_structured()) {
    return Status(ErrorCode::kSerialization,
                  std::string(TokenName(value)) + " found where not expected");
  }
  return Status(ErrorCode::kSerialization,
                std::string(TokenName(value)) + " can not be converted to " + expected);
}

// Member lookup: nullptr when absent or null.
const Json* Find(const Json& request, const char* member) {
  auto it = request.find(member);
  if (it == request.end() || it->is_null()) return nullptr;
  return &*it;
}

// Decodes one UTF-8 code point at text[i], advancing i; invalid bytes yield U+FFFD.
char32_t NextCodePoint(std::string_view text, size_t& i) {
  unsigned char c = static_cast<unsigned char>(text[i++]);
  int extra = c < 0x80 ? 0 : (c >> 5) == 0x6 ? 1 : (c >> 4) == 0xE ? 2 : (c >> 3) == 0x1E ? 3 : -1;
  if (extra < 0) return 0xFFFD;
  char32_t cp = extra == 0 ? c : c & (0x3F >> extra);
  for (int k = 0; k < extra; ++k) {
    if (i >= text.size()) return 0xFFFD;
    cp = (cp << 6) | (static_cast<unsigned char>(text[i++]) & 0x3F);
  }
  return cp;
}

bool IsForbiddenCodePoint(char32_t cp) {
  if (cp <= 0x20 || (cp >= 0x7F && cp <= 0x9F)) return true;  // controls and space
  if (cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 ||
      cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000) {
    return true;  // Unicode whitespace
  }
  if (cp == 0xFFFE || cp == 0xFFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return true;
  static constexpr std::string_view kSpecial = "<>{}[]?*\"#%\\^|~`$&,;:/";
  return cp < 0x80 && kSpecial.find(static_cast<char>(cp)) != std::string_view::npos;
}

}  // namespace

Result<std::optional<std::string>> OptString(const Json& request, const char* member) {
  const Json* value = Find(request, member);
  if (value == nullptr) return std::optional<std::string>();
  if (!value->is_string()) return TypeMismatch(*value, "String");
  return std::optional<std::string>(value->get<std::string>());
}

Result<std::optional<int64_t>> OptInt(const Json& request, const char* member) {
  const Json* value = Find(request, member);
  if (value == nullptr) return std::optional<int64_t>();
  if (value->is_number_integer()) return std::optional<int64_t>(value->get<int64_t>());
  // A float is truncated (as Jackson coerces it), if an int64 can hold it.
  constexpr double kInt64Bound = 9.2e18;
  if (value->is_number_float() && std::fabs(value->get<double>()) < kInt64Bound) {
    return std::optional<int64_t>(static_cast<int64_t>(value->get<double>()));
  }
  return TypeMismatch(*value, "Integer");
}

Result<std::optional<double>> OptDouble(const Json& request, const char* member) {
  const Json* value = Find(request, member);
  if (value == nullptr) return std::optional<double>();
  if (value->is_number()) return std::optional<double>(value->get<double>());
  return TypeMismatch(*value, "Float");
}

Result<std::optional<bool>> OptBool(const Json& request, const char* member) {
  const Json* value = Find(request, member);
  if (value == nullptr) return std::optional<bool>();
  if (!value->is_boolean()) return TypeMismatch(*value, "Boolean");
  return std::optional<bool>(value->get<bool>());
}

Result<const Json*> OptObject(const Json& request, const char* member) {
  const Json* value = Find(request, member);
  if (value != nullptr && !value->is_object()) return TypeMismatch(*value, "Structure");
  return value;
}

Result<const Json*> OptArray(const Json& request, const char* member) {
  const Json* value = Find(request, member);
  if (value != nullptr && !value->is_array()) return TypeMismatch(*value, "List");
  return value;
}

void ConstraintErrors::Add(std::string value_text, std::string_view member,
                           std::string constraint) {
  std::string value = value_text.empty() ? "" : value_text + " ";
  errors_.push_back("Value " + value + "at '" + std::string(member) +
                    "' failed to satisfy constraint: " + constraint);
}

void ConstraintErrors::NotNull(std::string_view member) {
  Add("null", member, "Member must not be null");
}

void ConstraintErrors::MaxLength(std::string_view member, const std::string& value, size_t max,
                                 bool sensitive) {
  if (value.size() <= max) return;
  Add(sensitive ? "" : "'" + value + "'", member,
      "Member must have length less than or equal to " + std::to_string(max));
}

void ConstraintErrors::MinLength(std::string_view member, const std::string& value, size_t min,
                                 bool sensitive) {
  if (value.size() >= min) return;
  Add(sensitive ? "" : "'" + value + "'", member,
      "Member must have length greater than or equal to " + std::to_string(min));
}

void ConstraintErrors::Range(std::string_view member, int64_t value, int64_t min, int64_t max) {
  if (value > max) {
    Add("'" + std::to_string(value) + "'", member,
        "Member must have value less than or equal to " + std::to_string(max));
  } else if (value < min) {
    Add("'" + std::to_string(value) + "'", member,
        "Member must have value greater than or equal to " + std::to_string(min));
  }
}

void ConstraintErrors::Enum(std::string_view member, const std::string& value,
                            std::initializer_list<const char*> allowed) {
  std::string set;
  for (const char* option : allowed) {
    if (value == option) return;
    set += (set.empty() ? "" : ", ") + std::string(option);
  }
  Add("'" + value + "'", member, "Member must satisfy enum value set: [" + set + "]");
}

void ConstraintErrors::Pattern(std::string_view member, const std::string& value,
                               std::string_view pattern) {
  Add("'" + value + "'", member,
      "Member must satisfy regular expression pattern: " + std::string(pattern));
}

Status ConstraintErrors::ToStatus() const {
  if (errors_.empty()) return Status::Ok();
  std::string message = std::to_string(errors_.size()) +
                        (errors_.size() == 1 ? " validation error" : " validation errors") +
                        " detected: ";
  for (size_t i = 0; i < errors_.size(); ++i) message += (i ? "; " : "") + errors_[i];
  return Status(ErrorCode::kValidation, message);
}

Result<std::string> RequiredString(const Json& request, const char* member,
                                   ConstraintErrors& errors) {
  ASSIGN_OR_RETURN(std::optional<std::string> value, OptString(request, member));
  if (!value) errors.NotNull(member);
  return value.value_or("");
}

Status ValidationError(std::string message, std::string reason) {
  return Status(ErrorCode::kValidation, std::move(message)).WithDetail(std::move(reason));
}

bool IsValidName(std::string_view name) {
  size_t count = 0;
  for (size_t i = 0; i < name.size();) {
    if (IsForbiddenCodePoint(NextCodePoint(name, i))) return false;
    ++count;
  }
  return count >= 1 && count <= limits::kMaxNameLength;
}

Status CheckName(std::string_view name) {
  if (IsValidName(name)) return Status::Ok();
  return Status(ErrorCode::kInvalidName, "Invalid Name: '" + std::string(name) + "'");
}

bool IsValidAliasName(std::string_view name) {
  if (name.empty() || name.size() > limits::kMaxNameLength) return false;
  bool has_non_digit = false;
  for (char c : name) {
    bool digit = c >= '0' && c <= '9';
    bool other =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '-' || c == '.';
    if (!digit && !other) return false;
    has_non_digit = has_non_digit || other;
  }
  return has_non_digit;
}

Result<storage::PageRequest> ReadPage(const Json& request, ConstraintErrors& errors,
                                      int max_allowed, size_t max_token_length) {
  ASSIGN_OR_RETURN(std::optional<int64_t> max_results, OptInt(request, "maxResults"));
  ASSIGN_OR_RETURN(std::optional<std::string> token, OptString(request, "nextToken"));
  storage::PageRequest page;
  if (max_results) errors.Range("maxResults", *max_results, 0, max_allowed);
  if (max_results && *max_results > 0 && *max_results <= max_allowed) {
    page.max_results = static_cast<int>(*max_results);
  } else {
    page.max_results =
        limits::kDefaultPageSize < max_allowed ? limits::kDefaultPageSize : max_allowed;
  }
  if (token) {
    errors.MaxLength("nextToken", *token, max_token_length);
    errors.MinLength("nextToken", *token, 1);
    page.next_token = *token;
  }
  return page;
}

}  // namespace stepline::api
