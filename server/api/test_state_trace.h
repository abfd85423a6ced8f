// TestState's TRACE data of an HTTP Task: the wire exchange the dispatcher
// reported (task::HttpExchange) as inspectionData's `request` {protocol,
// method, url, headers, body} and `response` {protocol, statusCode,
// statusMessage, headers, body}, in AWS's shapes: every member a string,
// headers as "[Name: value, Name: value]", response header names in lower
// case, the bodies as sent and received.
//
// revealSecrets false (AWS's default) leaves out what AWS treats as secret:
// the data an EventBridge connection adds to the request. Stepline has no
// connections; the credentials a connection would add go into the
// definition's Headers instead, so the headers that in AWS only a connection
// can set (kConnectionOnlyHeaders: a definition naming them fails there) are
// left out of the request headers. Nothing else is omitted, as AWS omits
// nothing the definition holds or the response says.
//
// Thread-safety: pure functions.
#pragma once

#include "common/json.h"
#include "engine/task/task_dispatch.h"

namespace stepline::api {

// Request headers AWS lets only an EventBridge connection set: left out of
// the TRACE data unless revealSecrets is true (compared case-insensitively).
inline constexpr const char* kConnectionOnlyHeaders[] = {"Authorization", "Proxy-Authorization"};

// Sets `inspection`'s "request" and, when the exchange was answered, "response".
void AddHttpTrace(const task::HttpExchange& exchange, bool reveal_secrets, Json& inspection);

}  // namespace stepline::api
