// ProbeHealth: a minimal blocking HTTP client for `stepline --health-check`
// (container HEALTHCHECK): GET /health on host:port within a time limit.
//
// Thread-safety: each call uses its own io_context; safe from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "common/status.h"

namespace stepline::http {

// OK when `GET /health` on host:port answers 200 within `timeout`; otherwise
// kUnavailable with what went wrong (refused, timed out, other status).
// A wildcard host (0.0.0.0, ::) is probed on the loopback address.
Status ProbeHealth(const std::string& host, uint16_t port, std::chrono::milliseconds timeout);

}  // namespace stepline::http
