// MakeEngine: the ExecutionEngine implementation on Boost.Asio.
//
// Live executions are kept in a registry confined to its own strand; each
// execution runs on its own strand (see execution.h).
//
// Thread-safety: the returned engine's methods may be called from any thread.
#pragma once

#include <utility>  // before asio (Boost 1.74 + g++ 12)

#include <boost/asio/io_context.hpp>
#include <memory>

#include "common/clock.h"
#include "engine/runtime/engine.h"
#include "storage/store.h"

namespace stepline::runtime {

std::unique_ptr<ExecutionEngine> MakeEngine(boost::asio::io_context& io, storage::Store& store,
                                            const Clock& clock, EngineOptions options);

}  // namespace stepline::runtime
