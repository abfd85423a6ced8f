// Retry and Catch: error-handling fields of Task, Parallel and Map states.
#include "engine/asl/state_parsers.h"
#include "engine/states_error.h"

namespace stepline::asl::internal {
namespace {

constexpr int64_t kMaxRetrySeconds = 99999999;
constexpr int64_t kMaxDelayLimit = 31622401;

// Reads ErrorEquals; `*catch_all` tells whether it is ["States.ALL"].
std::vector<std::string> ReadErrorEquals(const FieldReader& in, ParseContext& ctx,
                                         bool* catch_all) {
  std::vector<std::string> out;
  *catch_all = false;
  const Json* list = in.Array("ErrorEquals");
  if (!list) return out;
  if (list->empty()) {
    ctx.Schema("The field 'ErrorEquals' should be non-empty", in.At("ErrorEquals"));
    return out;
  }
  for (size_t i = 0; i < list->size(); ++i) {
    const Json& name = (*list)[i];
    if (!name.is_string()) {
      ctx.Schema("Expected value of type [STRING]",
                 in.At("ErrorEquals[" + std::to_string(i) + "]"));
      continue;
    }
    out.push_back(name.get<std::string>());
  }
  bool has_all = false;
  for (const auto& name : out) has_all = has_all || name == errors::kAll;
  if (has_all && list->size() > 1) {
    ctx.Schema("'States.ALL' must appear alone in the 'ErrorEquals' array", in.At("ErrorEquals"));
  }
  *catch_all = has_all;
  return out;
}

void CheckCatchAllLast(bool catch_all, size_t index, size_t count, const std::string& location,
                       const char* what, ParseContext& ctx) {
  if (catch_all && index + 1 != count) {
    ctx.Schema(std::string("'States.ALL' can only appear in the last ") + what, location);
  }
}

Retrier ReadRetrier(const FieldReader& in, ParseContext& ctx, bool* catch_all) {
  Retrier r;
  in.RejectUnknown({"ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate",
                    "MaxDelaySeconds", "JitterStrategy", "Comment"});
  in.Require({"ErrorEquals"});
  r.error_equals = ReadErrorEquals(in, ctx, catch_all);
  if (auto v = in.Integer("IntervalSeconds", 1, kMaxRetrySeconds)) r.interval_seconds = *v;
  if (auto v = in.Integer("MaxAttempts", 0, kMaxRetrySeconds)) r.max_attempts = *v;
  if (auto v = in.Number("BackoffRate", 1.0, std::nullopt)) r.backoff_rate = *v;
  r.max_delay_seconds = in.Integer("MaxDelaySeconds", 1, kMaxDelayLimit);
  if (auto jitter = in.String("JitterStrategy")) {
    if (*jitter == "FULL") {
      r.jitter = Retrier::Jitter::kFull;
    } else if (*jitter != "NONE") {
      ctx.Schema("Value should be one of the following: [FULL, NONE]", in.At("JitterStrategy"));
    }
  }
  in.String("Comment");
  return r;
}

void CheckCatcherFields(const FieldReader& in, const Json& object, QueryLanguage language,
                        ParseContext& ctx) {
  in.RejectUnknown({"ErrorEquals", "Next", "ResultPath", "Output", "Assign", "Comment"});
  const char* foreign = language == QueryLanguage::kJsonata ? "ResultPath" : "Output";
  if (object.contains(foreign)) {
    bool jsonata = language == QueryLanguage::kJsonata;
    ctx.Schema(std::string("The QueryLanguage is set to '") + (jsonata ? "JSONata" : "JSONPath") +
                   "', but field '" + foreign + "' is only supported for the '" +
                   (jsonata ? "JSONPath" : "JSONata") + "' QueryLanguage",
               in.location());
  }
}

Catcher ReadCatcher(const FieldReader& in, const Json& object, QueryLanguage language,
                    ParseContext& ctx, bool* catch_all) {
  Catcher c;
  CheckCatcherFields(in, object, language, ctx);
  in.Require({"ErrorEquals", "Next"});
  c.error_equals = ReadErrorEquals(in, ctx, catch_all);
  if (auto next = in.NonEmptyString("Next")) c.next = *next;
  if (language == QueryLanguage::kJsonPath) {
    c.result_path = in.NullablePath("ResultPath", true);
  } else if (const Json* output = in.Get("Output")) {
    c.output = CompileJsonata(*output, in.At("Output"), ctx);
  }
  if (in.Has("Assign")) c.assign = ParseAssign(in, language, ctx);
  in.String("Comment");
  return c;
}

}  // namespace

std::vector<Retrier> ParseRetry(const FieldReader& in, ParseContext& ctx) {
  std::vector<Retrier> out;
  const Json* list = in.Array("Retry");
  if (!list) return out;
  for (size_t i = 0; i < list->size(); ++i) {
    std::string location = in.At("Retry[" + std::to_string(i) + "]");
    if (!(*list)[i].is_object()) {
      ctx.Schema("Expected value of type [OBJECT]", location);
      continue;
    }
    bool catch_all = false;
    out.push_back(ReadRetrier(FieldReader((*list)[i], location, ctx), ctx, &catch_all));
    CheckCatchAllLast(catch_all, i, list->size(), location, "Retrier", ctx);
  }
  return out;
}

std::vector<Catcher> ParseCatch(const FieldReader& in, QueryLanguage language, ParseContext& ctx) {
  std::vector<Catcher> out;
  const Json* list = in.Array("Catch");
  if (!list) return out;
  for (size_t i = 0; i < list->size(); ++i) {
    std::string location = in.At("Catch[" + std::to_string(i) + "]");
    const Json& item = (*list)[i];
    if (!item.is_object()) {
      ctx.Schema("Expected value of type [OBJECT]", location);
      continue;
    }
    bool catch_all = false;
    out.push_back(ReadCatcher(FieldReader(item, location, ctx), item, language, ctx, &catch_all));
    CheckCatchAllLast(catch_all, i, list->size(), location, "Catcher", ctx);
  }
  return out;
}

}  // namespace stepline::asl::internal
