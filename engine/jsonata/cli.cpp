// Command-line evaluator implementation.
#include "engine/jsonata/cli.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "engine/jsonata/jsonata.h"

namespace stepline::jsonata {

namespace {

class JsonScope : public VariableScope {
 public:
  explicit JsonScope(const Json* bindings) : bindings_(bindings) {}
  const Json* Find(std::string_view name) const override {
    if (!bindings_ || !bindings_->is_object()) return nullptr;
    auto it = bindings_->find(std::string(name));
    return it == bindings_->end() ? nullptr : &*it;
  }

 private:
  const Json* bindings_;
};

// Lone UTF-16 surrogate escapes cannot be represented; map them to U+FFFD.
std::string FixLoneSurrogates(const std::string& line) {
  std::string out;
  out.reserve(line.size());
  auto hex4 = [&](size_t at, unsigned& v) {
    if (at + 4 > line.size()) return false;
    v = std::stoul(line.substr(at, 4), nullptr, 16);
    return true;
  };
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '\\' && i + 1 < line.size()) {
      if (line[i + 1] == 'u' && i + 6 <= line.size()) {
        unsigned v = 0;
        if (hex4(i + 2, v) && v >= 0xD800 && v <= 0xDFFF) {
          unsigned lo = 0;
          bool paired = v <= 0xDBFF && i + 12 <= line.size() && line[i + 6] == '\\' &&
                        line[i + 7] == 'u' && hex4(i + 8, lo) && lo >= 0xDC00 && lo <= 0xDFFF;
          if (paired) {
            out += line.substr(i, 12);
            i += 11;
          } else {
            out += "\\ufffd";
            i += 5;
          }
          continue;
        }
      }
      out += line[i];
      out += line[i + 1];
      ++i;
      continue;
    }
    out += line[i];
  }
  return out;
}

// Deepest bracket nesting of a JSON text (strings skipped), without recursion.
int MaxNesting(const std::string& text) {
  int depth = 0, max_depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      max_depth = std::max(max_depth, ++depth);
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return max_depth;
}

constexpr int kMaxInputNesting = 1000;

Json ErrorJson(const Error& e) {
  Json err = {{"code", e.code}, {"message", e.message}};
  if (e.position >= 0) err["position"] = e.position;
  if (e.token) err["token"] = *e.token;
  return err;
}

// How the command line compiles and evaluates: the AWS flavour (--aws)
// defaults to JSONata 2.0.6 like state machines, otherwise 2.2.
struct CliMode {
  bool aws = false;
  CompileOptions compile;
};

Json Answer(const Json& req, const CliMode& mode) {
  std::string text = req.value("expr", "");
  auto compiled = Expression::Compile(text, mode.compile);
  if (auto* err = std::get_if<Error>(&compiled)) return {{"error", ErrorJson(*err)}};
  auto expr = std::get<std::shared_ptr<const Expression>>(compiled);
  EvalOptions options;
  options.aws_functions = mode.aws;
  if (req.contains("timelimit") && req["timelimit"].is_number()) {
    options.time_limit_ms = req["timelimit"].get<int64_t>();
  }
  if (req.contains("depth") && req["depth"].is_number())
    options.max_depth = req["depth"].get<int>();
  const Json* data = req.contains("data") ? &req["data"] : nullptr;
  const Json* bindings = req.contains("bindings") ? &req["bindings"] : nullptr;
  JsonScope scope(bindings);
  try {
    auto r = expr->Evaluate(data, &scope, options);
    if (!r) return {{"undefined", true}};
    return {{"result", *r}};
  } catch (const JsonataException& e) {
    return {{"error", ErrorJson(e.error())}};
  } catch (const std::exception& e) {
    return {{"error", {{"code", "U0000"}, {"message", e.what()}}}};
  }
}

int RunBatch(const CliMode& mode) {
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line.empty()) continue;
    Json out;
    if (MaxNesting(line) > kMaxInputNesting) {
      out = {{"error", {{"code", "U0000"}, {"message", "request nested too deeply"}}}};
      std::cout << out.dump() << std::endl;
      continue;
    }
    Json req = Json::parse(FixLoneSurrogates(line), nullptr, false);
    if (req.is_discarded()) {
      out = {{"error", {{"code", "U0000"}, {"message", "invalid request"}}}};
    } else {
      Json id = req.value("id", Json());
      out = Answer(req, mode);
    }
    std::cout << out.dump(-1, ' ', true, Json::error_handler_t::replace) << '\n';
    std::cout.flush();
  }
  return 0;
}

// Evaluates `text` `repeat` times on `data` and reports the mean time per
// evaluation on stderr (a quick benchmark; the JSON input is parsed once).
int RunRepeat(const std::string& text, const Json* data, const CliMode& mode, int repeat) {
  auto compiled = Expression::Compile(text, mode.compile);
  if (auto* err = std::get_if<Error>(&compiled)) {
    std::cerr << "jsonata: " << err->code << ": " << err->message << "\n";
    return 1;
  }
  auto expr = std::get<std::shared_ptr<const Expression>>(compiled);
  EvalOptions options;
  options.aws_functions = mode.aws;
  auto start = std::chrono::steady_clock::now();
  try {
    for (int i = 0; i < repeat; ++i) expr->Evaluate(data, nullptr, options);
  } catch (const JsonataException& e) {
    std::cerr << "jsonata: " << e.error().code << ": " << e.error().message << "\n";
    return 1;
  }
  double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  std::cerr << "jsonata: " << repeat << " evaluations, " << ms / repeat << " ms each\n";
  return 0;
}

int RunSingle(const std::string& text, const CliMode& mode, int repeat) {
  std::stringstream ss;
  ss << std::cin.rdbuf();
  std::string input = ss.str();
  Json req = {{"expr", text}};
  if (input.find_first_not_of(" \t\r\n") != std::string::npos) {
    if (MaxNesting(input) > kMaxInputNesting) {
      std::cerr << "jsonata: stdin is nested too deeply\n";
      return 2;
    }
    Json data = Json::parse(input, nullptr, false);
    if (data.is_discarded()) {
      std::cerr << "jsonata: stdin is not valid JSON\n";
      return 2;
    }
    req["data"] = data;
  }
  if (repeat > 0)
    return RunRepeat(text, req.contains("data") ? &req["data"] : nullptr, mode, repeat);
  Json out = Answer(req, mode);
  if (out.contains("error")) {
    std::cerr << "jsonata: " << out["error"].value("code", "") << ": "
              << out["error"].value("message", "") << "\n";
    return 1;
  }
  if (out.contains("undefined")) return 0;
  std::cout << out["result"].dump(2, ' ', false, Json::error_handler_t::replace) << "\n";
  return 0;
}

constexpr const char* kUsage =
    "usage: jsonata [--aws] [--jsonata 2.0.6|2.2] EXPR | -f FILE  < input.json\n"
    "       jsonata --batch [--aws] [--jsonata 2.0.6|2.2]\n";

// Parses a --jsonata argument; false when it names no known version.
bool ParseVersion(const std::string& text, Version& out) {
  if (text == "2.0.6") {
    out = Version::k2_0_6;
  } else if (text == "2.2") {
    out = Version::k2_2;
  } else {
    return false;
  }
  return true;
}

}  // namespace

int RunJsonataCli(int argc, char** argv) {
  bool batch = false, aws = false, version_given = false;
  Version version = Version::k2_2;
  int repeat = 0;
  std::string expr, file;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--batch") {
      batch = true;
    } else if (a == "--aws") {
      aws = true;
    } else if (a == "--jsonata" && i + 1 < argc) {
      if (!ParseVersion(argv[++i], version)) {
        std::cerr << kUsage;
        return 2;
      }
      version_given = true;
    } else if (a == "--repeat" && i + 1 < argc) {
      repeat = std::atoi(argv[++i]);
    } else if (a == "-f" && i + 1 < argc) {
      file = argv[++i];
    } else if (a == "-h" || a == "--help") {
      std::cout << kUsage;
      return 0;
    } else {
      expr = a;
    }
  }
  CliMode mode{aws, {version_given || !aws ? version : Version::k2_0_6}};
  if (batch) return RunBatch(mode);
  if (!file.empty()) {
    std::ifstream in(file);
    if (!in) {
      std::cerr << "jsonata: cannot read " << file << "\n";
      return 2;
    }
    std::stringstream ss;
    ss << in.rdbuf();
    expr = ss.str();
  }
  if (expr.empty()) {
    std::cerr << kUsage;
    return 2;
  }
  return RunSingle(expr, mode, repeat);
}

}  // namespace stepline::jsonata
