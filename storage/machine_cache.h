// MachineCache: a read-through cache of state machine records for
// SqliteStore::GetStateMachine, which every StartExecution calls. Saves a
// reader-pool SQL query (and the row's JSON attributes parse) per start.
//
// Thread-safety: every method is safe to call concurrently (one mutex).
// Invariants: a record is served from the cache only if no batch touching
// state machines was submitted or committed between the SQL read that
// produced it and its insertion (a generation counter, bumped by Invalidate,
// decides); the store calls Invalidate when such a batch is submitted and
// again on the writer thread right after it commits, before its callback
// runs, so a client that saw its write acknowledged never reads the old
// record. At most kMaxEntries records are held (the whole cache is dropped
// when full: machines are few, starts are many).
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "storage/store.h"

namespace stepline::storage {

class MachineCache {
 public:
  static constexpr size_t kMaxEntries = 4096;

  // The generation to pass to Put after reading from SQL.
  uint64_t Generation() const {
    std::lock_guard<std::mutex> lock(mu_);
    return generation_;
  }

  std::optional<StateMachineRecord> Get(const std::string& arn) const {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = records_.find(arn);
    if (it == records_.end()) return std::nullopt;
    return it->second;
  }

  // Keeps `record` unless the cache was invalidated since `generation`.
  void Put(uint64_t generation, const StateMachineRecord& record) {
    std::lock_guard<std::mutex> lock(mu_);
    if (generation != generation_) return;
    if (records_.size() >= kMaxEntries) records_.clear();
    records_[record.arn] = record;
  }

  void Invalidate() {
    std::lock_guard<std::mutex> lock(mu_);
    ++generation_;
    records_.clear();
  }

  // True when `batch` changes state machine rows (the cache must forget).
  static bool Touches(const WriteBatch& batch) {
    return !batch.put_state_machines.empty() || !batch.delete_state_machines.empty();
  }

 private:
  mutable std::mutex mu_;
  uint64_t generation_ = 0;
  std::unordered_map<std::string, StateMachineRecord> records_;
};

}  // namespace stepline::storage
