// Regex implementation over std::wregex: patterns and subjects are matched
// as code points (wchar_t is UTF-32 here), so "." never splits a UTF-8
// sequence; positions go back to byte offsets through a table.
#include "engine/jsonata/regex.h"

#include <pthread.h>

#include <algorithm>
#include <functional>

#include "engine/jsonata/errors.h"
#include "engine/jsonata/value.h"

namespace stepline::jsonata {

namespace {
constexpr size_t kBigStackThreshold = 2000;
constexpr size_t kBigStackBytes = size_t{512} << 20;

void* Trampoline(void* arg) {
  (*static_cast<std::function<void()>*>(arg))();
  return nullptr;
}

// Runs `fn` on a thread with a large stack; exceptions are carried back.
void RunOnBigStack(const std::function<void()>& fn) {
  std::exception_ptr error;
  std::function<void()> body = [&] {
    try {
      fn();
    } catch (...) {
      error = std::current_exception();
    }
  };
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, kBigStackBytes);
  pthread_t thread;
  if (pthread_create(&thread, &attr, Trampoline, &body) != 0) {
    pthread_attr_destroy(&attr);
    body();
  } else {
    pthread_attr_destroy(&attr);
    pthread_join(thread, nullptr);
  }
  if (error) std::rethrow_exception(error);
}
}  // namespace

std::shared_ptr<const Regex> Regex::Compile(const std::string& pattern, const std::string& flags,
                                            int position) {
  auto r = std::make_shared<Regex>();
  r->pattern_ = pattern;
  auto options = std::wregex::ECMAScript;
  if (flags.find('i') != std::string::npos) options |= std::wregex::icase;
  if (flags.find('m') != std::string::npos) options |= std::wregex::multiline;
  try {
    std::u32string cps = ToU32(pattern);
    r->re_ = std::wregex(std::wstring(cps.begin(), cps.end()), options);
  } catch (const std::regex_error&) {
    ThrowAt("S0302", position, pattern);
  }
  return r;
}

namespace {
void CheckSubject(const std::string& subject) {
  if (subject.size() > kMaxRegexSubject) {
    ErrorArgs a;
    a.message = "Regular expression subject too long";
    Throw("D3137", a);
  }
}

// Runs `fn` directly for short subjects, else on a large stack; std::regex
// errors (complexity, stack) become a clean JSONata error.
void Guarded(size_t subject_size, const std::function<void()>& fn) {
  try {
    if (subject_size > kBigStackThreshold) {
      RunOnBigStack(fn);
    } else {
      fn();
    }
  } catch (const std::regex_error&) {
    ErrorArgs a;
    a.message = "Regular expression too complex for the subject";
    Throw("D3137", a);
  }
}
}  // namespace

Regex::Subject Regex::Widen(const std::string& subject) {
  Subject w;
  w.text.reserve(subject.size());
  w.byte_at.reserve(subject.size() + 1);
  for (size_t i = 0; i < subject.size();) {
    w.byte_at.push_back(i);
    unsigned char c = static_cast<unsigned char>(subject[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + len > subject.size()) {  // not UTF-8: one byte, one U+FFFD
      w.text.push_back(static_cast<wchar_t>(0xFFFD));
      ++i;
      continue;
    }
    char32_t cp = len == 1 ? c : c & (0x7F >> len);
    for (size_t k = 1; k < len; ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(subject[i + k]) & 0x3F);
    }
    w.text.push_back(static_cast<wchar_t>(cp));
    i += len;
  }
  w.byte_at.push_back(subject.size());
  return w;
}

size_t Regex::Subject::IndexOf(size_t byte) const {
  return static_cast<size_t>(std::lower_bound(byte_at.begin(), byte_at.end(), byte) -
                             byte_at.begin());
}

bool Regex::SearchUnguarded(const Subject& w, size_t from, Match& m) const {
  std::wsmatch sm;
  auto flags =
      from > 0 ? std::regex_constants::match_prev_avail : std::regex_constants::match_default;
  if (!std::regex_search(w.text.begin() + static_cast<std::ptrdiff_t>(from), w.text.end(), sm, re_,
                         flags)) {
    return false;
  }
  size_t start = from + sm.position(0);
  m.start = w.byte_at[start];
  m.end = w.byte_at[start + sm.length(0)];
  m.wide_end = start + sm.length(0);
  m.groups.clear();
  for (size_t i = 1; i < sm.size(); ++i) {
    if (sm[i].matched) {
      size_t g = from + sm.position(i);
      m.groups.emplace_back(std::make_pair(w.byte_at[g], w.byte_at[g + sm.length(i)]));
    } else {
      m.groups.emplace_back(std::nullopt);
    }
  }
  return true;
}

bool Regex::Search(const std::string& subject, size_t from, Match& m) const {
  CheckSubject(subject);
  bool found = false;
  Guarded(subject.size() - std::min(from, subject.size()), [&] {
    Subject w = Widen(subject);
    found = SearchUnguarded(w, w.IndexOf(std::min(from, subject.size())), m);
  });
  return found;
}

std::vector<Regex::Match> Regex::SearchAll(const std::string& subject, size_t limit) const {
  CheckSubject(subject);
  std::vector<Match> out;
  Guarded(subject.size(), [&] {
    Subject w = Widen(subject);
    size_t from = 0;
    while (out.size() < limit && from <= w.text.size()) {
      Match m;
      if (!SearchUnguarded(w, from, m)) break;
      out.push_back(m);
      from = m.end == m.start ? m.wide_end + 1 : m.wide_end;  // an empty match moves one character
    }
  });
  return out;
}

}  // namespace stepline::jsonata
