#include "integrations/mock_dispatcher.h"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace stepline::integrations {
namespace {

Status Invalid(const std::string& what) {
  return Status(ErrorCode::kValidation, "Invalid mock configuration: " + what);
}

// "3" -> [3,3]; "1-2" -> [1,2].
bool ParseRange(const std::string& key, int64_t& first, int64_t& last) {
  auto number = [](const std::string& s, int64_t& out) {
    if (s.empty() || s.size() > 9 || !std::all_of(s.begin(), s.end(), ::isdigit)) return false;
    out = std::stoll(s);
    return true;
  };
  size_t dash = key.find('-');
  if (dash == std::string::npos) return number(key, first) && number(key, last);
  return number(key.substr(0, dash), first) && number(key.substr(dash + 1), last) && first <= last;
}

Result<TaskOutcome> ParseOutcome(const std::string& where, const Json& entry) {
  if (!entry.is_object()) return Invalid(where + " must be an object");
  bool has_return = entry.contains("Return");
  bool has_throw = entry.contains("Throw");
  if (has_return == has_throw) return Invalid(where + " must have exactly one of Return, Throw");
  TaskOutcome outcome;
  if (has_return) {
    outcome.ok = true;
    outcome.result = entry["Return"];
    return outcome;
  }
  const Json& t = entry["Throw"];
  if (!t.is_object() || !t.contains("Error") || !t["Error"].is_string()) {
    return Invalid(where + ".Throw must be an object with a string Error");
  }
  outcome.error.error = t["Error"].get<std::string>();
  if (t.contains("Cause")) {
    if (!t["Cause"].is_string()) return Invalid(where + ".Throw.Cause must be a string");
    outcome.error.cause = t["Cause"].get<std::string>();
  }
  return outcome;
}

}  // namespace

Result<std::vector<MockConfig::Entry>> MockConfig::ParseResponse(const std::string& name,
                                                                 const Json& body) {
  if (!body.is_object() || body.empty()) {
    return Invalid("MockedResponses." + name + " must be a non-empty object");
  }
  std::vector<Entry> entries;
  for (const auto& [key, value] : body.items()) {
    Entry entry;
    if (!ParseRange(key, entry.first, entry.last)) {
      return Invalid("MockedResponses." + name + ": invalid invocation key '" + key + "'");
    }
    auto outcome = ParseOutcome("MockedResponses." + name + "." + key, value);
    if (!outcome.ok()) return outcome.status();
    entry.outcome = std::move(*outcome);
    entries.push_back(std::move(entry));
  }
  std::sort(entries.begin(), entries.end(),
            [](const Entry& a, const Entry& b) { return a.first < b.first; });
  for (size_t i = 1; i < entries.size(); ++i) {
    if (entries[i].first <= entries[i - 1].last) {
      return Invalid("MockedResponses." + name + ": overlapping invocation ranges");
    }
  }
  return entries;
}

Result<MockConfig> MockConfig::Parse(const Json& document) {
  if (!document.is_object()) return Invalid("the document must be a JSON object");
  MockConfig config;
  const Json responses = document.value("MockedResponses", Json::object());
  if (!responses.is_object()) return Invalid("MockedResponses must be an object");
  for (const auto& [name, body] : responses.items()) {
    auto entries = ParseResponse(name, body);
    if (!entries.ok()) return entries.status();
    config.responses_[name] = std::move(*entries);
  }
  const Json machines = document.value("StateMachines", Json::object());
  if (!machines.is_object()) return Invalid("StateMachines must be an object");
  for (const auto& [machine, body] : machines.items()) {
    if (!body.is_object() || !body.contains("TestCases") || !body["TestCases"].is_object()) {
      return Invalid("StateMachines." + machine + ".TestCases must be an object");
    }
    for (const auto& [test_case, states] : body["TestCases"].items()) {
      if (!states.is_object()) return Invalid("test case " + test_case + " must be an object");
      TestCase& tc = config.machines_[machine][test_case];
      for (const auto& [state, mock] : states.items()) {
        if (!mock.is_string() || !config.responses_.count(mock.get<std::string>())) {
          return Invalid("StateMachines." + machine + ".TestCases." + test_case + "." + state +
                         " names no mocked response");
        }
        tc[state] = mock.get<std::string>();
      }
    }
  }
  return config;
}

Result<MockConfig> MockConfig::LoadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(ErrorCode::kValidation, "Cannot read mock configuration file " + path);
  std::stringstream text;
  text << in.rdbuf();
  auto json = ParseJson(text.str());
  if (!json.ok()) return Invalid(path + ": " + json.status().message());
  return Parse(*json);
}

bool MockConfig::HasTestCase(const std::string& state_machine, const std::string& test_case) const {
  auto m = machines_.find(state_machine);
  return m != machines_.end() && m->second.count(test_case);
}

std::optional<TaskOutcome> MockConfig::Lookup(const std::string& state_machine,
                                              const std::string& test_case,
                                              const std::string& state, int64_t invocation) const {
  auto m = machines_.find(state_machine);
  if (m == machines_.end()) return std::nullopt;
  auto tc = m->second.find(test_case);
  if (tc == m->second.end()) return std::nullopt;
  auto st = tc->second.find(state);
  if (st == tc->second.end()) return std::nullopt;
  const std::vector<Entry>& entries = responses_.at(st->second);
  for (const Entry& e : entries) {
    if (invocation >= e.first && invocation <= e.last) return e.outcome;
  }
  if (invocation > entries.back().last) return entries.back().outcome;
  return std::nullopt;  // a gap before the first range: not mocked
}

std::string StateMachineNameOf(const std::string& arn) {
  const std::string marker = ":stateMachine:";
  size_t pos = arn.find(marker);
  if (pos == std::string::npos) return arn;
  std::string rest = arn.substr(pos + marker.size());
  size_t colon = rest.find(':');
  return colon == std::string::npos ? rest : rest.substr(0, colon);
}

std::string TestCaseNameOf(const std::string& test_case) {
  size_t hash = test_case.rfind('#');
  return hash == std::string::npos ? test_case : test_case.substr(hash + 1);
}

MockDispatcher::MockDispatcher(std::shared_ptr<const MockConfig> config,
                               std::shared_ptr<TaskDispatcher> fallback)
    : config_(std::move(config)), fallback_(std::move(fallback)) {}

void MockDispatcher::Dispatch(TaskRequest request, std::function<void(TaskOutcome)> done) {
  if (config_ && !request.test_case.empty()) {
    auto outcome =
        config_->Lookup(StateMachineNameOf(request.state_machine_arn),
                        TestCaseNameOf(request.test_case), request.state_name, request.invocation);
    if (outcome) {
      done(std::move(*outcome));
      return;
    }
  }
  if (fallback_) {
    fallback_->Dispatch(std::move(request), std::move(done));
    return;
  }
  TaskOutcome outcome;
  outcome.error = {errors::kTaskFailed,
                   "No mocked response and no integration for resource " + request.spec.arn,
                   std::nullopt};
  done(std::move(outcome));
}

}  // namespace stepline::integrations
