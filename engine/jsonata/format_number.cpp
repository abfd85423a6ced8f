// $formatNumber: XPath fn:format-number picture strings (decimal format
// properties overridable through the options object).
#include <cmath>
#include <cstdio>

#include "engine/jsonata/builtins.h"
#include "engine/jsonata/errors.h"

namespace stepline::jsonata {

namespace {

struct Props {
  char32_t decimal = '.', grouping = ',', exponent = 'e', percent = '%', permille = 0x2030;
  char32_t zero = '0', digit = '#', pattern = ';';
  std::string minus = "-", infinity = "Infinity", nan = "NaN";
};

struct SubPicture {
  std::u32string prefix, suffix, integer, fraction, exponent;
  bool has_exponent = false, has_decimal = false, percent = false, permille = false;
  std::vector<int> int_groups, frac_groups;
  int min_int = 0, min_frac = 0, max_frac = 0, min_exp = 0;
  bool regular = false;
  bool int_has_optional = false;
};

bool IsDigitOf(const Props& p, char32_t c) { return c >= p.zero && c <= p.zero + 9; }

bool IsActive(const Props& p, char32_t c) {
  return c == p.decimal || c == p.grouping || c == p.exponent || c == p.digit || IsDigitOf(p, c);
}

[[noreturn]] void Fail(const char* code) { ThrowAt(code, -1); }

SubPicture Analyse(const Props& p, const std::u32string& pic) {
  SubPicture s;
  size_t first = std::u32string::npos, last = std::u32string::npos;
  for (size_t i = 0; i < pic.size(); ++i) {
    if (IsActive(p, pic[i])) {
      if (first == std::u32string::npos) first = i;
      last = i;
    }
  }
  std::u32string middle;
  if (first == std::u32string::npos) {
    middle = pic;
  } else {
    s.prefix = pic.substr(0, first);
    s.suffix = pic.substr(last + 1);
    middle = pic.substr(first, last - first + 1);
  }
  for (char32_t c : middle) {
    if (!IsActive(p, c)) Fail("D3086");
  }
  auto count = [&](char32_t c) { return std::count(pic.begin(), pic.end(), c); };
  if (count(p.decimal) > 1) Fail("D3081");
  if (count(p.percent) > 1) Fail("D3082");
  if (count(p.permille) > 1) Fail("D3083");
  if (count(p.percent) && count(p.permille)) Fail("D3084");
  s.percent = count(p.percent) > 0;
  s.permille = count(p.permille) > 0;
  std::u32string mantissa = middle;
  size_t e = middle.find(p.exponent);
  if (e != std::u32string::npos) {
    s.has_exponent = true;
    mantissa = middle.substr(0, e);
    s.exponent = middle.substr(e + 1);
  }
  bool any_digit = false;
  for (char32_t c : mantissa) any_digit = any_digit || c == p.digit || IsDigitOf(p, c);
  if (!any_digit) Fail("D3085");
  size_t d = mantissa.find(p.decimal);
  s.has_decimal = d != std::u32string::npos;
  s.integer = s.has_decimal ? mantissa.substr(0, d) : mantissa;
  s.fraction = s.has_decimal ? mantissa.substr(d + 1) : U"";
  if (s.has_decimal && ((d > 0 && mantissa[d - 1] == p.grouping) ||
                        (d + 1 < mantissa.size() && mantissa[d + 1] == p.grouping))) {
    Fail("D3087");
  }
  if (!s.integer.empty() && s.integer.back() == p.grouping) Fail("D3088");
  if (mantissa.find(std::u32string{p.grouping, p.grouping}) != std::u32string::npos) Fail("D3089");
  bool seen_digit = false;
  for (char32_t c : s.integer) {
    if (IsDigitOf(p, c)) seen_digit = true;
    if (c == p.digit && seen_digit) Fail("D3090");
    if (c == p.digit) s.int_has_optional = true;
  }
  bool seen_optional = false;
  for (char32_t c : s.fraction) {
    if (c == p.digit) seen_optional = true;
    if (IsDigitOf(p, c) && seen_optional) Fail("D3091");
  }
  if (s.has_exponent && (s.percent || s.permille)) Fail("D3092");
  if (s.has_exponent) {
    if (s.exponent.empty()) Fail("D3093");
    for (char32_t c : s.exponent) {
      if (!IsDigitOf(p, c)) Fail("D3093");
    }
  }
  int digits_right = 0;
  for (auto it = s.integer.rbegin(); it != s.integer.rend(); ++it) {
    if (*it == p.grouping) {
      s.int_groups.push_back(digits_right);
    } else {
      ++digits_right;
      if (IsDigitOf(p, *it)) ++s.min_int;
    }
  }
  int digits_left = 0;
  for (char32_t c : s.fraction) {
    if (c == p.grouping) {
      s.frac_groups.push_back(digits_left);
    } else {
      ++digits_left;
      ++s.max_frac;
      if (IsDigitOf(p, c)) ++s.min_frac;
    }
  }
  if (!s.int_groups.empty()) {
    s.regular = true;
    for (size_t i = 0; i < s.int_groups.size(); ++i) {
      if (s.int_groups[i] != s.int_groups[0] * static_cast<int>(i + 1)) s.regular = false;
    }
  }
  if (s.min_int == 0 && s.max_frac == 0) {
    if (s.has_exponent) {
      s.min_frac = s.max_frac = 1;
    } else {
      s.min_int = 1;
    }
  }
  s.min_exp = static_cast<int>(s.exponent.size());
  return s;
}

std::u32string MapDigits(const Props& p, const std::string& ascii) {
  std::u32string out;
  for (char c : ascii) out += static_cast<char32_t>(p.zero + (c - '0'));
  return out;
}

std::string Render(const Props& p, const SubPicture& s, double value) {
  if (s.percent) value *= 100;
  if (s.permille) value *= 1000;
  int exponent = 0;
  if (s.has_exponent && value != 0) {
    int mag = static_cast<int>(std::floor(std::log10(value))) + 1;
    exponent = mag - s.min_int;
    value = value / std::pow(10, exponent);
  }
  double rounded = RoundHalfEven(value, s.max_frac);
  if (s.has_exponent && s.min_int > 0 && rounded >= std::pow(10, s.min_int)) {
    exponent += 1;
    rounded = RoundHalfEven(value / 10, s.max_frac);
  }
  char buf[400];
  std::snprintf(buf, sizeof buf, "%.*f", s.max_frac, rounded);
  std::string str = buf;
  size_t dot = str.find('.');
  std::string ip = dot == std::string::npos ? str : str.substr(0, dot);
  std::string fp = dot == std::string::npos ? "" : str.substr(dot + 1);
  while (static_cast<int>(fp.size()) > s.min_frac && !fp.empty() && fp.back() == '0') fp.pop_back();
  if (ip == "0" && s.min_int == 0 && !(s.has_exponent && s.int_has_optional)) ip.clear();
  while (static_cast<int>(ip.size()) < s.min_int) ip.insert(ip.begin(), '0');
  std::u32string out = s.prefix;
  std::u32string idigits = MapDigits(p, ip);
  int n = static_cast<int>(idigits.size());
  for (int i = 0; i < n; ++i) {
    int from_right = n - i;
    if (i > 0) {
      bool sep = false;
      if (s.regular) {
        sep = from_right % s.int_groups[0] == 0;
      } else {
        for (int g : s.int_groups) sep = sep || g == from_right;
      }
      if (sep) out += p.grouping;
    }
    out += idigits[i];
  }
  if (!fp.empty()) {
    out += p.decimal;
    std::u32string fdigits = MapDigits(p, fp);
    for (size_t i = 0; i < fdigits.size(); ++i) {
      for (int g : s.frac_groups) {
        if (g == static_cast<int>(i) && i > 0) out += p.grouping;
      }
      out += fdigits[i];
    }
  }
  if (s.has_exponent) {
    out += p.exponent;
    std::string e = std::to_string(std::abs(exponent));
    while (static_cast<int>(e.size()) < s.min_exp) e.insert(e.begin(), '0');
    if (exponent < 0) out += ToU32(p.minus);
    out += MapDigits(p, e);
  }
  out += s.suffix;
  return FromU32(out);
}

char32_t FirstChar(const Value& v, char32_t dflt) {
  if (!v.is_string() || v.str().empty()) return dflt;
  return ToU32(v.str())[0];
}

}  // namespace

std::string FormatNumberPicture(CallCtx&, double value, const std::string& picture,
                                const Value& options) {
  Props p;
  if (options.is_object()) {
    for (const auto& [k, v] : options.obj().items) {
      if (k == "decimal-separator") p.decimal = FirstChar(v, p.decimal);
      if (k == "grouping-separator") p.grouping = FirstChar(v, p.grouping);
      if (k == "exponent-separator") p.exponent = FirstChar(v, p.exponent);
      if (k == "percent") p.percent = FirstChar(v, p.percent);
      if (k == "per-mille") p.permille = FirstChar(v, p.permille);
      if (k == "zero-digit") p.zero = FirstChar(v, p.zero);
      if (k == "digit") p.digit = FirstChar(v, p.digit);
      if (k == "pattern-separator") p.pattern = FirstChar(v, p.pattern);
      if (k == "minus-sign" && v.is_string()) p.minus = v.str();
      if (k == "infinity" && v.is_string()) p.infinity = v.str();
      if (k == "NaN" && v.is_string()) p.nan = v.str();
    }
  }
  std::u32string pic = ToU32(picture);
  // Multi-character percent/per-mille strings ("pm") are matched as text.
  std::string pm_text, pct_text;
  if (options.is_object()) {
    if (const Value* v = options.obj().Find("per-mille");
        v && v->is_string() && CodePointCount(v->str()) > 1) {
      pm_text = v->str();
    }
    if (const Value* v = options.obj().Find("percent");
        v && v->is_string() && CodePointCount(v->str()) > 1) {
      pct_text = v->str();
    }
  }
  std::vector<std::u32string> parts;
  std::u32string cur;
  for (char32_t c : pic) {
    if (c == p.pattern) {
      parts.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  parts.push_back(cur);
  if (parts.size() > 2) ThrowAt("D3080", -1);
  auto analyse = [&](const std::u32string& text) {
    std::string t = FromU32(text);
    bool pm = !pm_text.empty() && t.find(pm_text) != std::string::npos;
    bool pct = !pct_text.empty() && t.find(pct_text) != std::string::npos;
    SubPicture s = Analyse(p, text);
    if (pm) s.permille = true;
    if (pct) s.percent = true;
    return s;
  };
  SubPicture pos = analyse(parts[0]);
  SubPicture neg;
  if (parts.size() == 2) {
    neg = analyse(parts[1]);
  } else {
    neg = pos;
    neg.prefix = ToU32(p.minus) + neg.prefix;
  }
  if (std::isnan(value)) return p.nan;
  const SubPicture& s = value < 0 ? neg : pos;
  if (std::isinf(value)) return FromU32(s.prefix) + p.infinity + FromU32(s.suffix);
  return Render(p, s, std::fabs(value));
}

}  // namespace stepline::jsonata
