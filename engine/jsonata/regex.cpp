// Regex implementation over std::regex.
#include "engine/jsonata/regex.h"

#include <pthread.h>

#include <functional>

#include "engine/jsonata/errors.h"

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
  auto options = std::regex::ECMAScript;
  if (flags.find('i') != std::string::npos) options |= std::regex::icase;
  if (flags.find('m') != std::string::npos) options |= std::regex::multiline;
  try {
    r->re_ = std::regex(pattern, options);
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

bool Regex::SearchUnguarded(const std::string& subject, size_t from, Match& m) const {
  std::smatch sm;
  auto flags =
      from > 0 ? std::regex_constants::match_prev_avail : std::regex_constants::match_default;
  if (!std::regex_search(subject.begin() + from, subject.end(), sm, re_, flags)) return false;
  m.start = from + sm.position(0);
  m.end = m.start + sm.length(0);
  m.groups.clear();
  for (size_t i = 1; i < sm.size(); ++i) {
    if (sm[i].matched) {
      size_t s = from + sm.position(i);
      m.groups.emplace_back(std::make_pair(s, s + sm.length(i)));
    } else {
      m.groups.emplace_back(std::nullopt);
    }
  }
  return true;
}

bool Regex::Search(const std::string& subject, size_t from, Match& m) const {
  CheckSubject(subject);
  bool found = false;
  Guarded(subject.size() - std::min(from, subject.size()),
          [&] { found = SearchUnguarded(subject, from, m); });
  return found;
}

std::vector<Regex::Match> Regex::SearchAll(const std::string& subject, size_t limit) const {
  CheckSubject(subject);
  std::vector<Match> out;
  Guarded(subject.size(), [&] {
    size_t from = 0;
    while (out.size() < limit && from <= subject.size()) {
      Match m;
      if (!SearchUnguarded(subject, from, m)) break;
      out.push_back(m);
      if (m.end == m.start) {
        from = m.end + 1;
        while (from < subject.size() &&
               (static_cast<unsigned char>(subject[from]) & 0xC0) == 0x80) {
          ++from;
        }
      } else {
        from = m.end;
      }
    }
  });
  return out;
}

}  // namespace stepline::jsonata
