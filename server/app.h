// RunServer: the `stepline` server process. Opens the store, creates the
// io_context, the execution engine (recovering running executions), the API
// handler and the HTTP server, serves until SIGINT or SIGTERM, then shuts
// down gracefully: stop accepting, let requests in flight finish (bounded),
// stop the engine, close the store.
//
// Thread-safety: call once, from main.
#pragma once

#include "server/config.h"

namespace stepline::server {

// Returns the process exit code: 0 after a clean shutdown, 1 when the store
// or the listening socket cannot be opened.
int RunServer(const Config& config);

}  // namespace stepline::server
