// Fields common to every state type, and the dispatch to the type parsers.
#include <array>

#include "engine/asl/state_parsers.h"

namespace stepline::asl::internal {
namespace {

using FieldSet = std::set<std::string_view>;

struct TypeEntry {
  const char* name;
  StateType type;
};

// AWS lists the types in this order in its diagnostic.
constexpr std::array<TypeEntry, 8> kTypes = {{{"Task", StateType::kTask},
                                              {"Wait", StateType::kWait},
                                              {"Pass", StateType::kPass},
                                              {"Succeed", StateType::kSucceed},
                                              {"Fail", StateType::kFail},
                                              {"Choice", StateType::kChoice},
                                              {"Parallel", StateType::kParallel},
                                              {"Map", StateType::kMap}}};

std::optional<StateType> ReadType(const FieldReader& in, ParseContext& ctx) {
  if (!in.Require({"Type"})) return std::nullopt;
  const Json* v = in.Get("Type");
  if (v->is_string()) {
    for (const auto& entry : kTypes) {
      if (v->get_ref<const std::string&>() == entry.name) return entry.type;
    }
  }
  ctx.Schema(
      "The field 'Type' should have one of these values: [Task, Wait, Pass, Succeed, Fail, "
      "Choice, Parallel, Map]",
      in.At("Type"));
  return std::nullopt;
}

const char* LanguageName(QueryLanguage language) {
  return language == QueryLanguage::kJsonata ? "JSONata" : "JSONPath";
}

// The state's effective language; reports a bad value or a JSONPath state in
// a JSONata machine. `downgrade` tells whether the latter was reported.
QueryLanguage ReadLanguage(const FieldReader& in, ParseContext& ctx, bool* downgrade) {
  *downgrade = false;
  const Json* v = in.Get("QueryLanguage");
  if (!v) return ctx.machine_language;
  if (!v->is_string()) {
    ctx.Schema("Expected value of type [STRING]", in.At("QueryLanguage"));
    return ctx.machine_language;
  }
  const auto& text = v->get_ref<const std::string&>();
  if (text == "JSONPath") {
    if (ctx.machine_language == QueryLanguage::kJsonata) {
      ctx.Schema(
          "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine",
          in.location());
      *downgrade = true;
    }
    return QueryLanguage::kJsonPath;
  }
  if (text != "JSONata") {
    ctx.Schema("Value should be one of the following: [JSONPath, JSONata]", in.At("QueryLanguage"));
  }
  return QueryLanguage::kJsonata;
}

void CheckFields(const Json& object, const FieldReader& in, StateType type, QueryLanguage language,
                 bool downgrade, ParseContext& ctx) {
  const FieldSet& allowed = FieldsOf(type);
  const FieldSet& foreign =
      language == QueryLanguage::kJsonata ? JsonPathOnlyFields() : JsonataOnlyFields();
  for (const auto& [key, value] : object.items()) {
    if (!allowed.count(key)) {
      ctx.Schema("Field '" + key + "' is not supported", in.location());
    } else if (foreign.count(key) && !downgrade) {
      QueryLanguage other =
          language == QueryLanguage::kJsonata ? QueryLanguage::kJsonPath : QueryLanguage::kJsonata;
      ctx.Schema(std::string("The QueryLanguage is set to '") + LanguageName(language) +
                     "', but field '" + key + "' is only supported for the '" +
                     LanguageName(other) + "' QueryLanguage",
                 in.location());
    }
  }
}

bool HasTransition(StateType type) {
  return type != StateType::kChoice && type != StateType::kSucceed && type != StateType::kFail;
}

void ReadTransition(const FieldReader& in, ParseContext& ctx, State& state) {
  auto next = in.NonEmptyString("Next");
  auto end = in.Bool("End");
  bool has_next = in.Has("Next");
  bool has_end = end.value_or(false);
  if (has_next && has_end) {
    ctx.Schema("Only one of the following fields can be specified: [Next, End]", in.location());
  } else if (!has_next && !in.Has("End")) {
    ctx.Schema("The field 'Next' or 'End' is required", in.location());
  } else if (!has_next && end.has_value() && !*end) {
    ctx.Schema("The field 'End' should be 'true' when 'Next' is absent", in.At("End"));
  }
  if (next) state.next = *next;
  state.end = has_end && !has_next;
}

void ReadJsonPathFlow(const FieldReader& in, ParseContext& ctx, State& state) {
  state.input_path = in.NullablePath("InputPath", false);
  state.output_path = in.NullablePath("OutputPath", false);
  state.result_path = in.NullablePath("ResultPath", true);
  if (state.result_path.kind == OptionalPath::Kind::kPath &&
      state.result_path.path.root() != jsonpath::Path::Root::kInput) {
    ctx.Schema("The value for the field 'ResultPath' must be a valid JSONPath",
               in.At("ResultPath"));
  }
  if (state.type != StateType::kMap) {
    if (const Json* p = in.Get("Parameters")) {
      state.parameters = CompilePayload(*p, in.At("Parameters"), ctx);
    }
  }
  if (const Json* s = in.Get("ResultSelector")) {
    if (!s->is_object()) {
      ctx.Schema("Expected value of type [OBJECT]", in.At("ResultSelector"));
    } else {
      state.result_selector = CompilePayload(*s, in.At("ResultSelector"), ctx);
    }
  }
}

void ReadJsonataFlow(const FieldReader& in, ParseContext& ctx, State& state) {
  if (const Json* a = in.Get("Arguments")) {
    state.arguments = CompileJsonata(*a, in.At("Arguments"), ctx);
  }
  if (const Json* o = in.Get("Output")) state.output = CompileJsonata(*o, in.At("Output"), ctx);
}

void ParseSpecific(const FieldReader& in, ParseContext& ctx, State& state) {
  switch (state.type) {
    case StateType::kPass:
      return ParsePass(in, ctx, state);
    case StateType::kTask:
      return ParseTask(in, ctx, state);
    case StateType::kChoice:
      return ParseChoice(in, ctx, state);
    case StateType::kWait:
      return ParseWait(in, ctx, state);
    case StateType::kSucceed:
      state.spec = std::monostate{};
      return;
    case StateType::kFail:
      return ParseFail(in, ctx, state);
    case StateType::kParallel:
      return ParseParallel(in, ctx, state);
    case StateType::kMap:
      return ParseMap(in, ctx, state);
  }
}

}  // namespace

void ParseState(const std::string& name, const Json& object, const std::string& location,
                ParseContext& ctx, State& state) {
  state.name = name;
  if (!object.is_object()) {
    ctx.Schema("Expected value of type [OBJECT]", location);
    return;
  }
  FieldReader in(object, location, ctx);
  auto type = ReadType(in, ctx);
  if (!type) return;
  state.type = *type;
  bool downgrade = false;
  state.query_language = ReadLanguage(in, ctx, &downgrade);
  CheckFields(object, in, state.type, state.query_language, downgrade, ctx);
  if (auto comment = in.String("Comment")) state.comment = *comment;
  if (HasTransition(state.type)) ReadTransition(in, ctx, state);
  if (state.query_language == QueryLanguage::kJsonPath) {
    ReadJsonPathFlow(in, ctx, state);
  } else {
    ReadJsonataFlow(in, ctx, state);
  }
  if (in.Has("Assign")) state.assign = ParseAssign(in, state.query_language, ctx);
  if (in.Has("Retry")) state.retry = ParseRetry(in, ctx);
  if (in.Has("Catch")) state.catchers = ParseCatch(in, state.query_language, ctx);
  ParseSpecific(in, ctx, state);
}

Assign ParseAssign(const FieldReader& in, QueryLanguage language, ParseContext& ctx) {
  Assign out;
  const Json* v = in.Object("Assign");
  if (!v) return out;
  if (language == QueryLanguage::kJsonPath) {
    out.jsonpath = CompilePayload(*v, in.At("Assign"), ctx);
  } else {
    out.jsonata = CompileJsonata(*v, in.At("Assign"), ctx);
  }
  return out;
}

DynamicNumber ParseDynamicNumber(const FieldReader& in, std::string_view key,
                                 QueryLanguage language, double min, std::optional<double> max,
                                 bool integer, ParseContext& ctx) {
  DynamicNumber out;
  std::string path_key = std::string(key) + "Path";
  const Json* literal = in.Get(key);
  const Json* path = in.Get(path_key);
  if (literal && path) {
    ctx.Schema("Only one of the following fields can be specified: [" + std::string(key) + ", " +
                   path_key + "]",
               in.location());
    return out;
  }
  if (literal && language == QueryLanguage::kJsonata && literal->is_string()) {
    if (!IsJsonataString(*literal)) {
      ctx.Schema("Expected value of type [" + std::string(integer ? "INTEGER" : "NUMBER") +
                     "] or a JSONata expression",
                 in.At(key));
      return out;
    }
    out.jsonata = CompileJsonata(*literal, in.At(key), ctx);
  } else if (literal) {
    if (integer) {
      auto n =
          in.Integer(key, static_cast<int64_t>(min), max ? static_cast<int64_t>(*max) : INT64_MAX);
      if (n) out.literal = static_cast<double>(*n);
    } else {
      out.literal = in.Number(key, min, max);
    }
  } else if (path && language == QueryLanguage::kJsonPath) {
    out.path = in.Path(path_key, true);
  }
  return out;
}

}  // namespace stepline::asl::internal
