// ParseDefinition / ValidateDefinition: the definition's top level, and the
// assembly of AWS's InvalidDefinition message from the diagnostics.
#include "engine/asl/parser.h"

#include "common/limits.h"
#include "engine/asl/json_error.h"
#include "engine/asl/json_reader.h"
#include "engine/asl/state_parsers.h"

namespace stepline::asl {
namespace {

using internal::FieldReader;
using internal::ParseContext;

bool IsBlank(std::string_view text) {
  for (char c : text) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return false;
  }
  return true;
}

void ReadMachineLanguage(const FieldReader& in, ParseContext& ctx) {
  auto language = in.String("QueryLanguage");
  if (!language) return;
  if (*language == "JSONata") {
    ctx.machine_language = QueryLanguage::kJsonata;
  } else if (*language != "JSONPath") {
    ctx.Schema("Value should be one of the following: [JSONPath, JSONata]", in.At("QueryLanguage"));
  }
}

// Parses the text into `*machine` (when it is a JSON object), collecting diagnostics.
void Parse(std::string_view text, ParseContext& ctx, StateMachine* machine) {
  if (IsBlank(text)) {
    ctx.Schema("Definition must be a valid JSON object", "");
    return;
  }
  if (internal::JsonNestingTooDeep(text)) {
    ctx.Error(internal::kInvalidJson,
              "JSON nesting exceeds the maximum depth of " + std::to_string(limits::kMaxJsonDepth),
              "");
    return;
  }
  auto json = internal::ReadJson(text);
  if (!json) {
    ctx.diagnostics.push_back(internal::InvalidJsonDiagnostic(text));
    return;
  }
  if (!json->is_object()) {
    ctx.Schema("Definition must be a valid JSON object", "");
    return;
  }
  machine->definition = std::move(*json);
  FieldReader in(machine->definition, "/", ctx);
  in.RejectUnknown({"Comment", "StartAt", "States", "Version", "TimeoutSeconds", "QueryLanguage"});
  ReadMachineLanguage(in, ctx);
  if (auto version = in.String("Version")) machine->version = *version;
  machine->timeout_seconds = in.Integer("TimeoutSeconds", 1, 99999999);
  auto root = internal::ParseProgram(machine->definition, "/", ctx);
  internal::CheckGraphs(ctx);
  machine->root = std::move(*root);
}

// Conservative: any text that could name the context object counts.
bool TextReadsContext(const std::string& s) {
  if (s.find("$$") != std::string::npos) return true;
  for (size_t at = s.find("$states"); at != std::string::npos; at = s.find("$states", at + 1)) {
    std::string_view rest = std::string_view(s).substr(at + 7);
    bool plain = rest.rfind(".input", 0) == 0 || rest.rfind(".result", 0) == 0 ||
                 rest.rfind(".errorOutput", 0) == 0;
    if (!plain) return true;
  }
  return false;
}

bool ReadsContext(const Json& v) {
  if (v.is_string()) return TextReadsContext(v.get_ref<const std::string&>());
  if (v.is_object()) {
    for (auto it = v.begin(); it != v.end(); ++it) {
      if (TextReadsContext(it.key()) || ReadsContext(it.value())) return true;
    }
  } else if (v.is_array()) {
    for (const Json& e : v) {
      if (ReadsContext(e)) return true;
    }
  }
  return false;
}

std::string Flatten(const std::vector<Diagnostic>& diagnostics) {
  std::string out;
  for (const Diagnostic& d : diagnostics) {
    if (!out.empty()) out += ", ";
    out += d.code + ": " + d.message + " at " + (d.location.empty() ? "null" : d.location);
  }
  return out;
}

}  // namespace

Result<std::shared_ptr<const StateMachine>> ParseDefinition(std::string_view text,
                                                            const ParseOptions& options) {
  ParseContext ctx;
  ctx.options = &options;
  auto machine = std::make_shared<StateMachine>();
  Parse(text, ctx, machine.get());
  if (!ctx.diagnostics.empty()) {
    return Status(ErrorCode::kInvalidDefinition,
                  "Invalid State Machine Definition: '" + Flatten(ctx.diagnostics) + "'");
  }
  machine->root.query_language = ctx.machine_language;
  machine->reads_context = ReadsContext(machine->definition);
  return std::shared_ptr<const StateMachine>(std::move(machine));
}

std::vector<Diagnostic> ValidateDefinition(std::string_view text, const ParseOptions& options) {
  ParseContext ctx;
  ctx.options = &options;
  StateMachine machine;
  Parse(text, ctx, &machine);
  return std::move(ctx.diagnostics);
}

}  // namespace stepline::asl
