#include "engine/runtime/dataflow.h"

#include "common/limits.h"
#include "engine/states_error.h"

namespace stepline::runtime {
namespace {

// Splits a simple dotted path ("$.a.b") into member names for AWS's
// "No results" / "Missing property" wording. Returns false for paths with
// brackets or other syntax, where we fall back to the plain form.
bool SimpleMembers(const std::string& text, std::vector<std::string>* members) {
  if (text.size() < 2 || text[0] != '$' || text[1] != '.') return false;
  std::string current;
  for (size_t i = 2; i < text.size(); ++i) {
    char c = text[i];
    if (c == '.') {
      if (current.empty()) return false;
      members->push_back(current);
      current.clear();
    } else if (c == '[' || c == ']' || c == '*' || c == '\'' || c == '?') {
      return false;
    } else {
      current.push_back(c);
    }
  }
  if (current.empty()) return false;
  members->push_back(current);
  return true;
}

std::string BracketForm(const std::vector<std::string>& members, size_t count) {
  std::string out = "$";
  for (size_t i = 0; i < count; ++i) out += "['" + members[i] + "']";
  return out;
}

[[noreturn]] void ThrowMissing(const jsonpath::Path& path, const Json& root) {
  std::vector<std::string> members;
  std::string detail;
  if (path.root() == jsonpath::Path::Root::kInput && SimpleMembers(path.text(), &members)) {
    const Json* node = &root;
    size_t i = 0;
    for (; i < members.size(); ++i) {
      if (!node->is_object() || !node->contains(members[i])) break;
      node = &(*node)[members[i]];
    }
    if (i + 1 < members.size()) {
      detail = "Missing property in path " + BracketForm(members, i + 1);
    } else {
      detail = "No results for path: " + BracketForm(members, members.size());
    }
  } else {
    detail = "No results for path: " + path.text();
  }
  throw StatesException(errors::kRuntime, "Invalid path '" + path.text() + "' : " + detail);
}

}  // namespace

Json SelectRequired(const jsonpath::Path& path, const Json& root, const ExprContext& ctx) {
  std::optional<Json> selected = path.EvaluateOn(root, ctx);
  if (!selected) ThrowMissing(path, root);
  return std::move(*selected);
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
