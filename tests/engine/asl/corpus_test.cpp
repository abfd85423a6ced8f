// Corpus-driven tests: every definition AWS accepted parses, and every
// choice_operators case takes the branch AWS took.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "engine/asl/choice.h"
#include "engine/asl/parser.h"
#include "engine/states_error.h"

namespace stepline::asl {
namespace {

namespace fs = std::filesystem;

fs::path CasesDir() { return fs::path(STEPLINE_CORPUS_DIR) / "cases"; }

std::vector<fs::path> CaseFiles(const std::string& prefix) {
  std::vector<fs::path> out;
  if (!fs::is_directory(CasesDir())) return out;
  for (const auto& entry : fs::directory_iterator(CasesDir())) {
    std::string name = entry.path().filename().string();
    if (name.rfind(prefix, 0) == 0 && entry.path().extension() == ".json") {
      out.push_back(entry.path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

Json ReadCase(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return Json::parse(text.str());
}

// Placeholders for resources the harness would create ({{unresolved:LABEL}}).
std::string Concretize(const std::string& definition) {
  static const std::regex kPlaceholder(R"(\{\{unresolved:([A-Za-z0-9_\-]+)\}\})");
  return std::regex_replace(definition, kPlaceholder,
                            "arn:aws:lambda:us-east-1:111111111111:function:$1");
}

const State* FirstChoice(const Program& program) {
  for (const State& state : program.states) {
    if (state.type == StateType::kChoice) return &state;
  }
  return nullptr;
}

// The state the Choice moves to for `input`.
std::string ChooseNext(const State& choice, const Json& input) {
  ExprContext ctx;
  ctx.input = &input;
  const auto& spec = choice.as<ChoiceSpec>();
  for (const ChoiceRule& rule : spec.choices) {
    if (EvaluateChoiceRule(rule, ctx)) return rule.next;
  }
  return spec.default_next;
}

}  // namespace

TEST_CASE("every choice_operators case takes the branch AWS took", "[corpus][choice]") {
  auto files = CaseFiles("choice_operators.");
  if (files.empty()) {
    WARN("corpus not found at " << CasesDir() << "; skipping");
    return;
  }
  int passed = 0;
  for (const auto& file : files) {
    Json c = ReadCase(file);
    INFO(c["id"].get<std::string>());
    auto machine = ParseDefinition(c["definition_string"].get<std::string>());
    REQUIRE(machine.ok());
    const State* choice = FirstChoice((*machine)->root);
    REQUIRE(choice != nullptr);
    std::string next = ChooseNext(*choice, c["input"]);
    const State* target = (*machine)->root.Find(next);
    REQUIRE(target != nullptr);
    REQUIRE(target->type == StateType::kPass);
    CHECK(target->as<PassSpec>().result.value_or(Json()) == c["expected"]["output"]);
    ++passed;
  }
  CHECK(passed == static_cast<int>(files.size()));
  WARN("choice_operators corpus cases passing: " << passed << "/" << files.size());
}

TEST_CASE("every definition AWS accepted in the corpus parses", "[corpus][parser]") {
  auto files = CaseFiles("");
  if (files.empty()) {
    WARN("corpus not found at " << CasesDir() << "; skipping");
    return;
  }
  size_t accepted = 0;
  for (const auto& file : files) {
    Json c = ReadCase(file);
    INFO(c["id"].get<std::string>());
    ParseOptions options;
    options.express = c.value("state_machine_type", "") == "EXPRESS";
    auto machine = ParseDefinition(Concretize(c["definition_string"].get<std::string>()), options);
    CHECK(machine.status().message() == "");
    accepted += machine.ok() ? 1 : 0;
  }
  WARN("corpus definitions accepted: " << accepted << "/" << files.size());
}

}  // namespace stepline::asl
