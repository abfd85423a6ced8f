// RedriveExecution's rules, shared with DescribeExecution's redriveStatus.
//
// Thread-safety: pure functions of their arguments.
#pragma once

#include <optional>
#include <string>

#include "common/clock.h"
#include "storage/store.h"

namespace stepline::api {

// AWS's redriveStatusReason when `record` cannot be redriven at `now` by
// RedriveExecution, or nullopt (map-run children: see the caller).
std::optional<std::string> RedriveRefusal(const storage::ExecutionRecord& record, EpochMillis now);

}  // namespace stepline::api
