// TestState: parses the definition (one state, or a whole machine with
// stateName), reads the mock and hands the state to runtime::RunTestState.
// An unmocked request-response Task is called through the dispatcher first;
// at TRACE, an HTTP Task's wire exchange joins the inspectionData.
#include "engine/runtime/test_state.h"

#include <cstdint>
#include <limits>

#include "common/limits.h"
#include "engine/asl/parser.h"
#include "server/api/actions.h"
#include "server/api/handler.h"
#include "server/api/test_state_trace.h"
#include "server/api/validation.h"

namespace stepline::api {
namespace {

// A lone state becomes a one-state machine; each state it can transition to
// gets a placeholder Succeed state so that the graph checks pass.
Json WrapState(const Json& state) {
  const std::string name = "TestState";
  Json states = {{name, state}};
  auto add = [&states](const Json& target) {
    if (target.is_string() && !states.contains(target.get<std::string>())) {
      states[target.get<std::string>()] = {{"Type", "Succeed"}};
    }
  };
  add(state.value("Next", Json()));
  add(state.value("Default", Json()));
  for (const char* list : {"Choices", "Catch"}) {
    const Json& items = state.value(list, Json::array());
    if (!items.is_array()) continue;
    for (const Json& item : items) {
      if (item.is_object()) add(item.value("Next", Json()));
    }
  }
  return {{"StartAt", name}, {"States", std::move(states)}};
}

Result<Json> JsonMember(const std::string& text, const char* member) {
  Result<Json> parsed = ParseJson(text);
  if (!parsed.ok()) {
    return Status(ErrorCode::kValidation,
                  std::string("The field '") + member + "' is not valid JSON: " + text);
  }
  return parsed;
}

Result<std::optional<runtime::TestStateMock>> ReadMock(const Json& request,
                                                       ConstraintErrors& errors) {
  ASSIGN_OR_RETURN(const Json* mock, OptObject(request, "mock"));
  if (!mock) return std::optional<runtime::TestStateMock>();
  runtime::TestStateMock out;
  ASSIGN_OR_RETURN(std::optional<std::string> result, OptString(*mock, "result"));
  ASSIGN_OR_RETURN(const Json* error_output, OptObject(*mock, "errorOutput"));
  ASSIGN_OR_RETURN(std::optional<std::string> mode, OptString(*mock, "fieldValidationMode"));
  if (mode) errors.Enum("mock.fieldValidationMode", *mode, {"STRICT", "PRESENT", "NONE"});
  if (result.has_value() == (error_output != nullptr)) {
    return Status(ErrorCode::kValidation, "A mock must have exactly one of result or errorOutput");
  }
  if (result) {
    errors.MaxLength("mock.result", *result, limits::kMaxPayloadBytes, true);
    ASSIGN_OR_RETURN(out.result, JsonMember(*result, "mock.result"));
  } else {
    ASSIGN_OR_RETURN(out.error, OptString(*error_output, "error"));
    ASSIGN_OR_RETURN(out.cause, OptString(*error_output, "cause"));
  }
  return std::optional<runtime::TestStateMock>(std::move(out));
}

// stateConfiguration: the retry count reached, the Map failures, the failing
// inner state and the ItemReader's data (passed as read, parsed per ReaderConfig).
Result<runtime::TestStateConfig> ReadConfig(const Json& request, ConstraintErrors& errors) {
  runtime::TestStateConfig out;
  ASSIGN_OR_RETURN(const Json* config, OptObject(request, "stateConfiguration"));
  if (!config) return out;
  ASSIGN_OR_RETURN(std::optional<int64_t> retries, OptInt(*config, "retrierRetryCount"));
  ASSIGN_OR_RETURN(std::optional<int64_t> failures, OptInt(*config, "mapIterationFailureCount"));
  ASSIGN_OR_RETURN(out.error_caused_by_state, OptString(*config, "errorCausedByState"));
  ASSIGN_OR_RETURN(std::optional<std::string> data, OptString(*config, "mapItemReaderData"));
  const int64_t max = std::numeric_limits<int32_t>::max();
  if (retries) errors.Range("stateConfiguration.retrierRetryCount", *retries, 0, max);
  if (failures) errors.Range("stateConfiguration.mapIterationFailureCount", *failures, 0, max);
  if (const auto& name = out.error_caused_by_state) {
    errors.MinLength("stateConfiguration.errorCausedByState", *name, 1);
    errors.MaxLength("stateConfiguration.errorCausedByState", *name, 80);
  }
  if (data) {
    errors.MaxLength("stateConfiguration.mapItemReaderData", *data, limits::kMaxPayloadBytes, true);
    out.map_item_reader_data = Json(*data);
  }
  out.retrier_retry_count = retries.value_or(0);
  out.map_iteration_failure_count = failures.value_or(0);
  return out;
}

// The request members other than the definition.
Result<runtime::TestStateRequest> ReadRequest(const Json& request, ConstraintErrors& errors) {
  ASSIGN_OR_RETURN(std::optional<std::string> input, OptString(request, "input"));
  ASSIGN_OR_RETURN(std::optional<std::string> variables, OptString(request, "variables"));
  ASSIGN_OR_RETURN(std::optional<std::string> context, OptString(request, "context"));
  runtime::TestStateRequest req;
  ASSIGN_OR_RETURN(req.mock, ReadMock(request, errors));
  ASSIGN_OR_RETURN(req.config, ReadConfig(request, errors));
  RETURN_IF_ERROR(errors.ToStatus());
  ASSIGN_OR_RETURN(req.input, JsonMember(input.value_or("{}"), "input"));
  ASSIGN_OR_RETURN(req.variables, JsonMember(variables.value_or("{}"), "variables"));
  if (!req.variables.is_object()) {
    return Status(ErrorCode::kValidation, "The field 'variables' must be a JSON object");
  }
  if (context) {
    ASSIGN_OR_RETURN(req.context, JsonMember(*context, "context"));
    if (!req.context->is_object()) {
      return Status(ErrorCode::kValidation, "The field 'context' must be a JSON object");
    }
  }
  return req;
}

// A parsed request: the machine keeps `req.state` alive.
struct Prepared {
  std::shared_ptr<const asl::StateMachine> machine;
  runtime::TestStateRequest req;
  bool debug = false;  // DEBUG or TRACE: inspectionData
  bool trace = false;  // TRACE
  bool reveal_secrets = false;
  std::optional<task::HttpExchange> exchange;  // an HTTP Task's call, at TRACE
};

// TRACE is DEBUG plus an HTTP Task's request and response (when the Task was
// called: a mocked one sends nothing). On other states it shows what DEBUG
// does, as AWS answers it. revealSecrets only concerns those HTTP headers.
Result<Prepared> Prepare(const Json& request) {
  ConstraintErrors errors;
  ASSIGN_OR_RETURN(std::string definition, RequiredString(request, "definition", errors));
  ASSIGN_OR_RETURN(std::optional<std::string> role, OptString(request, "roleArn"));
  ASSIGN_OR_RETURN(std::optional<std::string> level, OptString(request, "inspectionLevel"));
  ASSIGN_OR_RETURN(std::optional<bool> reveal, OptBool(request, "revealSecrets"));
  ASSIGN_OR_RETURN(std::optional<std::string> state_name, OptString(request, "stateName"));
  errors.MaxLength("definition", definition, limits::kMaxDefinitionBytes, true);
  if (level) errors.Enum("inspectionLevel", *level, {"INFO", "DEBUG", "TRACE"});
  Prepared out;
  ASSIGN_OR_RETURN(out.req, ReadRequest(request, errors));
  Result<Json> doc = ParseJson(definition);
  bool lone = doc.ok() && doc->is_object() && doc->contains("Type");
  std::string text = lone ? DumpJson(WrapState(*doc)) : definition;
  ASSIGN_OR_RETURN(out.machine, asl::ParseDefinition(text));
  std::string name = lone ? "TestState" : state_name.value_or(out.machine->root.start_at);
  out.req.state = out.machine->root.Find(name);
  if (!out.req.state) {
    return Status(ErrorCode::kValidation, "State '" + name + "' is not in the definition");
  }
  out.debug = level.value_or("INFO") != "INFO";
  out.trace = level.value_or("INFO") == "TRACE";
  out.reveal_secrets = reveal.value_or(false);
  return out;
}

Result<Json> Answer(const Prepared& p) {
  ASSIGN_OR_RETURN(runtime::TestStateResult r, runtime::RunTestState(p.req));
  Json body = {{"status", r.status}};
  if (r.output) body["output"] = DumpJson(*r.output);
  if (r.error) body["error"] = *r.error;
  if (r.cause) body["cause"] = *r.cause;
  if (r.next_state) body["nextState"] = *r.next_state;
  if (p.exchange) AddHttpTrace(*p.exchange, p.reveal_secrets, r.inspection);
  if (p.debug) body["inspectionData"] = std::move(r.inspection);
  return body;
}

// An unmocked Task is called, as AWS does, when it is a request-response
// integration (no .sync, .waitForTaskToken or activity: those need a mock).
bool Callable(const ApiContext& ctx, const Prepared& p) {
  const asl::State& s = *p.req.state;
  if (s.type != asl::StateType::kTask || p.req.mock || !ctx.deps.dispatcher) return false;
  const auto& spec = s.as<asl::TaskSpec>().resource_spec;
  return spec && spec->pattern == task::Pattern::kRequestResponse && !spec->activity;
}

void TestState(const ApiContext& ctx, const Json& request, Reply reply) {
  Result<Prepared> parsed = Prepare(request);
  if (!parsed.ok()) return reply(parsed.status());
  auto p = std::make_shared<Prepared>(std::move(parsed).value());
  if (!Callable(ctx, *p)) return reply(Answer(*p));
  std::optional<Json> parameters = runtime::TestStateTaskParameters(p->req);
  if (!parameters) {
    p->req.mock.emplace().result = Json::object();  // the parameters fail first
    return reply(Answer(*p));
  }
  task::TaskRequest call;
  call.spec = *p->req.state->as<asl::TaskSpec>().resource_spec;
  call.parameters = std::move(*parameters);
  call.state_name = p->req.state->name;
  call.region = ctx.deps.region;
  call.account = ctx.deps.account;
  if (p->trace) {
    call.on_http_exchange = [p](task::HttpExchange e) { p->exchange = std::move(e); };
  }
  ctx.deps.dispatcher->Dispatch(std::move(call), [p, reply](task::TaskOutcome outcome) {
    runtime::TestStateMock mock;
    if (outcome.ok) {
      mock.result = std::move(outcome.result);
    } else {
      mock.error = outcome.error.error;
      mock.cause = outcome.error.cause;
    }
    p->req.mock = std::move(mock);
    reply(Answer(*p));
  });
}

}  // namespace

void RegisterTestStateActions(ActionTable& table) { table["TestState"] = TestState; }

}  // namespace stepline::api
