// Internal to the definition parser: one function per part of the language.
// Each reads a JSON value at an AWS-style location, appends diagnostics to
// the ParseContext and fills the model with whatever could be compiled.
//
// Thread-safety: as ParseContext (one parse, one thread).
// Invariant: when the context holds no ERROR after parsing, the model is
// complete and satisfies the invariants documented in model.h.
#pragma once

#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "engine/asl/model.h"
#include "engine/asl/parse_context.h"

namespace stepline::asl::internal {

// A "StartAt + States" scope. `root` is the whole machine (location "/"),
// otherwise a Parallel branch or a Map processor.
std::shared_ptr<Program> ParseProgram(const Json& object, const std::string& location,
                                      ParseContext& ctx);

// Checks every scope's transition graph (targets, reachability, terminal
// state) when the schema is valid; AWS reports graph problems only then.
void CheckGraphs(ParseContext& ctx);

// The fields every state type reads (Type, Comment, QueryLanguage, Next/End,
// data flow, Assign, Retry/Catch) and the type-specific part.
void ParseState(const std::string& name, const Json& object, const std::string& location,
                ParseContext& ctx, State& state);

// Type-specific parts. `in` reads the state object.
void ParsePass(const FieldReader& in, ParseContext& ctx, State& state);
void ParseTask(const FieldReader& in, ParseContext& ctx, State& state);
void ParseWait(const FieldReader& in, ParseContext& ctx, State& state);
void ParseFail(const FieldReader& in, ParseContext& ctx, State& state);
void ParseChoice(const FieldReader& in, ParseContext& ctx, State& state);
void ParseParallel(const FieldReader& in, ParseContext& ctx, State& state);
void ParseMap(const FieldReader& in, ParseContext& ctx, State& state);

// Shared pieces.
Assign ParseAssign(const FieldReader& in, QueryLanguage language, ParseContext& ctx);
std::vector<Retrier> ParseRetry(const FieldReader& in, ParseContext& ctx);
std::vector<Catcher> ParseCatch(const FieldReader& in, QueryLanguage language, ParseContext& ctx);
// A number field that may also be given by `<key>Path` (JSONPath) or a
// "{% %}" string (JSONata). Reports both present, range and type errors.
DynamicNumber ParseDynamicNumber(const FieldReader& in, std::string_view key,
                                 QueryLanguage language, double min, std::optional<double> max,
                                 bool integer, ParseContext& ctx);

// Field names allowed on each state type (both languages), and the fields
// belonging to only one language.
const std::set<std::string_view>& FieldsOf(StateType type);
const std::set<std::string_view>& JsonPathOnlyFields();
const std::set<std::string_view>& JsonataOnlyFields();

}  // namespace stepline::asl::internal
