// libFuzzer target: the AWS JSONPath dialect, intrinsic functions and payload
// templates. Input = text, optionally NUL + a JSON document. The text is
// parsed as a path, as an intrinsic call and (when it is JSON) as a
// Parameters-style payload template; whatever parses is evaluated on the
// document. Evaluation errors must come out as StatesException.
#include <cstddef>
#include <cstdint>

#include "engine/expr_context.h"
#include "engine/jsonpath/intrinsics.h"
#include "engine/jsonpath/path.h"
#include "engine/jsonpath/payload.h"
#include "engine/states_error.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

using stepline::Json;
namespace jsonpath = stepline::jsonpath;

void TryPath(std::string_view text, const stepline::ExprContext& ctx) {
  auto path = jsonpath::Path::Parse(text);
  if (!path.ok()) return;
  try {
    (void)path->Evaluate(ctx);
    Json target = *ctx.input;
    jsonpath::AssignAt(*path, target, Json("x"));
  } catch (const stepline::StatesException&) {
  }
}

void TryIntrinsic(std::string_view text, const stepline::ExprContext& ctx) {
  if (!jsonpath::LooksLikeIntrinsic(text)) return;
  auto call = jsonpath::ParseIntrinsic(text);
  if (!call.ok()) return;
  jsonpath::IntrinsicEnv env;
  env.roots.input = ctx.input;
  env.roots.context = ctx.context;
  env.field = "Parameters";
  try {
    (void)jsonpath::EvaluateIntrinsic(**call, env).dump();
  } catch (const stepline::StatesException&) {
  }
}

void TryTemplate(std::string_view text, const stepline::ExprContext& ctx) {
  Json value = Json::parse(text, nullptr, false);
  if (value.is_discarded()) return;
  auto templ = jsonpath::PayloadTemplate::Compile(value);
  if (!templ.ok()) return;
  try {
    (void)templ->Evaluate(ctx).dump();
  } catch (const stepline::StatesException&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto [text, doc] = stepline::fuzz::SplitAtNul(stepline::fuzz::Text(data, size));
  if (!stepline::fuzz::IsValidUtf8(text)) return 0;
  Json input = stepline::fuzz::DocumentFrom(doc);
  static const Json context =
      Json::parse(R"({"Execution": {"Id": "arn:x", "Input": {"a": 1}}, "State": {"Name": "S"}})");
  stepline::ExprContext ctx{&input, &context, nullptr};
  TryPath(text, ctx);
  TryIntrinsic(text, ctx);
  TryTemplate(text, ctx);
  return 0;
}
