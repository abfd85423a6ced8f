// Programs ("StartAt + States" scopes) and their transition graph: dangling
// targets, unreachable states and the missing terminal state.
#include <deque>
#include <unordered_set>

#include "common/limits.h"
#include "engine/asl/state_parsers.h"

namespace stepline::asl::internal {
namespace {

size_t CodePoints(const std::string& text) {
  size_t n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

bool IsRoot(const std::string& location) { return location == "/"; }

bool IsProcessor(const std::string& location) {
  auto ends = [&](std::string_view s) {
    return location.size() >= s.size() &&
           location.compare(location.size() - s.size(), s.size(), s) == 0;
  };
  return ends("/ItemProcessor") || ends("/Iterator");
}

struct Target {
  std::string name;
  std::string location;
};

// Every transition a state makes, with the location of the field naming it.
std::vector<Target> TargetsOf(const State& state, const std::string& at) {
  std::vector<Target> out;
  if (!state.next.empty()) out.push_back({state.next, at + "/Next"});
  if (state.type == StateType::kChoice && std::holds_alternative<ChoiceSpec>(state.spec)) {
    const auto& choice = state.as<ChoiceSpec>();
    for (size_t i = 0; i < choice.choices.size(); ++i) {
      if (!choice.choices[i].next.empty()) {
        out.push_back({choice.choices[i].next, at + "/Choices[" + std::to_string(i) + "]/Next"});
      }
    }
    if (!choice.default_next.empty()) out.push_back({choice.default_next, at + "/Default"});
  }
  for (size_t i = 0; i < state.catchers.size(); ++i) {
    if (!state.catchers[i].next.empty()) {
      out.push_back({state.catchers[i].next, at + "/Catch[" + std::to_string(i) + "]/Next"});
    }
  }
  return out;
}

bool IsTerminal(const State& state) {
  return state.end || state.type == StateType::kSucceed || state.type == StateType::kFail;
}

void CheckTargets(const Program& program, const std::string& states_at, ParseContext& ctx) {
  for (const State& state : program.states) {
    for (const Target& t : TargetsOf(state, Child(states_at, state.name))) {
      if (!program.Find(t.name))
        ctx.Error(kMissingTarget, "Missing 'Next' target: " + t.name, t.location);
    }
  }
}

void CheckReachable(const Program& program, const std::string& states_at, ParseContext& ctx) {
  std::unordered_set<std::string> reached;
  std::deque<const State*> pending;
  if (const State* start = program.Find(program.start_at)) {
    reached.insert(start->name);
    pending.push_back(start);
  }
  while (!pending.empty()) {
    const State* state = pending.front();
    pending.pop_front();
    for (const Target& t : TargetsOf(*state, "")) {
      const State* next = program.Find(t.name);
      if (next && reached.insert(next->name).second) pending.push_back(next);
    }
  }
  for (const State& state : program.states) {
    if (!reached.count(state.name)) {
      ctx.Error(kMissingTarget, "State \"" + state.name + "\" is not reachable.",
                Child(states_at, state.name));
    }
  }
}

void CheckGraph(const Program& program, const std::string& location, ParseContext& ctx) {
  std::string states_at = Child(location, "States");
  if (!program.start_at.empty() && !program.states.empty() && !program.Find(program.start_at)) {
    ctx.Error(kMissingTarget, "Missing 'Next' target: " + program.start_at,
              Child(location, "StartAt"));
  }
  CheckTargets(program, states_at, ctx);
  if (program.states.empty()) return;
  bool terminal = false;
  for (const State& state : program.states) terminal = terminal || IsTerminal(state);
  if (IsRoot(location) && !terminal) {
    ctx.Error(kMissingEnd, "Workflow has no terminal state", "");
    return;
  }
  CheckReachable(program, states_at, ctx);
}

void CheckName(const std::string& name, const std::string& at, ParseContext& ctx) {
  if (CodePoints(name) > limits::kMaxStateNameLength) {
    ctx.Error(kInvalidStateName, "State name is too long (maximum 80 characters): " + name, at);
  }
  if (!ctx.all_state_names.insert(name).second) {
    ctx.Error(kDuplicateName, "Duplicate State name: " + name, at);
  }
}

void ParseStates(const Json& states, const std::string& states_at, ParseContext& ctx,
                 Program& program) {
  if (states.empty()) {
    ctx.Schema("The field 'States' should be non-empty", states_at);
    return;
  }
  program.states.reserve(states.size());
  for (const auto& [name, object] : states.items()) {
    std::string at = Child(states_at, name);
    CheckName(name, at, ctx);
    if (program.index.count(name)) continue;
    program.states.emplace_back();
    ParseState(name, object, at, ctx, program.states.back());
    program.index.emplace(name, program.states.size() - 1);
  }
}

}  // namespace

std::shared_ptr<Program> ParseProgram(const Json& object, const std::string& location,
                                      ParseContext& ctx) {
  auto program = std::make_shared<Program>();
  program->query_language = ctx.machine_language;
  FieldReader in(object, location, ctx);
  if (!IsRoot(location)) {
    if (IsProcessor(location)) {
      in.RejectUnknown({"StartAt", "States", "Comment", "ProcessorConfig"});
    } else {
      in.RejectUnknown({"StartAt", "States", "Comment"});
    }
  }
  in.Require({"States", "StartAt"});
  if (auto start = in.NonEmptyString("StartAt")) program->start_at = *start;
  if (auto comment = in.String("Comment")) program->comment = *comment;
  if (const Json* states = in.Object("States")) {
    ParseStates(*states, Child(location, "States"), ctx, *program);
  }
  ctx.scopes.emplace_back(program.get(), location);
  return program;
}

void CheckGraphs(ParseContext& ctx) {
  for (const auto& d : ctx.diagnostics) {
    if (d.code == kSchema || d.code == kInvalidJson) return;
  }
  for (const auto& [program, location] : ctx.scopes) CheckGraph(*program, location, ctx);
}

}  // namespace stepline::asl::internal
