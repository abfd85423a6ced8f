// GetExecutionHistory: stored events as AWS's HistoryEvent shapes.
#include <string_view>

#include "common/limits.h"
#include "server/api/actions.h"
#include "server/api/resources.h"

namespace stepline::api {

// The details member of an event type: every "<X>StateEntered" and
// "<X>StateExited" shares stateEntered/stateExitedEventDetails; any other
// type uses its own lowerCamel name.
std::string EventDetailsMember(std::string_view type) {
  auto ends_with = [&](std::string_view suffix) {
    return type.size() >= suffix.size() && type.substr(type.size() - suffix.size()) == suffix;
  };
  if (ends_with("StateEntered")) return "stateEnteredEventDetails";
  if (ends_with("StateExited")) return "stateExitedEventDetails";
  std::string member(type);
  if (!member.empty() && member[0] >= 'A' && member[0] <= 'Z') member[0] += 'a' - 'A';
  return member + "EventDetails";
}

namespace {

Json EventJson(const storage::HistoryEvent& event, bool include_data) {
  Json out = {{"timestamp", Timestamp(event.timestamp)},
              {"type", event.type},
              {"id", event.id},
              {"previousEventId", event.previous_event_id}};
  if (event.details.is_null()) return out;
  Json details = event.details;
  if (!include_data && details.is_object()) {
    details.erase("input");
    details.erase("output");
  }
  out[EventDetailsMember(event.type)] = std::move(details);
  return out;
}

Result<Json> GetExecutionHistory(const ApiContext& ctx, const Json& request) {
  ASSIGN_OR_RETURN(ParsedArn arn, RequiredArn(request, "executionArn", {ArnKind::kExecution}));
  ConstraintErrors errors;
  ASSIGN_OR_RETURN(storage::PageRequest page, ReadPage(request, errors));
  ASSIGN_OR_RETURN(std::optional<bool> reverse, OptBool(request, "reverseOrder"));
  ASSIGN_OR_RETURN(std::optional<bool> include_data, OptBool(request, "includeExecutionData"));
  RETURN_IF_ERROR(errors.ToStatus());
  ASSIGN_OR_RETURN(storage::ExecutionRecord record, LoadExecution(ctx, arn.arn));
  ASSIGN_OR_RETURN(storage::Page<storage::HistoryEvent> events,
                   ctx.deps.store->GetHistory(record.arn, reverse.value_or(false), page));
  Json items = Json::array();
  for (const storage::HistoryEvent& event : events.items) {
    items.push_back(EventJson(event, include_data.value_or(true)));
  }
  Json out = {{"events", std::move(items)}};
  if (!events.next_token.empty()) out["nextToken"] = events.next_token;
  return out;
}

}  // namespace

void RegisterHistoryActions(ActionTable& table) {
  table["GetExecutionHistory"] = Sync(GetExecutionHistory);
}

}  // namespace stepline::api
