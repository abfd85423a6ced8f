// DefinitionCache: compiled state machine definitions keyed by
// (state machine ARN, revision id), so that starting an execution never
// re-parses definition text. Create/UpdateStateMachine insert what they just
// parsed; a miss (after a restart) parses the stored revision once.
//
// Thread-safety: every method is safe to call concurrently (one mutex; the
// parse on a miss runs outside it, so two racing misses may both parse).
// Invariant: at most `capacity` entries; when full, the oldest insertions
// are dropped first (they are re-parsed on demand).
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "common/status.h"
#include "engine/asl/model.h"

namespace stepline::api {

class DefinitionCache {
 public:
  using Machine = std::shared_ptr<const asl::StateMachine>;

  explicit DefinitionCache(size_t capacity = 4096) : capacity_(capacity) {}

  Machine Find(const std::string& arn, const std::string& revision_id) const;
  void Put(const std::string& arn, const std::string& revision_id, Machine machine);

  // The cached machine, or `definition` parsed (and cached) on a miss.
  Result<Machine> GetOrParse(const std::string& arn, const std::string& revision_id,
                             const std::string& definition, bool express);

  size_t size() const;

 private:
  using Key = std::pair<std::string, std::string>;
  const size_t capacity_;
  mutable std::mutex mu_;
  std::map<Key, Machine> entries_;
  std::deque<Key> order_;  // insertion order, for eviction
};

}  // namespace stepline::api
