#include "engine/runtime/dataflow.h"

#include "common/limits.h"
#include "engine/states_error.h"

namespace stepline::runtime {

Json SelectRequired(const jsonpath::Path& path, const Json& root, const ExprContext& ctx) {
  return path.EvaluateOnOrThrow(root, ctx);
}

Json ApplyInputPathAndParameters(const asl::OptionalPath& input_path,
                                 const std::optional<jsonpath::PayloadTemplate>& parameters,
                                 const Json& raw_input, const ExprContext& ctx) {
  Json effective;
  switch (input_path.kind) {
    case asl::OptionalPath::Kind::kAbsent:
      effective = raw_input;
      break;
    case asl::OptionalPath::Kind::kNull:
      effective = Json::object();
      break;
    case asl::OptionalPath::Kind::kPath:
      effective = SelectRequired(input_path.path, raw_input, ctx);
      break;
  }
  if (!parameters) return effective;
  ExprContext inner = ctx;
  inner.input = &effective;
  return parameters->Evaluate(inner);
}

Json ApplyOutputPath(const asl::OptionalPath& output_path, Json value, const ExprContext& ctx) {
  switch (output_path.kind) {
    case asl::OptionalPath::Kind::kAbsent:
      return value;
    case asl::OptionalPath::Kind::kNull:
      return Json::object();
    case asl::OptionalPath::Kind::kPath:
      return SelectRequired(output_path.path, value, ctx);
  }
  return value;
}

Json ApplyResultPathAndOutputPath(const asl::OptionalPath& result_path,
                                  const asl::OptionalPath& output_path, const Json& raw_input,
                                  Json result, const ExprContext& ctx) {
  Json merged;
  switch (result_path.kind) {
    case asl::OptionalPath::Kind::kAbsent:
      merged = std::move(result);
      break;
    case asl::OptionalPath::Kind::kNull:
      merged = raw_input;
      break;
    case asl::OptionalPath::Kind::kPath:
      merged = raw_input;
      jsonpath::AssignAt(result_path.path, merged, std::move(result));
      break;
  }
  return ApplyOutputPath(output_path, std::move(merged), ctx);
}

Json ApplyResultAndOutput(const asl::State& state, const Json& raw_input, Json result,
                          const ExprContext& ctx) {
  if (state.result_selector) {
    ExprContext inner = ctx;
    inner.input = &result;
    result = state.result_selector->Evaluate(inner);
  }
  return ApplyResultPathAndOutputPath(state.result_path, state.output_path, raw_input,
                                      std::move(result), ctx);
}

void CheckPayloadSize(const Json& value, const std::string& state_name) {
  if (DumpJson(value).size() <= limits::kMaxPayloadBytes) return;
  throw StatesException(errors::kDataLimitExceeded,
                        "The state/task '" + state_name +
                            "' returned a result with a size exceeding the maximum number of bytes "
                            "service limit.");
}

}  // namespace stepline::runtime
