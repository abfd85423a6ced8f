// $toMillis with a picture string: scans `text` against the picture's
// literals and components (the inverse of fn:format-dateTime).
#include <cmath>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "engine/jsonata/builtins.h"
#include "engine/jsonata/errors.h"
#include "engine/jsonata/format_integer.h"
#include "engine/jsonata/value.h"

namespace stepline::jsonata {

namespace {

struct Part {
  bool literal = true;
  std::string text;  // literal text
  char component = 0;
  std::string presentation;
  int max_width = 0;
};

const char* kMonthNames[] = {"january", "february", "march",     "april",   "may",      "june",
                             "july",    "august",   "september", "october", "november", "december"};
const char* kDayNames[] = {"monday", "tuesday",  "wednesday", "thursday",
                           "friday", "saturday", "sunday"};

std::vector<Part> ParsePicture(const std::string& pic) {
  std::vector<Part> parts;
  std::string lit;
  auto flush = [&] {
    if (!lit.empty()) {
      Part part;
      part.text = lit;
      parts.push_back(std::move(part));
    }
    lit.clear();
  };
  for (size_t i = 0; i < pic.size();) {
    if (pic.compare(i, 2, "[[") == 0) {
      lit += '[';
      i += 2;
    } else if (pic.compare(i, 2, "]]") == 0) {
      lit += ']';
      i += 2;
    } else if (pic[i] == '[') {
      size_t end = pic.find(']', i);
      if (end == std::string::npos) ThrowAt("D3135", -1);
      std::string body;
      for (size_t k = i + 1; k < end; ++k) {
        if (!std::isspace(static_cast<unsigned char>(pic[k]))) body += pic[k];
      }
      flush();
      Part p;
      p.literal = false;
      p.component = body.empty() ? 0 : body[0];
      std::string rest = body.substr(body.empty() ? 0 : 1);
      size_t comma = rest.rfind(',');
      if (comma != std::string::npos) {
        std::string width = rest.substr(comma + 1);
        rest = rest.substr(0, comma);
        size_t dash = width.find('-');
        if (dash != std::string::npos && width.substr(dash + 1) != "*") {
          p.max_width = std::atoi(width.c_str() + dash + 1);
        }
      }
      p.presentation = rest;
      parts.push_back(p);
      i = end + 1;
    } else {
      lit += pic[i++];
    }
  }
  flush();
  return parts;
}

bool IsNumberWord(const std::string& w) {
  static const std::set<std::string> kWords = [] {
    std::set<std::string> s = {"and",        "hundred",  "hundredth", "thousand",
                               "thousandth", "million",  "millionth", "billion",
                               "billionth",  "trillion", "trillionth"};
    for (int i = 0; i < 100; ++i) {
      std::string a = NumberToWords(i, false), b = NumberToWords(i, true);
      for (const std::string* t : {&a, &b}) {
        size_t start = 0;
        while (start <= t->size()) {
          size_t e = t->find_first_of(" -", start);
          s.insert(t->substr(start, e - start));
          if (e == std::string::npos) break;
          start = e + 1;
        }
      }
    }
    return s;
  }();
  return kWords.count(w) > 0;
}

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Extent of the token for `p` starting at `pos`; `next_is_marker` when
// another component follows without a literal in between.
size_t TokenEnd(const std::string& text, size_t pos, const Part& p, bool next_is_marker) {
  const std::string& pres = p.presentation;
  char c = p.component;
  auto span = [&](auto pred) {
    size_t e = pos;
    while (e < text.size() && pred(static_cast<unsigned char>(text[e]))) ++e;
    return e;
  };
  if (c == 'Z' || c == 'z') {
    size_t e = pos;
    if (c == 'z' && text.compare(e, 3, "GMT") == 0) e += 3;
    if (e < text.size() && text[e] == 'Z') return e + 1;
    if (e < text.size() && (text[e] == '+' || text[e] == '-')) ++e;
    while (e < text.size() && (std::isdigit(static_cast<unsigned char>(text[e])) || text[e] == ':'))
      ++e;
    return e;
  }
  bool name = !pres.empty() && (pres[0] == 'N' || pres[0] == 'n');
  if (c == 'P' || name) return span([](unsigned char ch) { return std::isalpha(ch); });
  if (pres == "I" || pres == "i") {
    return span([](unsigned char ch) { return std::strchr("IVXLCDMivxlcdm", ch) && ch; });
  }
  if (pres == "A" || pres == "a") return span([](unsigned char ch) { return std::isalpha(ch); });
  if (!pres.empty() && (pres[0] == 'w' || pres[0] == 'W')) {
    size_t end = pos, e = pos;
    while (e < text.size()) {
      size_t w = e;
      while (w < text.size() && (text[w] == ' ' || text[w] == '-' || text[w] == ',')) ++w;
      size_t we = w;
      while (we < text.size() && std::isalpha(static_cast<unsigned char>(text[we]))) ++we;
      if (we == w || !IsNumberWord(Lower(text.substr(w, we - w)))) break;
      end = e = we;
    }
    return end;
  }
  int width = 0;
  for (char ch : pres) width += (std::isdigit(static_cast<unsigned char>(ch)) ? 1 : 0);
  size_t e = pos;
  size_t limit = text.size();
  if (p.max_width > 0) limit = std::min(limit, pos + p.max_width);
  if (next_is_marker && width > 1) limit = std::min(limit, pos + width);
  while (e < limit && std::isdigit(static_cast<unsigned char>(text[e]))) ++e;
  if (pres.find('o') != std::string::npos) {
    while (e < text.size() && std::isalpha(static_cast<unsigned char>(text[e]))) ++e;
  }
  return e;
}

int MatchName(const std::string& token, const char* const* names, int count) {
  std::string t = Lower(token);
  for (int i = 0; i < count; ++i) {
    std::string n = names[i];
    if (t == n || (t.size() >= 3 && n.compare(0, t.size(), t) == 0)) return i + 1;
  }
  return -1;
}

std::optional<int> ParseTz(std::string t) {
  if (t.compare(0, 3, "GMT") == 0) t = t.substr(3);
  if (t == "Z") return 0;
  if (t.empty()) return std::nullopt;
  int sign = t[0] == '-' ? -1 : 1;
  if (t[0] == '+' || t[0] == '-') t = t.substr(1);
  std::string digits;
  int hh = 0, mm = 0;
  size_t colon = t.find(':');
  if (colon != std::string::npos) {
    hh = std::atoi(t.substr(0, colon).c_str());
    mm = std::atoi(t.substr(colon + 1).c_str());
  } else if (t.size() > 2) {
    hh = std::atoi(t.substr(0, t.size() - 2).c_str());
    mm = std::atoi(t.substr(t.size() - 2).c_str());
  } else {
    hh = std::atoi(t.c_str());
  }
  return sign * (hh * 60 + mm);
}

void CheckSpecifiers(const std::vector<Part>& parts) {
  std::set<char> have;
  for (const auto& p : parts) {
    if (p.literal) continue;
    if (!std::strchr("YMDdFWwXxHhPmsfZzCE", p.component) || p.component == 0) {
      ErrorArgs e;
      e.value = Value::String(std::string(1, p.component));
      e.has_value = true;
      Throw("D3132", e);
    }
    bool name = !p.presentation.empty() && (p.presentation[0] == 'N' || p.presentation[0] == 'n');
    if (name && !std::strchr("MFP", p.component)) {
      ErrorArgs e;
      e.value = Value::String(std::string(1, p.component));
      e.has_value = true;
      Throw("D3133", e);
    }
    have.insert(p.component == 'h' ? 'H' : p.component);
  }
  auto gap = [&](const std::string& order) {
    int first = -1, last = -1;
    for (int i = 0; i < static_cast<int>(order.size()); ++i) {
      if (have.count(order[i])) {
        if (first < 0) first = i;
        last = i;
      }
    }
    for (int i = first; first >= 0 && i <= last; ++i) {
      if (!have.count(order[i])) return true;
    }
    return false;
  };
  bool bad = have.count('X') || have.count('W') || have.count('w') || have.count('x');
  if (have.count('d')) {
    bad = bad || have.count('M') || have.count('D') || gap("YdHmsf");
  } else {
    bad = bad || gap("YMDHmsf");
  }
  if (bad) ThrowAt("D3136", -1);
}

}  // namespace

std::optional<int64_t> ParseDateTime(const std::string& text, const std::string& picture,
                                     int64_t now_ms) {
  std::vector<Part> parts = ParsePicture(picture);
  bool any_marker = false;
  for (const auto& p : parts) any_marker = any_marker || !p.literal;
  if (!any_marker) return std::nullopt;
  CheckSpecifiers(parts);
  std::optional<double> year, month, day, doy, hour, minute, second, ms;
  std::optional<int> tz;
  bool pm = false, has_p = false;
  size_t pos = 0;
  for (size_t i = 0; i < parts.size(); ++i) {
    const Part& p = parts[i];
    if (p.literal) {
      if (text.compare(pos, p.text.size(), p.text) != 0) return std::nullopt;
      pos += p.text.size();
      continue;
    }
    bool next_marker = i + 1 < parts.size() && !parts[i + 1].literal;
    size_t end = TokenEnd(text, pos, p, next_marker);
    if (end == pos) return std::nullopt;
    std::string token = text.substr(pos, end - pos);
    pos = end;
    const std::string& pres = p.presentation;
    bool name = !pres.empty() && (pres[0] == 'N' || pres[0] == 'n');
    std::optional<double> v;
    if (p.component == 'Z' || p.component == 'z') {
      tz = ParseTz(token);
      if (!tz) return std::nullopt;
      continue;
    }
    if (p.component == 'P') {
      has_p = true;
      pm = Lower(token) == "pm";
      continue;
    }
    if (p.component == 'C' || p.component == 'E') continue;
    if (name) {
      int n =
          p.component == 'M' ? MatchName(token, kMonthNames, 12) : MatchName(token, kDayNames, 7);
      if (n < 0) return std::nullopt;
      v = n;
    } else if (p.component == 'f') {
      v = std::floor(std::strtod(("0." + token).c_str(), nullptr) * 1000 + 1e-9);
    } else {
      std::string ipres = pres.empty() ? "1" : pres;
      if (ipres.find('o') != std::string::npos && ipres.find(';') == std::string::npos) {
        std::string base = ipres.substr(0, ipres.find('o'));
        ipres = (base.empty() ? "1" : base) + ";o";
      }
      if (!ipres.empty() && (ipres[0] == 'w' || ipres[0] == 'W')) ipres = "w";
      v = ParseInteger(token, ipres);
      if (!v) return std::nullopt;
    }
    switch (p.component) {
      case 'Y':
        year = v;
        break;
      case 'M':
        month = v;
        break;
      case 'D':
        day = v;
        break;
      case 'd':
        doy = v;
        break;
      case 'H':
      case 'h':
        hour = v;
        break;
      case 'm':
        minute = v;
        break;
      case 's':
        second = v;
        break;
      case 'f':
        ms = v;
        break;
      default:
        break;
    }
  }
  // Missing leading components come from today, trailing ones are minimal.
  int64_t today = now_ms >= 0 ? now_ms / 86400000 : -((-now_ms + 86399999) / 86400000);
  int64_t cy;
  unsigned cm, cd;
  {
    int64_t z = today + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = static_cast<unsigned>(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    cy = static_cast<int64_t>(yoe) + era * 400;
    unsigned d2 = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * d2 + 2) / 153;
    cd = d2 - (153 * mp + 2) / 5 + 1;
    cm = mp + (mp < 10 ? 3 : -9);
    cy += cm <= 2;
  }
  // Components no JavaScript Date could hold (a year of 32 digits) make no
  // date, as in jsonata-js, instead of overflowing the integer arithmetic.
  auto within = [](const std::optional<double>& v, double limit) {
    return !v || (std::isfinite(*v) && std::fabs(*v) <= limit);
  };
  if (!within(year, 1e6) || !within(month, 1e6) || !within(day, 1e9) || !within(doy, 1e9)) {
    return std::nullopt;
  }
  bool date_given = year || month || day || doy;
  int64_t y = year ? static_cast<int64_t>(*year) : cy;
  int64_t days;
  if (doy) {
    days = CivilDays(y, 1, 1) + static_cast<int64_t>(*doy) - 1;
  } else {
    unsigned m = month ? static_cast<unsigned>(*month) : (year ? 1 : cm);
    unsigned d = day ? static_cast<unsigned>(*day) : ((year || month) ? 1 : cd);
    if (!date_given) {
      m = cm;
      d = cd;
    }
    days = CivilDays(y, m, d);
  }
  double h = hour.value_or(0);
  if (has_p) {
    if (pm && h < 12) h += 12;
    if (!pm && h == 12) h = 0;
  }
  double total = static_cast<double>(days) * 86400000 + h * 3600000 + minute.value_or(0) * 60000 +
                 second.value_or(0) * 1000 + ms.value_or(0);
  if (tz) total -= *tz * 60000.0;
  if (!std::isfinite(total) || std::fabs(total) > kMaxDateMillis) return std::nullopt;
  return static_cast<int64_t>(total);
}

}  // namespace stepline::jsonata
