#include "server/api/handler.h"

#include <spdlog/spdlog.h>

#include <atomic>
#include <exception>
#include <memory>
#include <mutex>
#include <string_view>
#include <utility>

#include "server/api/actions.h"
#include "server/api/error_table.h"

namespace stepline::api {

const char* const kNotImplementedActions[] = {
    nullptr,
};

Action Sync(SyncAction action) {
  return [action](const ApiContext& ctx, const Json& request, Reply reply) {
    reply(action(ctx, request));
  };
}

namespace {

constexpr std::string_view kTargetPrefix = "AWSStepFunctions.";

ApiResponse Success(const Json& body) {
  ApiResponse response;
  response.body = DumpJson(body);
  return response;
}

// Parses the body; an empty body means {}.
Result<Json> ParseBody(const std::string& body) {
  if (body.empty()) return Json::object();
  Result<Json> parsed = ParseJson(body);
  if (!parsed.ok()) return Status(ErrorCode::kSerialization, "Request body is not valid JSON");
  if (parsed->is_array()) {
    return Status(ErrorCode::kSerialization, "Start of list found where not expected");
  }
  if (!parsed->is_object()) {
    return Status(ErrorCode::kSerialization, "Request body must be a JSON object");
  }
  return parsed;
}

class Handler final : public ApiHandler {
 public:
  explicit Handler(ApiDeps deps) {
    context_.deps = std::move(deps);
    context_.cache = &cache_;
    context_.control_mu = &control_mu_;
    RegisterStateMachineActions(table_);
    RegisterExecutionActions(table_);
    RegisterExecutionStartActions(table_);
    RegisterHistoryActions(table_);
    RegisterActivityActions(table_);
    RegisterCallbackActions(table_);
    RegisterTagActions(table_);
    RegisterVersionActions(table_);
    RegisterAliasActions(table_);
    RegisterValidateActions(table_);
    RegisterRedriveActions(table_);
    RegisterMapRunActions(table_);
    RegisterTestStateActions(table_);
  }

  void Handle(ApiRequest request, Responder respond) override {
    std::string_view target = request.target;
    if (target.substr(0, kTargetPrefix.size()) != kTargetPrefix) {
      return respond(ErrorResponse(
          Status(ErrorCode::kUnknownOperation, "Unknown operation: '" + request.target + "'")));
    }
    std::string_view action_name = target.substr(kTargetPrefix.size());
    auto it = table_.find(action_name);
    if (it == table_.end()) return respond(ErrorResponse(UnknownAction(action_name)));
    Result<Json> body = ParseBody(request.body);
    if (!body.ok()) return respond(ErrorResponse(body.status()));
    Run(it->first, it->second, *body, std::move(respond));
  }

 private:
  static Status UnknownAction(std::string_view name) {
    for (const char* const* p = kNotImplementedActions; *p != nullptr; ++p) {
      if (name == *p) {
        return Status(ErrorCode::kUnknownOperation,
                      "Operation " + std::string(name) + " is not implemented by Stepline yet");
      }
    }
    return Status(ErrorCode::kUnknownOperation,
                  "Unknown operation: 'AWSStepFunctions." + std::string(name) + "'");
  }

  // Runs an action, turning exceptions into 500 InternalFailure and making
  // sure the responder runs exactly once.
  void Run(const std::string& name, const Action& action, const Json& body, Responder respond) {
    auto shared = std::make_shared<Responder>(std::move(respond));
    auto answered = std::make_shared<std::atomic<bool>>(false);
    Reply reply = [shared, answered, name](Result<Json> result) {
      if (answered->exchange(true)) return;
      if (!result.ok()) {
        if (LookupError(result.status().code()).http_status >= 500) {
          spdlog::error("{} failed: {}", name, result.status().ToString());
        }
        return (*shared)(ErrorResponse(result.status()));
      }
      (*shared)(Success(*result));
    };
    try {
      action(context_, body, reply);
    } catch (const std::exception& e) {
      reply(Status(ErrorCode::kInternal, std::string("unexpected exception: ") + e.what()));
    }
  }

  DefinitionCache cache_;
  std::mutex control_mu_;
  ApiContext context_;
  ActionTable table_;
};

}  // namespace

std::unique_ptr<ApiHandler> MakeApiHandler(ApiDeps deps) {
  return std::make_unique<Handler>(std::move(deps));
}

}  // namespace stepline::api
