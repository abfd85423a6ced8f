// SequenceCache: the writer's memory of each open execution's row id and
// last history event id, so appending events needs no lookup query.
//
// Entries change inside the writer's transaction; an undo log with one mark
// per batch lets a rolled-back batch (or transaction) restore exactly what
// it changed. Entries of executions that reached a terminal status are
// dropped after commit, and the whole cache is cleared when it grows past a
// bound; a miss only costs a lookup.
//
// Thread-safety: none; owned and used by the writer thread only.
// Invariants: outside a transaction the undo log is empty and every entry
// matches the committed database (the writer is the only writer).
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace stepline::storage {

class SequenceCache {
 public:
  struct Entry {
    int64_t row_id = 0;
    int64_t last_event_id = 0;
  };

  // The entry for `arn`, or nullptr.
  const Entry* Find(const std::string& arn) const;
  void Set(const std::string& arn, Entry entry);
  // Schedules `arn`'s removal at the next Commit (terminal executions).
  void ForgetAfterCommit(const std::string& arn);

  void BeginBatch();
  void RollbackBatch();  // undoes the changes since BeginBatch
  void Commit();         // keeps every change; applies scheduled removals
  void Rollback();       // undoes the whole transaction

 private:
  struct Undo {
    std::pair<const std::string, Entry>* node;
    bool existed;
    Entry previous;
  };
  void UndoTo(size_t mark);

  // Only executions that append often profit from an entry; a parked one
  // would keep its entry for nothing (about 180 bytes each).
  static constexpr size_t kMaxEntries = 16384;

  std::unordered_map<std::string, Entry> entries_;
  std::vector<Undo> undo_;
  size_t batch_mark_ = 0;
  std::vector<std::string> forget_;
  size_t forget_mark_ = 0;
};

}  // namespace stepline::storage
