// The action table shared by handler.cpp and the per-group action files.
//
// An action takes the parsed request object and answers exactly once through
// its Reply: a Json response body or a non-OK Status. Most actions are
// synchronous (SyncAction, wrapped by the table); StartExecution,
// StopExecution, SendTask* and GetActivityTask answer from engine callbacks.
//
// Thread-safety: ApiContext is shared by all requests; its members are
// thread-safe (Store, engine, clock, DefinitionCache).
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "common/json.h"
#include "common/status.h"
#include "server/api/definition_cache.h"
#include "server/api/handler.h"

namespace stepline::api {

struct ApiContext {
  ApiDeps deps;
  DefinitionCache* cache = nullptr;
  // Serialises control-plane read-modify-write sequences (create/update/
  // delete of state machines, versions, aliases, activities, tags).
  std::mutex* control_mu = nullptr;

  EpochMillis Now() const { return deps.clock->NowMillis(); }
};

using Reply = std::function<void(Result<Json>)>;
using Action = std::function<void(const ApiContext&, const Json& request, Reply reply)>;
using SyncAction = Result<Json> (*)(const ApiContext&, const Json& request);
using ActionTable = std::map<std::string, Action, std::less<>>;

// Adapts a synchronous action to the table's signature.
Action Sync(SyncAction action);

// Per-group registration (one file per group of actions).
void RegisterStateMachineActions(ActionTable& table);
void RegisterExecutionActions(ActionTable& table);
void RegisterExecutionStartActions(ActionTable& table);
void RegisterHistoryActions(ActionTable& table);
void RegisterActivityActions(ActionTable& table);
void RegisterCallbackActions(ActionTable& table);  // SendTask*, GetActivityTask
void RegisterTagActions(ActionTable& table);
void RegisterVersionActions(ActionTable& table);
void RegisterAliasActions(ActionTable& table);
void RegisterValidateActions(ActionTable& table);
void RegisterRedriveActions(ActionTable& table);  // RedriveExecution
void RegisterMapRunActions(ActionTable& table);
void RegisterTestStateActions(
    ActionTable& table);  // TestState  // DescribeMapRun, ListMapRuns, UpdateMapRun

// Actions of the AWS API that Stepline does not answer yet: each returns a
// 400 UnknownOperationException saying so.
extern const char* const kNotImplementedActions[];

}  // namespace stepline::api
