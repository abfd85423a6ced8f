// jsonata_bench: times Stepline's JSONata evaluator on the expressions of a
// case file (bench/jsonata_heavy.json) and prints the figures as JSON, for
// bench/jsonata_bench.py to set beside jsonata-js (bench/jsonata_bench.js).
//
//   jsonata_bench CASES.json [--min-ms N] [--filter TEXT]
//
// Each expression is compiled once, evaluated once untimed (its result is
// printed for cross-checking), then evaluated repeatedly until kMinRuns runs
// and --min-ms milliseconds have passed; "ms" is the median run, through the
// public API (Json input in, Json result out, as state machines use it).
// Single-threaded; no assertions on timings.
#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "common/json.h"
#include "engine/jsonata/jsonata.h"

namespace {

using stepline::Json;
namespace jsonata = stepline::jsonata;

constexpr int kMinRuns = 5;
constexpr int kMaxRuns = 10000;
constexpr double kDefaultMinMs = 500;

struct Options {
  std::string cases_path;
  double min_ms = kDefaultMinMs;
  std::string filter;
};

std::shared_ptr<const jsonata::Expression> CompileOrDie(const std::string& text) {
  auto compiled = jsonata::Expression::Compile(text, {jsonata::Version::k2_2});
  if (auto* e = std::get_if<jsonata::Error>(&compiled)) {
    std::cerr << "jsonata_bench: " << e->code << ": " << e->message << " in " << text << "\n";
    std::exit(1);
  }
  return std::get<std::shared_ptr<const jsonata::Expression>>(compiled);
}

double MillisecondsOf(const jsonata::Expression& expr, const Json& input) {
  auto start = std::chrono::steady_clock::now();
  expr.Evaluate(&input, nullptr, {});
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

double MedianOf(std::vector<double> runs) {
  std::sort(runs.begin(), runs.end());
  return runs[runs.size() / 2];
}

// Times one case; the untimed first evaluation gives the result.
Json TimeCase(const Json& spec, const Json& input, double min_ms) {
  auto expr = CompileOrDie(spec.at("expr").get<std::string>());
  std::optional<Json> result = expr->Evaluate(&input, nullptr, {});
  std::vector<double> runs;
  double total = 0;
  while (runs.size() < static_cast<size_t>(kMinRuns) ||
         (total < min_ms && runs.size() < static_cast<size_t>(kMaxRuns))) {
    runs.push_back(MillisecondsOf(*expr, input));
    total += runs.back();
  }
  Json out = {{"name", spec.at("name")}, {"ms", MedianOf(runs)}, {"runs", runs.size()}};
  if (result) out["result"] = *result;
  return out;
}

bool ParseArgs(int argc, char** argv, Options& options) {
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--min-ms" && i + 1 < argc) {
      options.min_ms = std::atof(argv[++i]);
    } else if (a == "--filter" && i + 1 < argc) {
      options.filter = argv[++i];
    } else if (options.cases_path.empty() && !a.empty() && a[0] != '-') {
      options.cases_path = a;
    } else {
      return false;
    }
  }
  return !options.cases_path.empty();
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!ParseArgs(argc, argv, options)) {
    std::cerr << "usage: jsonata_bench CASES.json [--min-ms N] [--filter TEXT]\n";
    return 2;
  }
  std::ifstream in(options.cases_path);
  Json cases = Json::parse(in, nullptr, false);
  if (cases.is_discarded() || !cases.contains("cases")) {
    std::cerr << "jsonata_bench: cannot read " << options.cases_path << "\n";
    return 2;
  }
  Json input = *CompileOrDie(cases.at("input").get<std::string>())->Evaluate(nullptr, nullptr, {});
  Json out = {{"engine", "stepline"}, {"cases", Json::array()}};
  for (const auto& spec : cases.at("cases")) {
    if (spec.at("name").get<std::string>().find(options.filter) == std::string::npos) continue;
    out["cases"].push_back(TimeCase(spec, input, options.min_ms));
  }
  std::cout << out.dump() << "\n";
  return 0;
}
