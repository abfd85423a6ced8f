// Date/time built-ins: $now, $millis, $fromMillis, $toMillis with XPath
// picture strings (fn:format-dateTime components) and timezones.
#include <cmath>
#include <cstdio>

#include "engine/jsonata/builtins.h"
#include "engine/jsonata/errors.h"
#include "engine/jsonata/format_integer.h"

namespace stepline::jsonata {

namespace {

const char* kDefaultPicture = "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]";
const char* kMonths[] = {"January", "February", "March",     "April",   "May",      "June",
                         "July",    "August",   "September", "October", "November", "December"};
const char* kDays[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                       "Friday", "Saturday", "Sunday"};

int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void CivilFromDays(int64_t z, int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp + (mp < 10 ? 3 : -9);
  y += m <= 2;
}

struct DateParts {
  int64_t year;
  unsigned month, day;
  int hour, minute, second, ms;
  int dow;  // 1 = Monday
  int doy;
  int64_t days;
};

DateParts Split(int64_t millis) {
  DateParts p;
  int64_t days = millis >= 0 ? millis / 86400000 : -((-millis + 86399999) / 86400000);
  int64_t rem = millis - days * 86400000;
  p.days = days;
  CivilFromDays(days, p.year, p.month, p.day);
  p.hour = static_cast<int>(rem / 3600000);
  p.minute = static_cast<int>(rem / 60000 % 60);
  p.second = static_cast<int>(rem / 1000 % 60);
  p.ms = static_cast<int>(rem % 1000);
  p.dow = static_cast<int>(((days % 7) + 7 + 3) % 7) + 1;  // 1970-01-01 was a Thursday
  p.doy = static_cast<int>(days - DaysFromCivil(p.year, 1, 1)) + 1;
  return p;
}

// ISO week: returns week number and sets the week-year.
int IsoWeek(int64_t days, int64_t& week_year) {
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, y, m, d);
  int dow = static_cast<int>(((days % 7) + 7 + 3) % 7) + 1;
  int64_t thursday = days - dow + 4;
  CivilFromDays(thursday, week_year, m, d);
  int64_t jan1 = DaysFromCivil(week_year, 1, 1);
  return static_cast<int>((thursday - jan1) / 7) + 1;
}

struct Marker {
  char component = 0;
  std::string presentation;
  bool has_min = false, has_max = false;
  int min_width = 0, max_width = 0;
};

Marker ParseMarker(const std::string& body) {
  std::string s;
  for (char c : body) {
    if (!std::isspace(static_cast<unsigned char>(c))) s += c;
  }
  Marker m;
  m.component = s.empty() ? 0 : s[0];
  std::string rest = s.substr(s.empty() ? 0 : 1);
  size_t comma = rest.rfind(',');
  if (comma != std::string::npos && comma + 1 < rest.size() &&
      (std::isdigit(static_cast<unsigned char>(rest[comma + 1])) || rest[comma + 1] == '*')) {
    std::string width = rest.substr(comma + 1);
    rest = rest.substr(0, comma);
    size_t dash = width.find('-');
    std::string lo = width.substr(0, dash);
    if (lo != "*") {
      m.has_min = true;
      m.min_width = std::atoi(lo.c_str());
    }
    if (dash != std::string::npos) {
      std::string hi = width.substr(dash + 1);
      if (hi != "*") {
        m.has_max = true;
        m.max_width = std::atoi(hi.c_str());
      }
    }
  }
  m.presentation = rest;
  return m;
}

std::string ApplyNameCase(std::string name, const std::string& pres, const Marker& m) {
  if (m.has_max && static_cast<int>(name.size()) > m.max_width) name.resize(m.max_width);
  if (pres[0] == 'N' && (pres.size() < 2 || pres[1] != 'n')) {
    for (auto& c : name) c = static_cast<char>(std::toupper(c));
  } else if (pres == "n") {
    for (auto& c : name) c = static_cast<char>(std::tolower(c));
  }
  return name;
}

std::string FormatTimezone(int offset_min, const Marker& m) {
  std::string pres = m.presentation.empty() ? "01:01" : m.presentation;
  if (m.component == 'z') {
    Marker inner = m;
    inner.component = 'Z';
    inner.presentation = "01:01";
    return "GMT" + FormatTimezone(offset_min, inner);
  }
  bool t = !pres.empty() && pres.back() == 't';
  if (t) pres.pop_back();
  if (t && offset_min == 0) return "Z";
  int digits = 0;
  for (char c : pres) digits += std::isdigit(static_cast<unsigned char>(c)) ? 1 : 0;
  if (digits > 4) ThrowAt("D3134", -1);
  std::string sign = offset_min < 0 ? "-" : "+";
  int a = std::abs(offset_min);
  int hh = a / 60, mm = a % 60;
  char buf[32];
  if (digits <= 2) {
    std::snprintf(buf, sizeof buf, digits == 2 ? "%02d" : "%d", hh);
    std::string out = sign + buf;
    if (mm) {
      std::snprintf(buf, sizeof buf, ":%02d", mm);
      out += buf;
    }
    return out;
  }
  size_t sep_pos = pres.find_first_not_of("0123456789");
  std::string sep = sep_pos == std::string::npos ? "" : pres.substr(sep_pos, 1);
  std::snprintf(buf, sizeof buf, "%02d%s%02d", hh, sep.c_str(), mm);
  return sign + buf;
}

std::string FormatComponent(const DateParts& p, const Marker& m, int offset_min) {
  char c = m.component;
  if (c == 'Z' || c == 'z') return FormatTimezone(offset_min, m);
  std::string pres = m.presentation;
  int64_t value = 0;
  switch (c) {
    case 'Y':
      value = p.year;
      break;
    case 'M':
      value = p.month;
      break;
    case 'D':
      value = p.day;
      break;
    case 'd':
      value = p.doy;
      break;
    case 'F':
      value = p.dow;
      break;
    case 'H':
      value = p.hour;
      break;
    case 'h':
      value = p.hour % 12 == 0 ? 12 : p.hour % 12;
      break;
    case 'm':
      value = p.minute;
      break;
    case 's':
      value = p.second;
      break;
    case 'f':
      value = p.ms;
      break;
    case 'W': {
      int64_t wy;
      value = IsoWeek(p.days, wy);
      break;
    }
    case 'X': {
      int64_t wy;
      IsoWeek(p.days, wy);
      value = wy;
      break;
    }
    case 'w':
    case 'x': {
      int64_t thursday = p.days - p.dow + 4;  // the week belongs to its Thursday's month
      int64_t ty;
      unsigned tm, td;
      CivilFromDays(thursday, ty, tm, td);
      value = c == 'x' ? static_cast<int64_t>(tm) : static_cast<int64_t>((td - 1) / 7 + 1);
      break;
    }
    case 'P':
      return ApplyNameCase(p.hour < 12 ? "am" : "pm", pres.empty() ? "n" : pres, m);
    case 'C':
    case 'E':
      return "ISO";
    default: {
      ErrorArgs e;
      e.value = Value::String(std::string(1, c));
      e.has_value = true;
      Throw("D3132", e);
    }
  }
  if (pres.empty()) pres = (c == 'm' || c == 's') ? "01" : (c == 'F' ? "n" : "1");
  if (pres[0] == 'N' || pres[0] == 'n') {
    if (c == 'M' || c == 'x') return ApplyNameCase(kMonths[value - 1], pres, m);
    if (c == 'F') return ApplyNameCase(kDays[value - 1], pres, m);
    ErrorArgs e;
    e.value = Value::String(std::string(1, c));
    e.has_value = true;
    Throw("D3133", e);
  }
  if (c == 'f') {
    std::string digits;
    for (char ch : pres) {
      if (std::isdigit(static_cast<unsigned char>(ch)) || ch == '#') digits += ch;
    }
    int width = m.has_min ? m.min_width : static_cast<int>(std::max<size_t>(digits.size(), 1));
    char buf[8];
    std::snprintf(buf, sizeof buf, "%03d", p.ms);
    std::string s = buf;
    if (width < 3) {
      s.resize(width);
    } else {
      s.append(width - 3, '0');
    }
    return s;
  }
  bool explicit_digits = pres.find_first_of("0123456789#") != std::string::npos && pres != "1";
  int truncate = 0;
  if (c == 'Y' && m.has_max) truncate = m.max_width;
  if (c == 'Y' && !m.has_max && m.has_min && m.min_width == 2 && !explicit_digits) truncate = 2;
  if (truncate > 0) {
    value %= static_cast<int64_t>(std::pow(10, truncate));
    pres = "1";
  }
  if (pres.size() > 1 && (pres.back() == 'o' || pres.back() == 'c') &&
      pres.find(';') == std::string::npos) {
    pres = pres.substr(0, pres.size() - 1) + ";" + pres.back();
  }
  std::string out = FormatInteger(static_cast<double>(value), pres);
  if (m.has_min && pres[0] != 'w' && pres[0] != 'W' && pres[0] != 'I' && pres[0] != 'i') {
    size_t suffix = 0;
    while (suffix < out.size() &&
           !std::isdigit(static_cast<unsigned char>(out[out.size() - 1 - suffix])))
      ++suffix;
    std::string num = out.substr(0, out.size() - suffix);
    std::string tail = out.substr(out.size() - suffix);
    while (static_cast<int>(num.size()) < m.min_width) num.insert(num.begin(), '0');
    out = num + tail;
  }
  return out;
}

int ParseOffset(const std::string& tz) {
  if (tz.size() < 5) return 0;
  int sign = tz[0] == '-' ? -1 : 1;
  int hh = std::atoi(tz.substr(1, 2).c_str());
  int mm = std::atoi(tz.substr(tz.size() - 2).c_str());
  return sign * (hh * 60 + mm);
}

std::string FormatDateTime(int64_t millis, const std::string& picture, int offset_min) {
  DateParts p = Split(millis + static_cast<int64_t>(offset_min) * 60000);
  std::string out;
  for (size_t i = 0; i < picture.size(); ++i) {
    if (picture[i] == '[' && i + 1 < picture.size() && picture[i + 1] == '[') {
      ++i;
    } else if (picture[i] == '[' && picture.find(']', i) == std::string::npos) {
      ThrowAt("D3135", -1);
    }
  }
  for (size_t i = 0; i < picture.size();) {
    char c = picture[i];
    if (c == '[' && i + 1 < picture.size() && picture[i + 1] == '[') {
      out += '[';
      i += 2;
    } else if (c == ']' && i + 1 < picture.size() && picture[i + 1] == ']') {
      out += ']';
      i += 2;
    } else if (c == '[') {
      size_t end = picture.find(']', i);
      if (end == std::string::npos) ThrowAt("D3135", -1);
      out += FormatComponent(p, ParseMarker(picture.substr(i + 1, end - i - 1)), offset_min);
      i = end + 1;
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

// ISO 8601 timestamp -> millis; nullopt when malformed.
std::optional<int64_t> ParseIso(const std::string& s) {
  int y = 0, mo = 1, d = 1, h = 0, mi = 0, sec = 0;
  double frac = 0;
  size_t i = 0;
  auto num = [&](int digits, int& out) {
    if (i + digits > s.size()) return false;
    out = 0;
    for (int k = 0; k < digits; ++k) {
      if (!std::isdigit(static_cast<unsigned char>(s[i + k]))) return false;
      out = out * 10 + (s[i + k] - '0');
    }
    i += digits;
    return true;
  };
  if (!num(4, y)) return std::nullopt;
  if (i < s.size() && s[i] == '-') {
    ++i;
    if (!num(2, mo)) return std::nullopt;
    if (i < s.size() && s[i] == '-') {
      ++i;
      if (!num(2, d)) return std::nullopt;
    }
  }
  int offset = 0;
  if (i < s.size() && s[i] == 'T') {
    ++i;
    if (!num(2, h)) return std::nullopt;
    if (i < s.size() && s[i] == ':') {
      ++i;
      if (!num(2, mi)) return std::nullopt;
      if (i < s.size() && s[i] == ':') {
        ++i;
        if (!num(2, sec)) return std::nullopt;
        if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
          size_t start = ++i;
          while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
          if (i == start) return std::nullopt;
          frac = std::strtod(("0." + s.substr(start, i - start)).c_str(), nullptr);
        }
      }
    }
    if (i < s.size() && s[i] == 'Z') {
      ++i;
    } else if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
      int sign = s[i] == '-' ? -1 : 1;
      ++i;
      int oh = 0, om = 0;
      if (!num(2, oh)) return std::nullopt;
      if (i < s.size() && s[i] == ':') ++i;
      if (i < s.size() && !num(2, om)) return std::nullopt;
      offset = sign * (oh * 60 + om);
    }
  }
  if (i != s.size() || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 24 || mi > 59 || sec > 60) {
    return std::nullopt;
  }
  int64_t days = DaysFromCivil(y, mo, d);
  int64_t ms = ((days * 24 + h) * 60 + mi) * 60000 + sec * 1000 +
               static_cast<int64_t>(std::llround(frac * 1000));
  return ms - static_cast<int64_t>(offset) * 60000;
}

Value FnNow(CallCtx& ctx, std::vector<Value>& a) {
  std::string pic = Arg(a, 0).is_string() ? a[0].str() : kDefaultPicture;
  int offset = Arg(a, 1).is_string() ? ParseOffset(a[1].str()) : 0;
  return Value::String(FormatDateTime(ctx.ev.now_ms(), pic, offset));
}

Value FnMillis(CallCtx& ctx, std::vector<Value>&) {
  return Value::Number(static_cast<double>(ctx.ev.now_ms()));
}

Value FnFromMillis(CallCtx&, std::vector<Value>& a) {
  if (a[0].undefined()) return Value();
  std::string pic = Arg(a, 1).is_string() ? a[1].str() : kDefaultPicture;
  int offset = Arg(a, 2).is_string() ? ParseOffset(a[2].str()) : 0;
  double ms = a[0].number();
  // Outside JavaScript's Date range, or not finite: no date.
  if (!std::isfinite(ms) || std::fabs(ms) > kMaxDateMillis) return Value();
  return Value::String(FormatDateTime(static_cast<int64_t>(std::floor(ms)), pic, offset));
}

Value FnToMillis(CallCtx& ctx, std::vector<Value>& a) {
  if (a[0].undefined()) return Value();
  if (!Arg(a, 1).undefined()) {
    auto ms = ParseDateTime(a[0].str(), a[1].str(), ctx.ev.now_ms());
    if (!ms) return Value();
    return Value::Number(static_cast<double>(*ms));
  }
  auto ms = ParseIso(a[0].str());
  if (!ms) ThrowValue("D3110", ctx.position, a[0]);
  return Value::Number(static_cast<double>(*ms));
}

}  // namespace

int64_t CivilDays(int64_t y, unsigned m, unsigned d) { return DaysFromCivil(y, m, d); }

void AddDateFunctions(BuiltinList& out) {
  out.push_back({"now", "<s?s?:s>", FnNow});
  out.push_back({"millis", "<:n>", FnMillis});
  out.push_back({"fromMillis", "<n-s?s?:s>", FnFromMillis});
  out.push_back({"toMillis", "<s-s?:n>", FnToMillis});
}

}  // namespace stepline::jsonata
