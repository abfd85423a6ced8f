// Regex: JSONata regular expressions (ECMAScript flavour via std::wregex,
// matched over code points; the API speaks UTF-8 byte offsets).
//
// Thread-safety: a compiled Regex is immutable and may be shared.
// Searching long subjects runs on a worker thread with a large stack, so
// std::regex's recursion cannot overflow the caller's stack; a subject over
// kMaxRegexSubject bytes is rejected with a clean error.
#pragma once

#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <utility>
#include <vector>

namespace stepline::jsonata {

inline constexpr size_t kMaxRegexSubject = 1 << 20;

class Regex {
 public:
  struct Match {
    size_t start = 0, end = 0;
    std::vector<std::optional<std::pair<size_t, size_t>>> groups;  // capture groups 1..n
    size_t wide_end = 0;  // `end` in code points (internal)
  };

  // Throws JsonataException for an invalid pattern.
  static std::shared_ptr<const Regex> Compile(const std::string& pattern, const std::string& flags,
                                              int position);
  // First match at or after byte offset `from`.
  bool Search(const std::string& subject, size_t from, Match& m) const;
  // All non-overlapping matches (empty matches advance by one character).
  std::vector<Match> SearchAll(const std::string& subject, size_t limit = SIZE_MAX) const;
  const std::string& pattern() const { return pattern_; }

 private:
  // The subject as code points and the byte offset of each (plus the end).
  struct Subject {
    std::wstring text;
    std::vector<size_t> byte_at;
    size_t IndexOf(size_t byte) const;  // code point index at a byte offset
  };
  static Subject Widen(const std::string& subject);
  bool SearchUnguarded(const Subject& w, size_t from, Match& m) const;
  std::string pattern_;
  std::wregex re_;
};

}  // namespace stepline::jsonata
