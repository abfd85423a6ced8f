#include "engine/runtime/history.h"

#include <cctype>

namespace stepline::runtime {

std::string StateEventType(asl::StateType type, std::string_view suffix) {
  return std::string(asl::StateTypeName(type)) + "State" + std::string(suffix);
}

std::string DetailsKey(std::string_view event_type) {
  auto ends_with = [&](std::string_view s) {
    return event_type.size() >= s.size() && event_type.substr(event_type.size() - s.size()) == s;
  };
  if (ends_with("StateEntered")) return "stateEnteredEventDetails";
  if (ends_with("StateExited")) return "stateExitedEventDetails";
  std::string key(event_type);
  if (!key.empty()) key[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(key[0])));
  return key + "EventDetails";
}

}  // namespace stepline::runtime
