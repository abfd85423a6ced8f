// Runs the recorded AWS cases of ../shared/corpus/localstack whose machines
// are chains of Pass states (all of "intrinsic_functions" in JSONPath mode,
// plus JSONPath cases of other categories) through this library alone:
// InputPath -> Parameters -> Result -> ResultPath -> OutputPath per state.
// Cases needing variables, other state types or JSONata are skipped.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "engine/jsonpath/path.h"
#include "engine/jsonpath/payload.h"
#include "engine/states_error.h"

namespace fs = std::filesystem;
using stepline::ExprContext;
using stepline::Json;
using stepline::StatesException;
using stepline::jsonpath::AssignAt;
using stepline::jsonpath::Path;
using stepline::jsonpath::PayloadTemplate;

namespace {

const fs::path kCases = fs::path(STEPLINE_CORPUS_DIR) / "cases";

// Values the corpus recorded as placeholders match any actual value.
bool IsWildcard(const Json& expected) {
  if (!expected.is_string()) return false;
  const auto& s = expected.get_ref<const std::string&>();
  return s == "RandomNumberGenerated" || s == "generated-uuid" ||
         (s.size() > 2 && s.front() == '<' && s.back() == '>');
}

bool Same(const Json& expected, const Json& actual) {
  if (IsWildcard(expected)) return true;
  if (expected.is_number() && actual.is_number()) {
    return expected.get<double>() == actual.get<double>();
  }
  if (expected.type() != actual.type()) return false;
  if (expected.is_array()) {
    if (expected.size() != actual.size()) return false;
    for (size_t i = 0; i < expected.size(); ++i) {
      if (!Same(expected[i], actual[i])) return false;
    }
    return true;
  }
  if (expected.is_object()) {
    if (expected.size() != actual.size()) return false;
    for (const auto& [key, value] : expected.items()) {
      if (!actual.contains(key) || !Same(value, actual[key])) return false;
    }
    return true;
  }
  return expected == actual;
}

// A context object whose values are the corpus' own placeholders.
Json ContextObject(const Json& input) {
  return Json{{"Execution",
               {{"Id",
                 "arn:<partition>:states:<region>:111111111111:execution:<ArnPart_0idx>:"
                 "<ExecArnPart_0idx>"},
                {"Input", input},
                {"Name", "<ExecArnPart_0idx>"},
                {"RoleArn", "snf_role_arn"},
                {"StartTime", "date"}}},
              {"StateMachine",
               {{"Id", "arn:<partition>:states:<region>:111111111111:stateMachine:<ArnPart_0idx>"},
                {"Name", "<ArnPart_0idx>"}}},
              {"State", {{"EnteredTime", "date"}, {"Name", "State_0"}, {"RetryCount", 0}}}};
}

// Cases whose outcome depends on the interpreter, not on this library: the
// context object's real values (express ARNs, timestamps) and payload limits.
bool InterpreterOnly(const Json& c) {
  const std::string id = c["id"];
  return id.rfind("context_object.", 0) == 0 ||
         id.find("query_runtime_memory") != std::string::npos ||
         c["expected"].value("error", "") == "States.DataLimitExceeded";
}

bool Supported(const Json& c) {
  const Json& def = c["definition"];
  if (InterpreterOnly(c)) return false;
  if (def.value("QueryLanguage", "JSONPath") != "JSONPath") return false;
  if (c["needs_external_service"].get<bool>()) return false;
  static const std::vector<std::string> kFields = {"Type",    "Next",       "End",
                                                   "Comment", "InputPath",  "Parameters",
                                                   "Result",  "ResultPath", "OutputPath"};
  for (const auto& [name, state] : def["States"].items()) {
    if (state.value("Type", "") != "Pass") return false;
    for (const auto& [field, value] : state.items()) {
      if (std::find(kFields.begin(), kFields.end(), field) == kFields.end()) return false;
    }
  }
  return true;
}

Json SelectOrThrow(const Json& state, const char* field, const Json& value, const Json& ctx_obj) {
  if (!state.contains(field)) return value;
  if (state[field].is_null()) return Json::object();
  auto path = Path::Parse(state[field].get<std::string>());
  if (!path.ok()) throw std::runtime_error(path.status().message());
  ExprContext ctx{&value, &ctx_obj, nullptr};
  return path->EvaluateOrThrow(ctx);
}

Json RunPass(const Json& state, const Json& input, const Json& ctx_obj) {
  Json effective = SelectOrThrow(state, "InputPath", input, ctx_obj);
  if (state.contains("Parameters")) {
    auto tmpl = PayloadTemplate::Compile(state["Parameters"]);
    if (!tmpl.ok()) throw std::runtime_error(tmpl.status().message());
    ExprContext ctx{&effective, &ctx_obj, nullptr};
    effective = tmpl->Evaluate(ctx);
  }
  Json result = state.contains("Result") ? state["Result"] : effective;
  Json output = input;
  if (state.contains("ResultPath") && state["ResultPath"].is_null()) {
    output = input;
  } else {
    auto rp = Path::Parse(state.value("ResultPath", "$"));
    if (!rp.ok()) throw std::runtime_error(rp.status().message());
    AssignAt(*rp, output, result);
  }
  return SelectOrThrow(state, "OutputPath", output, ctx_obj);
}

// Returns "" on success, else a description of the difference.
std::string RunCase(const Json& c) {
  const Json& def = c["definition"];
  Json value = c["input"];
  const Json ctx_obj = ContextObject(c["input"]);
  const Json& expected = c["expected"];
  std::string name = def["StartAt"];
  try {
    for (int steps = 0; steps < 100; ++steps) {
      const Json& state = def["States"][name];
      value = RunPass(state, value, ctx_obj);
      if (state.value("End", false)) break;
      name = state["Next"];
    }
  } catch (const StatesException& e) {
    std::string got = e.error().error + ": " + e.error().cause.value_or("");
    if (expected["status"] == "FAILED" && expected.value("error", "") == e.error().error) return "";
    return "threw " + got;
  }
  if (expected["status"] != "SUCCEEDED") return "succeeded but AWS: " + expected.dump();
  if (!Same(expected["output"], value)) {
    return "output " + value.dump() + " expected " + expected["output"].dump();
  }
  return "";
}

}  // namespace

TEST_CASE("recorded AWS Pass-state cases evaluate to AWS's outputs") {
  if (!fs::exists(kCases)) {
    WARN("corpus not found at " << kCases);
    return;
  }
  int passed = 0, failed = 0, intrinsic_passed = 0, intrinsic_total = 0;
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(kCases)) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  for (const fs::path& file : files) {
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    Json c = Json::parse(text.str());
    if (!Supported(c)) continue;
    bool intrinsic = c["category"] == "intrinsic_functions";
    std::string diff = RunCase(c);
    intrinsic_total += intrinsic;
    if (diff.empty()) {
      ++passed;
      intrinsic_passed += intrinsic;
    } else {
      ++failed;
      UNSCOPED_INFO(file.filename().string() << ": " << diff);
    }
  }
  std::cout << "corpus: " << passed << " passed, " << failed << " failed; intrinsic_functions "
            << intrinsic_passed << "/" << intrinsic_total << "\n";
  CHECK(failed == 0);
}
