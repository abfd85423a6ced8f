// ErrorEquals matching for Retry and Catch, shared by the interpreter
// (errors.cpp) and TestState (test_state.cpp).
//
// Thread-safety: a pure function.
#pragma once

#include <string>
#include <vector>

namespace stepline::runtime {

// True when a Retrier's or Catcher's ErrorEquals list matches `error`:
// States.ALL (except States.DataLimitExceeded not raised as the task's own
// failure), States.TaskFailed (Task states, non-States.* errors), or the
// exact name. States.Runtime never matches.
bool ErrorEqualsMatches(const std::vector<std::string>& error_equals, const std::string& error,
                        bool is_task, bool task_failure);

}  // namespace stepline::runtime
