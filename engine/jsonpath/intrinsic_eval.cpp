// Evaluation of intrinsic calls: arguments first (paths, nested calls), then
// the function from the signature table (intrinsic_functions.cpp).
#include "engine/jsonpath/intrinsics.h"
#include "engine/jsonpath/path_parser.h"
#include "engine/states_error.h"

namespace stepline::jsonpath {
namespace {

Json EvaluatePathArg(const IntrinsicArg& arg, const IntrinsicEnv& env) {
  if (!IsDefinite(*arg.path)) return SelectValues(*arg.path, env.roots);
  std::string miss;
  const Json* node = SelectOne(*arg.path, env.roots, &miss);
  if (node == nullptr) {
    const Json input = env.roots.input ? *env.roots.input : Json();
    throw StatesException(errors::kRuntime, PathNotFoundCause(arg.path_text, env.field, input));
  }
  return *node;
}

}  // namespace

Json EvaluateIntrinsic(const IntrinsicCall& call, const IntrinsicEnv& env) {
  std::vector<Json> values;
  values.reserve(call.args.size());
  for (const IntrinsicArg& arg : call.args) {
    switch (arg.kind) {
      case IntrinsicArg::Kind::kLiteral:
        values.push_back(arg.literal);
        break;
      case IntrinsicArg::Kind::kPath:
        values.push_back(EvaluatePathArg(arg, env));
        break;
      case IntrinsicArg::Kind::kCall:
        values.push_back(EvaluateIntrinsic(*arg.call, env));
        break;
    }
  }
  return call.function->fn(call, values);
}

}  // namespace stepline::jsonpath
