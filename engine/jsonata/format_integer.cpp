// Integer picture formatting and parsing.
#include "engine/jsonata/format_integer.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <vector>

#include "engine/jsonata/errors.h"
#include "engine/jsonata/value.h"

namespace stepline::jsonata {

namespace {

const char* kFew[] = {"zero",    "one",     "two",       "three",    "four",
                      "five",    "six",     "seven",     "eight",    "nine",
                      "ten",     "eleven",  "twelve",    "thirteen", "fourteen",
                      "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"};
const char* kOrdFew[] = {"zeroth",    "first",     "second",      "third",      "fourth",
                         "fifth",     "sixth",     "seventh",     "eighth",     "ninth",
                         "tenth",     "eleventh",  "twelfth",     "thirteenth", "fourteenth",
                         "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth"};
const char* kDecades[] = {"twenty", "thirty",  "forty",  "fifty",
                          "sixty",  "seventy", "eighty", "ninety"};
const char* kOrdDecades[] = {"twentieth", "thirtieth",  "fortieth",  "fiftieth",
                             "sixtieth",  "seventieth", "eightieth", "ninetieth"};
const char* kMagnitudes[] = {"thousand", "million", "billion", "trillion"};

// Zero digits of the decimal digit families we recognise.
const char32_t kZeros[] = {0x30,   0x660,  0x6F0,  0x7C0,  0x966,  0x9E6,  0xA66,  0xAE6,
                           0xB66,  0xBE6,  0xC66,  0xCE6,  0xD66,  0xDE6,  0xE50,  0xED0,
                           0xF20,  0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80,
                           0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900,
                           0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10};

int DigitFamily(char32_t c) {
  for (char32_t z : kZeros) {
    if (c >= z && c <= z + 9) return static_cast<int>(z);
  }
  return -1;
}

std::string Lookup(double num, bool prev, bool comma) {
  std::string words;
  if (num <= 19) {
    words = std::string(prev ? " and " : "") + kFew[static_cast<int>(num)];
  } else if (num < 100) {
    int tens = static_cast<int>(num / 10);
    int rem = static_cast<int>(std::fmod(num, 10));
    words = std::string(prev ? " and " : "") + kDecades[tens - 2];
    if (rem > 0) words += "-" + Lookup(rem, false, true);
  } else if (num < 1000) {
    int hundreds = static_cast<int>(num / 100);
    double rem = std::fmod(num, 100);
    words = std::string(prev ? ", " : "") + kFew[hundreds] + " hundred";
    if (rem > 0) words += Lookup(rem, true, false);
  } else {
    int mag = static_cast<int>(std::floor(std::log10(num) / 3));
    if (mag > 4) mag = 4;
    double factor = std::pow(10, mag * 3);
    double mant = std::floor(num / factor);
    double rem = num - mant * factor;
    words = std::string(prev ? ", " : "") + Lookup(mant, false, true) + " " + kMagnitudes[mag - 1];
    if (rem > 0) words += Lookup(rem, true, false);
  }
  (void)comma;
  return words;
}

std::string OrdinalWord(const std::string& w) {
  for (int i = 0; i < 20; ++i) {
    if (w == kFew[i]) return kOrdFew[i];
  }
  for (int i = 0; i < 8; ++i) {
    if (w == kDecades[i]) return kOrdDecades[i];
  }
  return w + "th";
}

std::string OrdinalSuffix(long v) {
  long last2 = v % 100, last = v % 10;
  if (last2 >= 11 && last2 <= 13) return "th";
  if (last == 1) return "st";
  if (last == 2) return "nd";
  if (last == 3) return "rd";
  return "th";
}

std::string Letters(long v, char base) {
  std::string out;
  while (v > 0) {
    --v;
    out.insert(out.begin(), static_cast<char>(base + v % 26));
    v /= 26;
  }
  return out;
}

struct DecimalPicture {
  int family = 0x30;
  int min_digits = 0;
  std::vector<std::pair<int, std::string>> separators;  // position from the right, text
  bool regular = false;
};

DecimalPicture ParseDecimalPicture(const std::u32string& p) {
  DecimalPicture d;
  int family = -1;
  int digits_right = 0;
  std::vector<std::pair<int, std::string>> seps;
  for (auto it = p.rbegin(); it != p.rend(); ++it) {
    char32_t c = *it;
    int f = DigitFamily(c);
    if (f >= 0) {
      if (family >= 0 && f != family) ThrowAt("D3131", -1);
      family = f;
      ++d.min_digits;
      ++digits_right;
    } else if (c == '#') {
      ++digits_right;
    } else {
      seps.emplace_back(digits_right, FromU32(std::u32string(1, c)));
    }
  }
  d.family = family < 0 ? 0x30 : family;
  d.separators = seps;
  if (!seps.empty()) {
    bool regular = true;
    int first = seps[0].first;
    for (size_t i = 0; i < seps.size(); ++i) {
      if (seps[i].second != seps[0].second || seps[i].first != first * static_cast<int>(i + 1))
        regular = false;
    }
    d.regular = regular && first > 0;
  }
  return d;
}

std::string FormatDecimal(double value, const std::u32string& pic) {
  DecimalPicture d = ParseDecimalPicture(pic);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.0f", std::fabs(value));
  std::string digits = buf;
  while (static_cast<int>(digits.size()) < d.min_digits) digits.insert(digits.begin(), '0');
  std::u32string out;
  int n = static_cast<int>(digits.size());
  for (int i = 0; i < n; ++i) {
    int from_right = n - i;
    if (i > 0) {
      if (d.regular) {
        if (from_right % d.separators[0].first == 0) {
          for (char32_t c : ToU32(d.separators[0].second)) out += c;
        }
      } else {
        for (const auto& [pos, text] : d.separators) {
          if (pos == from_right) {
            for (char32_t c : ToU32(text)) out += c;
          }
        }
      }
    }
    out += static_cast<char32_t>(d.family + (digits[i] - '0'));
  }
  return FromU32(out);
}

bool IsDecimalPicture(const std::u32string& p) {
  bool any = false;
  for (char32_t c : p) {
    if (DigitFamily(c) >= 0) any = true;
  }
  return any;
}

}  // namespace

// Roman numerals grow by one 'M' per thousand: above this the text would be
// gigabytes (jsonata-js runs out of string length), so it is D1001 instead.
constexpr double kMaxRomanValue = 1e9;

std::string ToRoman(long value) {
  static const std::pair<int, const char*> kRoman[] = {
      {1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"}, {100, "c"}, {90, "xc"}, {50, "l"},
      {40, "xl"},  {10, "x"},   {9, "ix"},  {5, "v"},    {4, "iv"},  {1, "i"}};
  std::string out;
  for (const auto& [v, s] : kRoman) {
    while (value >= v) {
      out += s;
      value -= v;
    }
  }
  return out;
}

std::string NumberToWords(double value, bool ordinal) {
  std::string words = value == 0 ? "zero" : Lookup(std::fabs(value), false, false);
  if (ordinal) {
    size_t cut = words.find_last_of(" -");
    std::string head = cut == std::string::npos ? "" : words.substr(0, cut + 1);
    std::string last = cut == std::string::npos ? words : words.substr(cut + 1);
    words = head + OrdinalWord(last);
  }
  if (value < 0) words = "minus " + words;
  return words;
}

std::string FormatInteger(double value, const std::string& picture) {
  std::string primary = picture, modifier;
  size_t semi = picture.rfind(';');
  if (semi != std::string::npos && semi > 0) {
    primary = picture.substr(0, semi);
    modifier = picture.substr(semi + 1);
  }
  bool ordinal = modifier.find('o') != std::string::npos;
  value = std::floor(value);
  std::string sign = value < 0 ? "-" : "";
  // Letters, roman numerals and ordinal suffixes only look at magnitudes a
  // long holds; larger ones are clamped instead of overflowing the cast.
  constexpr double kMaxLong = 9.2e18;
  long iv = static_cast<long>(std::min(std::fabs(value), kMaxLong));
  if (primary == "A" || primary == "a") return sign + Letters(iv, primary[0]);
  if (primary == "I" || primary == "i") {
    if (std::fabs(value) > kMaxRomanValue) {
      ErrorArgs e;
      e.value = Value::Number(value);
      e.has_value = true;
      Throw("D1001", e);
    }
    std::string r = ToRoman(iv);
    if (primary == "I") {
      for (auto& c : r) c = static_cast<char>(std::toupper(c));
    }
    return sign + r;
  }
  if (primary == "w" || primary == "W" || primary == "Ww") {
    std::string w = NumberToWords(value, ordinal);
    if (primary == "W") {
      for (auto& c : w) c = static_cast<char>(std::toupper(c));
    } else if (primary == "Ww") {
      bool start = true;
      size_t i = 0;
      while (i < w.size()) {
        if (start && w.compare(i, 4, "and ") != 0) w[i] = static_cast<char>(std::toupper(w[i]));
        start = w[i] == ' ' || w[i] == '-';
        ++i;
      }
    }
    return w;
  }
  std::u32string pic = ToU32(primary);
  if (!IsDecimalPicture(pic)) {
    ErrorArgs e;
    e.value = Value::String(primary);
    e.has_value = true;
    Throw("D3130", e);
  }
  std::string out = sign + FormatDecimal(value, pic);
  if (ordinal) out += OrdinalSuffix(iv);
  return out;
}

std::optional<double> ParseInteger(const std::string& text, const std::string& picture) {
  std::string primary = picture, modifier;
  size_t semi = picture.rfind(';');
  if (semi != std::string::npos && semi > 0) {
    primary = picture.substr(0, semi);
    modifier = picture.substr(semi + 1);
  }
  bool ordinal = modifier.find('o') != std::string::npos;
  if (primary == "A" || primary == "a") {
    double v = 0;
    for (char c : text) {
      char base = std::isupper(static_cast<unsigned char>(c)) ? 'A' : 'a';
      if (!std::isalpha(static_cast<unsigned char>(c))) return std::nullopt;
      v = v * 26 + (c - base + 1);
    }
    return v;
  }
  if (primary == "I" || primary == "i") {
    static const std::map<char, int> kVal = {{'i', 1},   {'v', 5},   {'x', 10},  {'l', 50},
                                             {'c', 100}, {'d', 500}, {'m', 1000}};
    double v = 0;
    for (size_t i = 0; i < text.size(); ++i) {
      auto it = kVal.find(static_cast<char>(std::tolower(text[i])));
      if (it == kVal.end()) return std::nullopt;
      int cur = it->second;
      int next = 0;
      if (i + 1 < text.size()) {
        auto n = kVal.find(static_cast<char>(std::tolower(text[i + 1])));
        if (n != kVal.end()) next = n->second;
      }
      v += cur < next ? -cur : cur;
    }
    return v;
  }
  if (primary == "w" || primary == "W" || primary == "Ww") {
    std::map<std::string, double> values;
    for (int i = 0; i < 20; ++i) {
      values[kFew[i]] = i;
      values[kOrdFew[i]] = i;
    }
    for (int i = 0; i < 8; ++i) {
      values[kDecades[i]] = (i + 2) * 10;
      values[kOrdDecades[i]] = (i + 2) * 10;
    }
    values["hundred"] = values["hundredth"] = 100;
    double mag = 1000;
    for (const char* m : kMagnitudes) {
      values[m] = mag;
      values[std::string(m) + "th"] = mag;
      mag *= 1000;
    }
    std::string lower;
    for (char c : text) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    double total = 0, current = 0;
    std::string word;
    auto flush = [&]() -> bool {
      if (word.empty() || word == "and") {
        word.clear();
        return true;
      }
      auto it = values.find(word);
      word.clear();
      if (it == values.end()) return false;
      double v = it->second;
      if (v == 100) {
        current = (current == 0 ? 1 : current) * 100;
      } else if (v >= 1000) {
        if (current == 0) {
          total *= v;
        } else {
          total += current * v;
        }
        current = 0;
      } else {
        current += v;
      }
      return true;
    };
    for (char c : lower) {
      if (c == ' ' || c == '-' || c == ',') {
        if (!flush()) return std::nullopt;
      } else {
        word += c;
      }
    }
    if (!flush()) return std::nullopt;
    return total + current;
  }
  std::u32string pic = ToU32(primary);
  if (!IsDecimalPicture(pic)) {
    ErrorArgs e;
    e.value = Value::String(primary);
    e.has_value = true;
    Throw("D3130", e);
  }
  DecimalPicture d = ParseDecimalPicture(pic);
  std::u32string t = ToU32(text);
  if (ordinal && t.size() >= 2) t.resize(t.size() - 2);
  double v = 0;
  bool any = false;
  for (char32_t c : t) {
    int f = DigitFamily(c);
    if (f >= 0) {
      v = v * 10 + (c - f);
      any = true;
    } else if (c == '-' && !any) {
      continue;
    }
  }
  if (!any) return std::nullopt;
  if (!t.empty() && t[0] == '-') v = -v;
  (void)d;
  return v;
}

}  // namespace stepline::jsonata
