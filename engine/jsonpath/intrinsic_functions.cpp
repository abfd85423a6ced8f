// The 18 intrinsic functions and their signature table.
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <climits>
#include <cmath>
#include <cstdint>
#include <random>

#include "common/limits.h"
#include "common/utf8.h"
#include "engine/jsonpath/intrinsics.h"
#include "engine/jsonpath/java_text.h"
#include "engine/states_error.h"

namespace stepline::jsonpath {

// Input limits AWS documents for the encoding and hashing functions.
inline constexpr size_t kMaxBase64InputChars = 10000;
inline constexpr size_t kMaxHashInputChars = 10000;

namespace {

using Args = std::vector<Json>;

[[noreturn]] void Fail(const IntrinsicCall& call, const std::string& what) {
  throw StatesException(errors::kIntrinsicFailure,
                        "Invalid arguments in " + std::string(call.function->name) + ": " + what);
}

std::string TypeName(const Json& v) {
  switch (v.type()) {
    case Json::value_t::null:
      return "null";
    case Json::value_t::object:
      return "an object";
    case Json::value_t::array:
      return "an array";
    case Json::value_t::string:
      return "a string";
    case Json::value_t::boolean:
      return "a boolean";
    default:
      return "a number";
  }
}

const Json& Expect(const IntrinsicCall& call, const Json& v, Json::value_t type, size_t i,
                   const char* what) {
  bool ok = v.type() == type || (type == Json::value_t::number_float && v.is_number());
  if (!ok) {
    Fail(call, "argument " + std::to_string(i + 1) + " must be " + what + ", got " + TypeName(v));
  }
  return v;
}

const std::string& ExpectString(const IntrinsicCall& call, const Json& v, size_t i) {
  return Expect(call, v, Json::value_t::string, i, "a string").get_ref<const std::string&>();
}

const Json& ExpectArray(const IntrinsicCall& call, const Json& v, size_t i) {
  return Expect(call, v, Json::value_t::array, i, "an array");
}

// An integer argument; integral floats (3.0) are accepted.
int64_t ExpectInteger(const IntrinsicCall& call, const Json& v, size_t i) {
  if (v.is_number_integer()) {
    if (v.is_number_unsigned() && v.get<uint64_t>() > INT64_MAX) Fail(call, "integer too large");
    return v.get<int64_t>();
  }
  if (v.is_number_float()) {
    double d = v.get<double>();
    if (std::trunc(d) == d && std::fabs(d) < 9e18) return static_cast<int64_t>(d);
  }
  Fail(call, "argument " + std::to_string(i + 1) + " must be an integer, got " +
                 (v.is_number() ? v.dump() : TypeName(v)));
}

// Java's Math.round: half up towards positive infinity.
int64_t JavaRound(const IntrinsicCall& call, const Json& v, size_t i) {
  if (v.is_number_integer()) return ExpectInteger(call, v, i);
  double d = Expect(call, v, Json::value_t::number_float, i, "a number").get<double>();
  if (!std::isfinite(d) || std::fabs(d) > 9e18) Fail(call, "number out of range");
  return static_cast<int64_t>(std::floor(d + 0.5));
}

bool NumericEqual(const Json& a, const Json& b);

bool DeepEqual(const Json& a, const Json& b) {
  if (a.is_number() && b.is_number()) return NumericEqual(a, b);
  if (a.type() != b.type()) return false;
  if (a.is_array()) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
      if (!DeepEqual(a[i], b[i])) return false;
    }
    return true;
  }
  if (a.is_object()) {
    if (a.size() != b.size()) return false;
    for (const auto& [key, value] : a.items()) {
      auto it = b.find(key);
      if (it == b.end() || !DeepEqual(value, *it)) return false;
    }
    return true;
  }
  return a == b;
}

// Jackson's node equality is type-strict: 1 and 1.0 differ, 1 and 1 (long) do not.
bool NumericEqual(const Json& a, const Json& b) {
  if (a.is_number_float() != b.is_number_float()) return false;
  return a == b;
}

// --- generic ---

// Splits a States.Format template into literal pieces around "{}" holes,
// honouring the \{ \} \\ \' escapes of a literal template's raw text.
std::vector<std::string> FormatPieces(const std::string& text, bool escapes) {
  std::vector<std::string> pieces(1);
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (escapes && c == '\\' && i + 1 < text.size() &&
        std::string_view("{}\\'").find(text[i + 1]) != std::string_view::npos) {
      pieces.back().push_back(text[++i]);
    } else if (c == '{' && i + 1 < text.size() && text[i + 1] == '}') {
      pieces.emplace_back();
      ++i;
    } else {
      pieces.back().push_back(c);
    }
  }
  return pieces;
}

Json Format(const IntrinsicCall& call, Args& args) {
  const std::string& text = ExpectString(call, args[0], 0);
  const IntrinsicArg& first = call.args[0];
  bool literal = first.kind == IntrinsicArg::Kind::kLiteral;
  std::vector<std::string> pieces = FormatPieces(literal ? first.raw : text, literal);
  if (pieces.size() - 1 != args.size() - 1) {
    Fail(call, "the template has " + std::to_string(pieces.size() - 1) + " placeholder(s) but " +
                   std::to_string(args.size() - 1) + " value(s) were given");
  }
  std::string out = pieces[0];
  for (size_t i = 1; i < pieces.size(); ++i) out += JavaToString(args[i]) + pieces[i];
  return out;
}

Json StringToJson(const IntrinsicCall& call, Args& args) {
  const std::string& text = ExpectString(call, args[0], 0);
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) return nullptr;
  auto parsed = ParseJson(text);
  if (!parsed.ok()) Fail(call, "the string is not valid JSON: " + parsed.status().message());
  return std::move(parsed).value();
}

Json JsonToString(const IntrinsicCall&, Args& args) { return JacksonJson(args[0]); }

// --- arrays ---

Json Array(const IntrinsicCall&, Args& args) {
  Json out = Json::array();
  for (Json& v : args) out.push_back(std::move(v));
  return out;
}

Json ArrayPartition(const IntrinsicCall& call, Args& args) {
  const Json& array = ExpectArray(call, args[0], 0);
  int64_t size = ExpectInteger(call, args[1], 1);
  if (size <= 0) Fail(call, "the chunk size must be greater than 0, got " + std::to_string(size));
  Json out = Json::array();
  for (size_t i = 0; i < array.size(); i += static_cast<size_t>(size)) {
    Json chunk = Json::array();
    for (size_t j = i; j < array.size() && j < i + static_cast<size_t>(size); ++j) {
      chunk.push_back(array[j]);
    }
    out.push_back(std::move(chunk));
  }
  return out;
}

Json ArrayContains(const IntrinsicCall& call, Args& args) {
  for (const Json& item : ExpectArray(call, args[0], 0)) {
    if (DeepEqual(item, args[1])) return true;
  }
  return false;
}

Json ArrayRange(const IntrinsicCall& call, Args& args) {
  int64_t start = ExpectInteger(call, args[0], 0);
  int64_t end = ExpectInteger(call, args[1], 1);
  int64_t step = ExpectInteger(call, args[2], 2);
  if (step == 0) Fail(call, "the step cannot be 0");
  Json out = Json::array();
  for (int64_t v = start; step > 0 ? v <= end : v >= end; v += step) {
    if (out.size() >= static_cast<size_t>(limits::kMaxArrayRangeElements)) {
      Fail(call, "the range cannot have more than " +
                     std::to_string(limits::kMaxArrayRangeElements) + " elements");
    }
    out.push_back(v);
    if ((step > 0 && v > INT64_MAX - step) || (step < 0 && v < INT64_MIN - step)) break;
  }
  return out;
}

Json ArrayGetItem(const IntrinsicCall& call, Args& args) {
  const Json& array = ExpectArray(call, args[0], 0);
  int64_t index = ExpectInteger(call, args[1], 1);
  if (index < 0 || index >= static_cast<int64_t>(array.size())) {
    Fail(call, "the index " + std::to_string(index) + " is out of bounds for an array of " +
                   std::to_string(array.size()) + " element(s)");
  }
  return array[static_cast<size_t>(index)];
}

Json ArrayLength(const IntrinsicCall& call, Args& args) {
  return ExpectArray(call, args[0], 0).size();
}

Json ArrayUnique(const IntrinsicCall& call, Args& args) {
  Json out = Json::array();
  for (const Json& item : ExpectArray(call, args[0], 0)) {
    bool seen = false;
    for (const Json& kept : out) seen = seen || DeepEqual(kept, item);
    if (!seen) out.push_back(item);
  }
  return out;
}

// --- encoding and hashing ---

Json Base64Encode(const IntrinsicCall& call, Args& args) {
  const std::string& text = ExpectString(call, args[0], 0);
  if (text.size() > kMaxBase64InputChars) {
    Fail(call,
         "the input cannot be longer than " + std::to_string(kMaxBase64InputChars) + " characters");
  }
  std::string out(4 * ((text.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(text.data()),
                          static_cast<int>(text.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

bool IsBase64(const std::string& text) {
  if (text.size() % 4 != 0) return false;
  size_t pad = text.size() - text.find_last_not_of('=') - 1;
  if (text.empty()) return true;
  if (pad > 2) return false;
  for (size_t i = 0; i < text.size() - pad; ++i) {
    char c = text[i];
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '/') return false;
  }
  return true;
}

Json Base64Decode(const IntrinsicCall& call, Args& args) {
  const std::string& text = ExpectString(call, args[0], 0);
  if (text.size() > kMaxBase64InputChars) {
    Fail(call,
         "the input cannot be longer than " + std::to_string(kMaxBase64InputChars) + " characters");
  }
  if (!IsBase64(text)) Fail(call, "the input is not valid Base64");
  std::string out(text.size() / 4 * 3 + 1, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(text.data()),
                          static_cast<int>(text.size()));
  if (n < 0) Fail(call, "the input is not valid Base64");
  size_t pad = text.empty() ? 0 : text.size() - text.find_last_not_of('=') - 1;
  out.resize(static_cast<size_t>(n) - pad);
  return ToWellFormedUtf8(out);  // as Java new String(bytes, UTF_8)
}

const EVP_MD* Digest(const std::string& name) {
  if (name == "MD5") return EVP_md5();
  if (name == "SHA-1") return EVP_sha1();
  if (name == "SHA-256") return EVP_sha256();
  if (name == "SHA-384") return EVP_sha384();
  if (name == "SHA-512") return EVP_sha512();
  return nullptr;
}

Json Hash(const IntrinsicCall& call, Args& args) {
  const std::string& algorithm = ExpectString(call, args[1], 1);
  const EVP_MD* md = Digest(algorithm);
  if (md == nullptr) {
    Fail(call, "the hash algorithm '" + algorithm +
                   "' is not one of MD5, SHA-1, SHA-256, SHA-384, SHA-512");
  }
  std::string data = args[0].is_string() ? args[0].get<std::string>() : JacksonJson(args[0]);
  if (data.size() > kMaxHashInputChars) {
    Fail(call,
         "the input cannot be longer than " + std::to_string(kMaxHashInputChars) + " characters");
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), digest, &len, md, nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 15]);
  }
  return out;
}

// --- JSON, math, strings, ids ---

Json JsonMerge(const IntrinsicCall& call, Args& args) {
  Json out = Expect(call, args[0], Json::value_t::object, 0, "an object");
  const Json& other = Expect(call, args[1], Json::value_t::object, 1, "an object");
  const Json& deep = Expect(call, args[2], Json::value_t::boolean, 2, "a boolean");
  if (deep.get<bool>())
    Fail(call, "deep merging is not supported; the third argument must be false");
  for (const auto& [key, value] : other.items()) out[key] = value;
  return out;
}

Json MathRandom(const IntrinsicCall& call, Args& args) {
  int64_t start = JavaRound(call, args[0], 0);
  int64_t end = JavaRound(call, args[1], 1);
  if (start >= end) Fail(call, "the start must be less than the end");
  std::uniform_int_distribution<int64_t> dist(start, end - 1);
  if (args.size() == 3) {
    std::mt19937_64 seeded(static_cast<uint64_t>(JavaRound(call, args[2], 2)));
    return dist(seeded);
  }
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return dist(engine);
}

Json MathAdd(const IntrinsicCall& call, Args& args) {
  int64_t a = JavaRound(call, args[0], 0);
  int64_t b = JavaRound(call, args[1], 1);
  int64_t sum = a + b;
  if (a < INT32_MIN || a > INT32_MAX || b < INT32_MIN || b > INT32_MAX) {
    Fail(call, "the values must be between -2147483648 and 2147483647");
  }
  return sum;
}

// Splits UTF-8 text into code points.
std::vector<std::string> CodePoints(const std::string& s) {
  std::vector<std::string> out;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
    out.push_back(s.substr(i, len));
    i += len;
  }
  return out;
}

Json StringSplit(const IntrinsicCall& call, Args& args) {
  const std::string& text = ExpectString(call, args[0], 0);
  std::vector<std::string> delimiters = CodePoints(ExpectString(call, args[1], 1));
  Json out = Json::array();
  std::string current;
  for (const std::string& cp : CodePoints(text)) {
    bool is_delimiter = false;
    for (const std::string& d : delimiters) is_delimiter = is_delimiter || d == cp;
    if (!is_delimiter) {
      current += cp;
    } else if (!current.empty()) {
      out.push_back(std::move(current));
      current.clear();
    }
  }
  if (!current.empty()) out.push_back(std::move(current));
  return out;
}

Json Uuid(const IntrinsicCall&, Args&) {
  unsigned char b[16];
  if (RAND_bytes(b, sizeof b) != 1) {
    thread_local std::mt19937_64 engine{std::random_device{}()};
    for (unsigned char& x : b) x = static_cast<unsigned char>(engine());
  }
  b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[b[i] >> 4]);
    out.push_back(kHex[b[i] & 15]);
  }
  return out;
}

}  // namespace

const std::vector<FunctionSpec>& IntrinsicTable() {
  static const std::vector<FunctionSpec> kTable = {
      {"States.Format", 1, SIZE_MAX, &Format},
      {"States.StringToJson", 1, 1, &StringToJson},
      {"States.JsonToString", 1, 1, &JsonToString},
      {"States.Array", 0, SIZE_MAX, &Array},
      {"States.ArrayPartition", 2, 2, &ArrayPartition},
      {"States.ArrayContains", 2, 2, &ArrayContains},
      {"States.ArrayRange", 3, 3, &ArrayRange},
      {"States.ArrayGetItem", 2, 2, &ArrayGetItem},
      {"States.ArrayLength", 1, 1, &ArrayLength},
      {"States.ArrayUnique", 1, 1, &ArrayUnique},
      {"States.Base64Encode", 1, 1, &Base64Encode},
      {"States.Base64Decode", 1, 1, &Base64Decode},
      {"States.Hash", 2, 2, &Hash},
      {"States.JsonMerge", 3, 3, &JsonMerge},
      {"States.MathRandom", 2, 3, &MathRandom},
      {"States.MathAdd", 2, 2, &MathAdd},
      {"States.StringSplit", 2, 2, &StringSplit},
      {"States.UUID", 0, 0, &Uuid},
  };
  return kTable;
}

}  // namespace stepline::jsonpath
