// Task tokens ($$.Task.Token) of callback, .sync and activity tasks.
//
// A token names its execution and the event id of the task's Scheduled
// event, so replaying a history yields the same token and a token given out
// before a restart still finds its task: the execution from the registry of
// running executions, the frame from the replayed frames.
//
// Thread-safety: pure functions. Invariant: ParseTaskToken(MakeTaskToken(a, n))
// == {a, n}.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace stepline::runtime {

struct TokenTarget {
  std::string execution_arn;
  int64_t scheduled_event_id = 0;
};

std::string MakeTaskToken(const std::string& execution_arn, int64_t scheduled_event_id);

// nullopt for text that is not a token made by MakeTaskToken.
std::optional<TokenTarget> ParseTaskToken(std::string_view token);

}  // namespace stepline::runtime
