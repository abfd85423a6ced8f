// String built-ins: $string, $substring*, case, $length, $trim, $pad,
// $contains, $split, $join, $match, $replace, base64 and URL coding.
#include <openssl/evp.h>

#include <cmath>
#include <cstdio>

#include "common/utf8.h"
#include "engine/jsonata/builtins.h"
#include "engine/jsonata/errors.h"
#include "engine/jsonata/regex.h"

namespace stepline::jsonata {

void ThrowMessage(const std::string& code, const std::string& message) {
  ErrorArgs a;
  a.message = message;
  Throw(code, a);
}

namespace {

void JsonQuote(std::string& out, const std::string& s) {
  out += '"';
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

void StringifyInto(std::string& out, const Value& v, bool pretty, bool exact_integers, int indent) {
  CheckNesting(indent);
  auto newline = [&](int level) {
    if (!pretty) return;
    out += '\n';
    out.append(static_cast<size_t>(level) * 2, ' ');
  };
  switch (v.kind()) {
    case Kind::kUndefined:
    case Kind::kNull:
      out += "null";
      return;
    case Kind::kBool:
      out += v.boolean() ? "true" : "false";
      return;
    case Kind::kNumber:
      if (!std::isfinite(v.number())) ThrowValue("D1001", -1, v);
      out += NumberToJsonata(v.number(), exact_integers);
      return;
    case Kind::kString:
      JsonQuote(out, v.str());
      return;
    case Kind::kFunction:
      out += "\"\"";
      return;
    case Kind::kArray: {
      const auto& items = v.arr().items;
      if (items.empty()) {
        out += "[]";
        return;
      }
      out += '[';
      bool first = true;
      for (const auto& e : items) {
        if (!first) out += ',';
        first = false;
        newline(indent + 1);
        if (e.undefined()) {
          out += "null";
        } else {
          StringifyInto(out, e, pretty, exact_integers, indent + 1);
        }
      }
      newline(indent);
      out += ']';
      return;
    }
    case Kind::kObject: {
      bool first = true;
      out += '{';
      for (const auto& [k, e] : v.obj().items) {
        if (e.undefined()) continue;
        if (!first) out += ',';
        first = false;
        newline(indent + 1);
        JsonQuote(out, k);
        out += pretty ? ": " : ":";
        StringifyInto(out, e, pretty, exact_integers, indent + 1);
      }
      if (!first) newline(indent);
      out += '}';
      return;
    }
  }
}

const Value kUndef;

Value Str(std::string s) { return Value::String(std::move(s)); }

// JS-style integer conversion of a numeric argument.
long ToInt(const Value& v) { return static_cast<long>(std::trunc(v.number())); }

std::u32string Slice(const std::u32string& s, long start, long end) {
  long n = static_cast<long>(s.size());
  if (start < 0) start = std::max(0L, n + start);
  if (end < 0) end = std::max(0L, n + end);
  start = std::min(start, n);
  end = std::min(end, n);
  if (end <= start) return U"";
  return s.substr(start, end - start);
}

Value FnString(CallCtx& ctx, std::vector<Value>& a) {
  if (a[0].undefined()) return kUndef;
  return Str(StringOf(a[0], Truthy(Arg(a, 1)), ctx.ev.version()));
}

Value FnSubstring(CallCtx&, std::vector<Value>& a) {
  if (a[0].undefined()) return kUndef;
  std::u32string s = ToU32(a[0].str());
  long n = static_cast<long>(s.size());
  long start = ToInt(a[1]);
  if (n + start < 0) start = 0;
  if (!Arg(a, 2).undefined()) {
    long len = ToInt(a[2]);
    if (len <= 0) return Str("");
    long end = start >= 0 ? start + len : n + start + len;
    return Str(FromU32(Slice(s, start, end)));
  }
  return Str(FromU32(Slice(s, start, n)));
}

Value FnSubstringBefore(CallCtx&, std::vector<Value>& a) {
  if (a[0].undefined()) return kUndef;
  if (a[1].undefined()) return a[0];
  size_t pos = a[0].str().find(a[1].str());
  return pos == std::string::npos ? a[0] : Str(a[0].str().substr(0, pos));
}

Value FnSubstringAfter(CallCtx&, std::vector<Value>& a) {
  if (a[0].undefined()) return kUndef;
  if (a[1].undefined()) return a[0];
  size_t pos = a[0].str().find(a[1].str());
  return pos == std::string::npos ? a[0] : Str(a[0].str().substr(pos + a[1].str().size()));
}

Value FnLowercase(CallCtx&, std::vector<Value>& a) {
  if (a[0].undefined()) return kUndef;
  std::u32string s = ToU32(a[0].str());
  for (auto& c : s) {
    if (c < 128)
      c = std::tolower(static_cast<int>(c));
    else if ((c >= 0xC0 && c <= 0xDE && c != 0xD7) || (c >= 0x391 && c <= 0x3A9) ||
             (c >= 0x410 && c <= 0x42F))
      c += 32;
  }
  return Str(FromU32(s));
}

Value FnUppercase(CallCtx&, std::vector<Value>& a) {
  if (a[0].undefined()) return kUndef;
  std::u32string s = ToU32(a[0].str());
  for (auto& c : s) {
    if (c < 128)
      c = std::toupper(static_cast<int>(c));
    else if ((c >= 0xE0 && c <= 0xFE && c != 0xF7) || (c >= 0x3B1 && c <= 0x3C9 && c != 0x3C2) ||
             (c >= 0x430 && c <= 0x44F))
      c -= 32;
  }
  return Str(FromU32(s));
}

Value FnLength(CallCtx&, std::vector<Value>& a) {
  if (a[0].undefined()) return kUndef;
  return Value::Number(static_cast<double>(CodePointCount(a[0].str())));
}

Value FnTrim(CallCtx&, std::vector<Value>& a) {
  if (a[0].undefined()) return kUndef;
  std::string out;
  bool space = false;
  for (char c : a[0].str()) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = true;
    } else {
      if (space && !out.empty()) out += ' ';
      space = false;
      out += c;
    }
  }
  return Str(out);
}

Value FnPad(CallCtx&, std::vector<Value>& a) {
  if (a[0].undefined()) return kUndef;
  std::u32string pad = Arg(a, 2).undefined() || a[2].str().empty() ? U" " : ToU32(a[2].str());
  double width = a[1].number();
  long len = static_cast<long>(CodePointCount(a[0].str()));
  long pad_len = static_cast<long>(std::fabs(width)) - len;
  if (pad_len <= 0) return a[0];
  std::u32string padding;
  while (static_cast<long>(padding.size()) < pad_len) padding += pad;
  padding.resize(pad_len);
  return Str(width > 0 ? a[0].str() + FromU32(padding) : FromU32(padding) + a[0].str());
}

const Regex* AsRegex(const Value& v) {
  if (v.is_function() && v.fn().type == FunctionNode::Type::kRegex) return v.fn().regex.get();
  return nullptr;
}

// Matches of a regex or a custom matcher function, as byte offsets.
struct MatchInfo {
  size_t start, end;
  Value object;
};

std::vector<MatchInfo> AllMatches(CallCtx& ctx, const std::string& s, const Value& matcher,
                                  size_t limit) {
  std::vector<MatchInfo> out;
  if (const Regex* re = AsRegex(matcher)) {
    size_t counted_bytes = 0, counted_points = 0;  // incremental code point index
    for (const auto& m : re->SearchAll(s, limit)) {
      if (m.end == m.start) ThrowAt("D1004", ctx.position, re->pattern());
      counted_points +=
          CodePointCount(std::string_view(s).substr(counted_bytes, m.start - counted_bytes));
      counted_bytes = m.start;
      auto obj = NewObject();
      obj->Set("match", Str(s.substr(m.start, m.end - m.start)));
      obj->Set("index", Value::Number(static_cast<double>(counted_points)));
      auto groups = NewArray();
      for (const auto& g : m.groups) {
        groups->items.push_back(Str(g ? s.substr(g->first, g->second - g->first) : ""));
      }
      obj->Set("groups", Value::Array(groups));
      out.push_back({m.start, m.end, Value::Object(obj)});
    }
    return out;
  }
  // A user matcher: returns {match, start, end, groups, next}.
  Value m = ctx.ev.Apply(matcher, {Str(s)}, ctx.input, ctx.env);
  std::u32string u = ToU32(s);
  while (!m.undefined() && out.size() < limit) {
    if (!m.is_object() || !m.obj().Find("start") || !m.obj().Find("end") ||
        !m.obj().Find("match")) {
      ThrowAt("T1010", ctx.position);
    }
    long st = static_cast<long>(m.obj().Find("start")->number());
    long en = static_cast<long>(m.obj().Find("end")->number());
    size_t bs = FromU32(u.substr(0, std::max(0L, st))).size();
    size_t be = FromU32(u.substr(0, std::max(0L, en))).size();
    auto shaped = NewObject();
    shaped->Set("match", *m.obj().Find("match"));
    shaped->Set("index", *m.obj().Find("start"));
    const Value* groups = m.obj().Find("groups");
    shaped->Set("groups", groups ? *groups : Value::Array(NewArray()));
    out.push_back({bs, be, Value::Object(shaped)});
    const Value* next = m.obj().Find("next");
    if (!next || !next->is_function()) break;
    m = ctx.ev.Apply(*next, {}, ctx.input, ctx.env);
  }
  return out;
}

Value FnContains(CallCtx& ctx, std::vector<Value>& a) {
  if (a[0].undefined()) return kUndef;
  if (a[1].undefined() && ctx.ev.version() >= Version::k2_2) return kUndef;
  if (a[1].is_string()) return Value::Bool(a[0].str().find(a[1].str()) != std::string::npos);
  return Value::Bool(!AllMatches(ctx, a[0].str(), a[1], 1).empty());
}

Value FnSplit(CallCtx& ctx, std::vector<Value>& a) {
  if (a[0].undefined()) return kUndef;
  const std::string& s = a[0].str();
  size_t limit = SIZE_MAX;
  if (!Arg(a, 2).undefined()) {
    if (a[2].number() < 0) ThrowAt("D3020", ctx.position);
    limit = static_cast<size_t>(a[2].number());
  }
  auto out = NewArray();
  if (a[1].is_string()) {
    const std::string& sep = a[1].str();
    if (sep.empty()) {
      for (char32_t c : ToU32(s)) {
        if (out->items.size() >= limit) break;
        out->items.push_back(Str(FromU32(std::u32string(1, c))));
      }
    } else {
      size_t pos = 0;
      while (out->items.size() < limit) {
        size_t f = s.find(sep, pos);
        if (f == std::string::npos) {
          out->items.push_back(Str(s.substr(pos)));
          break;
        }
        out->items.push_back(Str(s.substr(pos, f - pos)));
        pos = f + sep.size();
      }
    }
    return Value::Array(out);
  }
  auto matches = AllMatches(ctx, s, a[1], limit);
  size_t start = 0;
  for (const auto& m : matches) {
    out->items.push_back(Str(s.substr(start, m.start - start)));
    start = m.end;
  }
  if (matches.size() < limit) out->items.push_back(Str(s.substr(start)));
  return Value::Array(out);
}

Value FnJoin(CallCtx&, std::vector<Value>& a) {
  if (a[0].undefined()) return kUndef;
  std::string sep = Arg(a, 1).undefined() ? "" : a[1].str();
  std::string out;
  bool first = true;
  for (const auto& e : a[0].arr().items) {
    if (!first) out += sep;
    first = false;
    out += e.str();
  }
  return Str(out);
}

Value FnMatch(CallCtx& ctx, std::vector<Value>& a) {
  if (a[0].undefined()) return kUndef;
  size_t limit = SIZE_MAX;
  if (!Arg(a, 2).undefined()) {
    if (a[2].number() < 0) ThrowAt("D3040", ctx.position);
    limit = static_cast<size_t>(a[2].number());
  }
  auto out = NewArray(true);
  for (auto& m : AllMatches(ctx, a[0].str(), a[1], limit)) out->items.push_back(m.object);
  return Value::Array(out);
}

std::string SubstituteGroups(const std::string& repl, const Value& match) {
  const Value* groups_v = match.obj().Find("groups");
  std::vector<Value> groups;
  if (groups_v && groups_v->is_array()) groups = groups_v->arr().items;
  const Value* whole = match.obj().Find("match");
  std::string out;
  size_t pos = 0;
  while (pos < repl.size()) {
    size_t idx = repl.find('$', pos);
    if (idx == std::string::npos) break;
    out += repl.substr(pos, idx - pos);
    pos = idx + 1;
    char c = pos < repl.size() ? repl[pos] : 0;
    if (c == '$') {
      out += '$';
      ++pos;
    } else if (c == '0') {
      if (whole && whole->is_string()) out += whole->str();
      ++pos;
    } else {
      size_t max_digits =
          groups.empty() ? 1 : static_cast<size_t>(std::floor(std::log10(groups.size()))) + 1;
      auto parse = [&](size_t digits, size_t& used) -> long {
        long v = 0;
        used = 0;
        while (used < digits && pos + used < repl.size() &&
               std::isdigit(static_cast<unsigned char>(repl[pos + used]))) {
          v = v * 10 + (repl[pos + used] - '0');
          ++used;
        }
        return used == 0 ? -1 : v;
      };
      size_t used;
      long index = parse(max_digits, used);
      if (max_digits > 1 && index > static_cast<long>(groups.size()))
        index = parse(max_digits - 1, used);
      if (index >= 0) {
        if (!groups.empty() && index >= 1 && index <= static_cast<long>(groups.size()) &&
            groups[index - 1].is_string()) {
          out += groups[index - 1].str();
        }
        pos += std::to_string(index).size();
      } else {
        out += '$';
      }
    }
  }
  out += repl.substr(std::min(pos, repl.size()));
  return out;
}

Value FnReplace(CallCtx& ctx, std::vector<Value>& a) {
  if (a[0].undefined()) return kUndef;
  const std::string& s = a[0].str();
  if (a[1].is_string() && a[1].str().empty()) ThrowAt("D3010", ctx.position);
  size_t limit = SIZE_MAX;
  if (!Arg(a, 3).undefined()) {
    if (a[3].number() < 0) ThrowAt("D3011", ctx.position);
    limit = static_cast<size_t>(a[3].number());
  }
  std::string out;
  size_t pos = 0;
  if (a[1].is_string()) {
    const std::string& pat = a[1].str();
    size_t count = 0;
    while (count < limit) {
      size_t f = s.find(pat, pos);
      if (f == std::string::npos) break;
      out += s.substr(pos, f - pos);
      out += a[2].is_string() ? a[2].str() : "";
      pos = f + pat.size();
      ++count;
    }
    return Str(out + s.substr(pos));
  }
  for (auto& m : AllMatches(ctx, s, a[1], limit)) {
    out += s.substr(pos, m.start - pos);
    if (a[2].is_string()) {
      out += SubstituteGroups(a[2].str(), m.object);
    } else {
      Value r = ctx.ev.Apply(a[2], {m.object}, ctx.input, ctx.env);
      if (!r.is_string()) ThrowValue("D3012", ctx.position, r);
      out += r.str();
    }
    pos = m.end;
  }
  return Str(out + s.substr(pos));
}

Value FnBase64Encode(CallCtx&, std::vector<Value>& a) {
  if (a[0].undefined()) return kUndef;
  const std::string& s = a[0].str();
  std::string out(4 * ((s.size() + 2) / 3) + 1, '\0');
  int n =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                      reinterpret_cast<const unsigned char*>(s.data()), static_cast<int>(s.size()));
  out.resize(n);
  return Str(out);
}

Value FnBase64Decode(CallCtx&, std::vector<Value>& a) {
  if (a[0].undefined()) return kUndef;
  std::string s;
  for (char c : a[0].str()) {
    if (!std::isspace(static_cast<unsigned char>(c))) s += c;
  }
  while (s.size() % 4) s += '=';
  std::string out(3 * s.size() / 4 + 1, '\0');
  int n =
      EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                      reinterpret_cast<const unsigned char*>(s.data()), static_cast<int>(s.size()));
  if (n < 0) return Str("");
  size_t pad = 0;
  for (size_t i = s.size(); i > 0 && s[i - 1] == '='; --i) ++pad;
  out.resize(static_cast<size_t>(n) - std::min<size_t>(pad, n));
  return Str(ToWellFormedUtf8(out));
}

std::string PercentEncode(const std::string& s, const char* keep) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || std::strchr(keep, c)) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

Value PercentDecode(CallCtx& ctx, const std::string& s, const char* reserved, const char* fname) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    auto hex = [](char c) {
      return std::isxdigit(static_cast<unsigned char>(c))
                 ? (std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
                                                                : (std::tolower(c) - 'a' + 10))
                 : -1;
    };
    if (i + 2 >= s.size() + 0 || hex(s[i + 1]) < 0 || hex(s[i + 2]) < 0) {
      ErrorArgs e;
      e.position = ctx.position;
      e.function_name = fname;
      e.value = Str(s);
      e.has_value = true;
      Throw("D3140", e);
    }
    char c = static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
    if (std::strchr(reserved, c) && c != 0) {
      out += s.substr(i, 3);
    } else {
      out += c;
    }
    i += 2;
  }
  if (!IsWellFormedUtf8(out)) {  // decodeURIComponent throws URIError
    ErrorArgs e;
    e.position = ctx.position;
    e.function_name = fname;
    e.value = Str(s);
    e.has_value = true;
    Throw("D3140", e);
  }
  return Str(out);
}

Value FnEncodeUrlComponent(CallCtx&, std::vector<Value>& a) {
  if (a[0].undefined()) return kUndef;
  return Str(PercentEncode(a[0].str(), "-_.!~*'()"));
}
Value FnEncodeUrl(CallCtx&, std::vector<Value>& a) {
  if (a[0].undefined()) return kUndef;
  return Str(PercentEncode(a[0].str(), "-_.!~*'();/?:@&=+$,#"));
}
Value FnDecodeUrlComponent(CallCtx& ctx, std::vector<Value>& a) {
  if (a[0].undefined()) return kUndef;
  return PercentDecode(ctx, a[0].str(), "", "decodeUrlComponent");
}
Value FnDecodeUrl(CallCtx& ctx, std::vector<Value>& a) {
  if (a[0].undefined()) return kUndef;
  return PercentDecode(ctx, a[0].str(), ";/?:@&=+$,#", "decodeUrl");
}

}  // namespace

std::string Stringify(const Value& v, bool pretty, Version version) {
  std::string out;
  StringifyInto(out, v, pretty, version >= Version::k2_2, 0);
  return out;
}

std::string StringOf(const Value& v, bool pretty, Version version) {
  if (v.is_string()) return v.str();
  if (v.is_function()) return "";
  if (v.is_number() && !std::isfinite(v.number())) ThrowValue("D3001", -1, v);
  return Stringify(v, pretty, version);
}

void AddStringFunctions(BuiltinList& out) {
  out.push_back({"string", "<x-b?:s>", FnString});
  out.push_back({"substring", "<s-nn?:s>", FnSubstring});
  out.push_back({"substringBefore", "<s-s:s>", FnSubstringBefore});
  out.push_back({"substringAfter", "<s-s:s>", FnSubstringAfter});
  out.push_back({"lowercase", "<s-:s>", FnLowercase});
  out.push_back({"uppercase", "<s-:s>", FnUppercase});
  out.push_back({"length", "<s-:n>", FnLength});
  out.push_back({"trim", "<s-:s>", FnTrim});
  out.push_back({"pad", "<s-ns?:s>", FnPad});
  out.push_back({"match", "<s-f<s:o>n?:a<o>>", FnMatch});
  out.push_back({"contains", "<s-(sf):b>", FnContains});
  out.push_back({"replace", "<s-(sf)(sf)n?:s>", FnReplace});
  out.push_back({"split", "<s-(sf)n?:a<s>>", FnSplit});
  out.push_back({"join", "<a<s>s?:s>", FnJoin});
  out.push_back({"base64encode", "<s-:s>", FnBase64Encode});
  out.push_back({"base64decode", "<s-:s>", FnBase64Decode});
  out.push_back({"encodeUrlComponent", "<s-:s>", FnEncodeUrlComponent});
  out.push_back({"encodeUrl", "<s-:s>", FnEncodeUrl});
  out.push_back({"decodeUrlComponent", "<s-:s>", FnDecodeUrlComponent});
  out.push_back({"decodeUrl", "<s-:s>", FnDecodeUrl});
}

}  // namespace stepline::jsonata
