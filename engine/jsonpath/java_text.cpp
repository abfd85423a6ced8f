#include "engine/jsonpath/java_text.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace stepline::jsonpath {
namespace {

// Shortest round-trip digits of |value| and its decimal exponent, so that
// |value| = 0.d1d2d3... * 10^(exponent+1) = d1.d2d3... * 10^exponent.
void ShortestDigits(double value, std::string* digits, int* exponent) {
  char buf[64];
  auto [end, ec] =
      std::to_chars(buf, buf + sizeof buf, std::fabs(value), std::chars_format::scientific);
  std::string text(buf, end);  // e.g. "1.2345e+07"
  size_t e = text.find('e');
  *exponent = std::stoi(text.substr(e + 1));
  digits->clear();
  for (size_t i = 0; i < e; ++i) {
    if (text[i] != '.') digits->push_back(text[i]);
  }
}

void AppendEscaped(const std::string& s, std::string* out) {
  out->push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        *out += "\\\"";
        break;
      case '\\':
        *out += "\\\\";
        break;
      case '\n':
        *out += "\\n";
        break;
      case '\r':
        *out += "\\r";
        break;
      case '\t':
        *out += "\\t";
        break;
      case '\b':
        *out += "\\b";
        break;
      case '\f':
        *out += "\\f";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04X", c);
          *out += buf;
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
  }
  out->push_back('"');
}

std::string NumberText(const Json& value) {
  if (value.is_number_float()) return JavaDouble(value.get<double>());
  return value.dump();
}

void AppendJackson(const Json& value, std::string* out) {
  switch (value.type()) {
    case Json::value_t::object: {
      out->push_back('{');
      bool first = true;
      for (const auto& [key, child] : value.items()) {
        if (!first) out->push_back(',');
        first = false;
        AppendEscaped(key, out);
        out->push_back(':');
        AppendJackson(child, out);
      }
      out->push_back('}');
      return;
    }
    case Json::value_t::array: {
      out->push_back('[');
      for (size_t i = 0; i < value.size(); ++i) {
        if (i) out->push_back(',');
        AppendJackson(value[i], out);
      }
      out->push_back(']');
      return;
    }
    case Json::value_t::string:
      AppendEscaped(value.get_ref<const std::string&>(), out);
      return;
    case Json::value_t::number_float:
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
      *out += NumberText(value);
      return;
    default:
      *out += value.dump();
  }
}

void AppendJava(const Json& value, std::string* out) {
  switch (value.type()) {
    case Json::value_t::object: {
      out->push_back('{');
      bool first = true;
      for (const auto& [key, child] : value.items()) {
        if (!first) *out += ", ";
        first = false;
        *out += key + "=";
        AppendJava(child, out);
      }
      out->push_back('}');
      return;
    }
    case Json::value_t::array: {
      out->push_back('[');
      for (size_t i = 0; i < value.size(); ++i) {
        if (i) *out += ", ";
        AppendJava(value[i], out);
      }
      out->push_back(']');
      return;
    }
    case Json::value_t::string:
      *out += value.get_ref<const std::string&>();
      return;
    default:
      AppendJackson(value, out);
  }
}

}  // namespace

std::string JavaDouble(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  if (value == 0) return std::signbit(value) ? "-0.0" : "0.0";
  std::string digits;
  int exponent = 0;
  ShortestDigits(value, &digits, &exponent);
  std::string out = value < 0 ? "-" : "";
  double magnitude = std::fabs(value);
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    if (exponent < 0) {
      out += "0." + std::string(static_cast<size_t>(-exponent - 1), '0') + digits;
      return out;
    }
    size_t int_len = static_cast<size_t>(exponent) + 1;
    if (digits.size() <= int_len) {
      return out + digits + std::string(int_len - digits.size(), '0') + ".0";
    }
    return out + digits.substr(0, int_len) + "." + digits.substr(int_len);
  }
  out += digits.substr(0, 1) + "." + (digits.size() > 1 ? digits.substr(1) : "0");
  return out + "E" + std::to_string(exponent);
}

std::string JacksonJson(const Json& value) {
  std::string out;
  AppendJackson(value, &out);
  return out;
}

std::string JavaToString(const Json& value) {
  std::string out;
  AppendJava(value, &out);
  return out;
}

}  // namespace stepline::jsonpath
