// libFuzzer target: JSONata. Input = expression text, optionally a NUL byte
// and a JSON document to evaluate it on (else the sample document). Compiles
// in both language versions and evaluates with AWS's functions on and off,
// under a depth and a time limit; errors must come out as JsonataException.
#include <cstddef>
#include <cstdint>

#include "engine/jsonata/jsonata.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

constexpr int64_t kTimeLimitMs = 200;
constexpr int kMaxDepth = 200;

void EvaluateOnce(std::string_view text, const stepline::Json& input,
                  stepline::jsonata::Version version, bool aws) {
  namespace jsonata = stepline::jsonata;
  auto compiled = jsonata::Expression::Compile(text, {version});
  auto* expr = std::get_if<std::shared_ptr<const jsonata::Expression>>(&compiled);
  if (!expr) return;
  jsonata::EvalOptions options;
  options.aws_functions = aws;
  options.max_depth = kMaxDepth;
  options.time_limit_ms = kTimeLimitMs;
  try {
    auto result = (*expr)->Evaluate(&input, nullptr, options);
    if (result) (void)result->dump();
  } catch (const jsonata::JsonataException&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto [text, doc] = stepline::fuzz::SplitAtNul(stepline::fuzz::Text(data, size));
  if (!stepline::fuzz::IsValidUtf8(text)) return 0;
  stepline::Json input = stepline::fuzz::DocumentFrom(doc);
  EvaluateOnce(text, input, stepline::jsonata::Version::k2_0_6, true);
  EvaluateOnce(text, input, stepline::jsonata::Version::k2_2, false);
  // The state-machine form: a "{% %}" template compiled the way ASL fields are.
  auto templ = stepline::jsonata::Template::Compile(stepline::Json(std::string(text)));
  (void)templ;
  return 0;
}
