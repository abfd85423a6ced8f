// AWS Step Functions' extra JSONata functions: $partition, $range, $hash,
// $random([seed]), $uuid, $parse. Non-integer counts are rounded down.
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cmath>
#include <cstdio>
#include <random>

#include "engine/jsonata/builtins.h"
#include "engine/jsonata/errors.h"

namespace stepline::jsonata {

namespace {

constexpr double kMaxAwsRange = 1000;  // States.ArrayRange's limit on generated items

Value FnPartition(CallCtx& ctx, std::vector<Value>& a) {
  if (a[0].undefined()) return Value();
  double size = std::floor(a[1].number());
  if (size <= 0)
    ThrowMessage("D3137", "The size argument of $partition must be a positive integer");
  auto out = NewArray();
  const auto& items = a[0].arr().items;
  for (size_t i = 0; i < items.size(); i += static_cast<size_t>(size)) {
    auto chunk = NewArray();
    size_t end = std::min(items.size(), i + static_cast<size_t>(size));
    chunk->items.assign(items.begin() + i, items.begin() + end);
    out->items.push_back(Value::Array(chunk));
  }
  (void)ctx;
  return Value::Array(out);
}

Value FnRange(CallCtx&, std::vector<Value>& a) {
  double start = std::floor(a[0].number()), end = std::floor(a[1].number());
  double step = Arg(a, 2).undefined() ? 1 : std::floor(a[2].number());
  if (step == 0) ThrowMessage("D3137", "The step argument of $range must not be zero");
  auto out = NewArray();
  for (double x = start; step > 0 ? x <= end : x >= end; x += step) {
    if (out->items.size() >= kMaxAwsRange) {
      ThrowMessage("D3137", "The $range function cannot generate more than 1000 items");
    }
    out->items.push_back(Value::Number(x));
  }
  return Value::Array(out);
}

Value FnHash(CallCtx&, std::vector<Value>& a) {
  if (a[0].undefined()) return Value();
  std::string alg = Arg(a, 1).undefined() ? "SHA-256" : a[1].str();
  const EVP_MD* md = alg == "MD5"       ? EVP_md5()
                     : alg == "SHA-1"   ? EVP_sha1()
                     : alg == "SHA-256" ? EVP_sha256()
                     : alg == "SHA-384" ? EVP_sha384()
                     : alg == "SHA-512" ? EVP_sha512()
                                        : nullptr;
  if (!md) {
    ThrowMessage("D3137",
                 "The hashing algorithm '" + alg +
                     "' is not supported; use one of MD5, SHA-1, SHA-256, SHA-384, SHA-512");
  }
  const std::string& s = a[0].str();
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(s.data(), s.size(), digest, &len, md, nullptr);
  std::string hex;
  char buf[3];
  for (unsigned i = 0; i < len; ++i) {
    std::snprintf(buf, sizeof buf, "%02x", digest[i]);
    hex += buf;
  }
  return Value::String(hex);
}

Value FnRandom(CallCtx&, std::vector<Value>& a) {
  if (!Arg(a, 0).undefined()) {
    std::mt19937_64 gen(static_cast<uint64_t>(static_cast<int64_t>(std::floor(a[0].number()))));
    return Value::Number(std::uniform_real_distribution<double>(0.0, 1.0)(gen));
  }
  thread_local std::mt19937_64 gen{std::random_device{}()};
  return Value::Number(std::uniform_real_distribution<double>(0.0, 1.0)(gen));
}

Value FnUuid(CallCtx&, std::vector<Value>&) {
  unsigned char b[16];
  if (RAND_bytes(b, sizeof b) != 1) {
    std::random_device rd;
    for (auto& x : b) x = static_cast<unsigned char>(rd());
  }
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  char out[37];
  std::snprintf(out, sizeof out,
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
                b[15]);
  return Value::String(out);
}

Value FnParse(CallCtx&, std::vector<Value>& a) {
  if (a[0].undefined()) return Value();
  Json j = Json::parse(a[0].str(), nullptr, false);
  if (j.is_discarded())
    ThrowMessage("D3137", "The argument of $parse is not valid JSON: " + a[0].str());
  return FromJson(j);
}

}  // namespace

void AddAwsFunctions(BuiltinList& out) {
  out.push_back({"partition", "<an:a>", FnPartition});
  out.push_back({"range", "<nnn?:a>", FnRange});
  out.push_back({"hash", "<s-s?:s>", FnHash});
  out.push_back({"random", "<n?:n>", FnRandom});
  out.push_back({"uuid", "<:s>", FnUuid});
  out.push_back({"parse", "<s-:x>", FnParse});
}

}  // namespace stepline::jsonata
