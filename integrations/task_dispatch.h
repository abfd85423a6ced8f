// The Task dispatch interface (engine/task/task_dispatch.h), named in
// integrations:: for the dispatchers that implement it.
//
// Thread-safety: see engine/task/task_dispatch.h.
#pragma once

#include "engine/task/task_dispatch.h"

namespace stepline::integrations {

using task::HttpExchange;
using task::ParseResource;
using task::Pattern;
using task::PatternSuffix;
using task::ResourceSpec;
using task::TaskDispatcher;
using task::TaskOutcome;
using task::TaskRequest;

}  // namespace stepline::integrations
