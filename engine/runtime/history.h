// History event naming: event types per state type, and the name of the
// "<...>EventDetails" member each event type carries in GetExecutionHistory.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "engine/asl/model.h"

namespace stepline::runtime {

// "PassStateEntered" for (kPass, "Entered").
std::string StateEventType(asl::StateType type, std::string_view suffix);

// The details member of an event type: "stateEnteredEventDetails" for every
// *StateEntered, "stateExitedEventDetails" for every *StateExited, else the
// type with a lowercase first letter + "EventDetails"
// ("executionStartedEventDetails", "mapIterationStartedEventDetails").
std::string DetailsKey(std::string_view event_type);

}  // namespace stepline::runtime
