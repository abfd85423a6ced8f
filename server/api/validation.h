// Request validation helpers shared by every action:
//  - typed member access with AWS's SerializationException on type mismatch
//    (a member sent as null counts as absent, as AWS's deserializer does);
//  - the ValidationException constraint-message format
//    "1 validation error detected: Value '1001' at 'maxResults' failed to
//    satisfy constraint: Member must have value less than or equal to 1000";
//  - resource name rules (InvalidName "Invalid Name: '<name>'");
//  - page sizes (maxResults 0 -> 100).
//
// Thread-safety: pure functions; ConstraintErrors is a local value.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "common/status.h"
#include "storage/store.h"

namespace stepline::api {

// --- typed members (SerializationException on a type mismatch) ---
Result<std::optional<std::string>> OptString(const Json& request, const char* member);
Result<std::optional<int64_t>> OptInt(const Json& request, const char* member);
Result<std::optional<double>> OptDouble(const Json& request, const char* member);
Result<std::optional<bool>> OptBool(const Json& request, const char* member);
// Returns nullptr when absent; the member must be an object (or array).
Result<const Json*> OptObject(const Json& request, const char* member);
Result<const Json*> OptArray(const Json& request, const char* member);

// Collects constraint violations in member order, then reports them all in
// one ValidationException, as AWS's model validation does.
class ConstraintErrors {
 public:
  void NotNull(std::string_view member);
  void MaxLength(std::string_view member, const std::string& value, size_t max,
                 bool sensitive = false);
  void MinLength(std::string_view member, const std::string& value, size_t min,
                 bool sensitive = false);
  void Range(std::string_view member, int64_t value, int64_t min, int64_t max);
  void Enum(std::string_view member, const std::string& value,
            std::initializer_list<const char*> allowed);
  void Pattern(std::string_view member, const std::string& value, std::string_view pattern);
  // Adds a violation with AWS's wording after "failed to satisfy constraint: ".
  void Add(std::string value_text, std::string_view member, std::string constraint);

  bool empty() const { return errors_.empty(); }
  Status ToStatus() const;  // OK when empty

 private:
  std::vector<std::string> errors_;
};

// A required string member: type-checked, "must not be null" when absent.
Result<std::string> RequiredString(const Json& request, const char* member,
                                   ConstraintErrors& errors);

// A plain ValidationException with a free-text message (and optional reason).
Status ValidationError(std::string message, std::string reason = "");

// Name rules of state machines, executions and activities: 1-80 characters,
// no whitespace, brackets, wildcards, special or control characters.
bool IsValidName(std::string_view name);
Status CheckName(std::string_view name);  // InvalidName "Invalid Name: '<name>'"

// Alias names: ^(?=.*[a-zA-Z_\-\.])[a-zA-Z0-9_\-\.]+$, 1-80 characters.
bool IsValidAliasName(std::string_view name);

// maxResults (0..1000, 0 -> default) and nextToken -> a storage page request.
Result<storage::PageRequest> ReadPage(const Json& request, ConstraintErrors& errors,
                                      int max_allowed = 1000, size_t max_token_length = 1024);

}  // namespace stepline::api
