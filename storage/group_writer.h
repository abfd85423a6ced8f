// GroupWriter: the store's single writer. One thread owns the write
// connection and drains a queue of encoded batches, applying up to
// `max_batches` of them in ONE transaction (BEGIN IMMEDIATE ... COMMIT). A
// batch that breaks a rule (duplicate execution, bad event id) fails alone:
// it is checked before it writes (fast path), and should a write still fail,
// the group is redone with a SAVEPOINT per batch (savepoints make SQLite copy
// every page a batch touches, so they are kept off the common path). After
// COMMIT it runs each batch's callback, in submission order, on the writer
// thread.
//
// Thread-safety: Submit and Close may be called from any thread. Callbacks run
// on the writer thread and must not block on another commit (CommitAndWait
// from a callback would deadlock; the store refuses it).
// Invariants: every submitted batch gets exactly one callback; a callback
// reporting OK means the batch is committed. If a batch makes SQLite abandon
// the whole transaction (disk full, I/O error), that batch fails and the
// others are retried in a fresh transaction; if COMMIT itself fails, every
// batch of that transaction reports the error.
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "storage/batch_apply.h"

namespace stepline::storage {

struct PendingCommit {
  EncodedBatch batch;
  Store::Callback done;
};

class GroupWriter {
 public:
  // `db` must outlive the writer. When `db_mutex` is not null it is held
  // around each transaction (the in-memory store shares one connection).
  GroupWriter(Connection* db, std::mutex* db_mutex, size_t max_batches, int max_delay_us);
  ~GroupWriter();
  GroupWriter(const GroupWriter&) = delete;
  GroupWriter& operator=(const GroupWriter&) = delete;

  // Queues `commit`; false (callback not run) once Close has begun.
  bool Submit(PendingCommit&& commit);
  // Drains the queue, then stops and joins the writer thread. Idempotent.
  void Close();
  bool OnWriterThread() const { return std::this_thread::get_id() == thread_.get_id(); }

 private:
  void Run();
  // Waits for work; false when closing and nothing is left.
  bool TakeGroup(std::vector<PendingCommit>* group);
  std::vector<Status> CommitGroup(std::vector<PendingCommit>& group);
  // The fast path: one transaction, no savepoints. Each batch is checked
  // (read-only, CheckBatch) before it writes, so a batch that breaks a rule
  // fails without having touched the database. False, with everything
  // rolled back, when a write fails after its check passed (disk full, I/O):
  // the group then goes down the savepoint path (RunTransaction).
  bool RunFast(std::vector<PendingCommit>& group, std::vector<Status>* statuses);
  bool AbandonFast();
  // Applies group[todo[...]] in one transaction, setting their statuses.
  // Returns the position in `todo` of a batch whose failure lost the whole
  // transaction (nothing committed), or kNone.
  size_t RunTransaction(std::vector<PendingCommit>& group, const std::vector<size_t>& todo,
                        std::vector<Status>* statuses);
  void FinishTransaction(const std::vector<size_t>& todo, std::vector<Status>* statuses);
  Status ApplyOne(const PendingCommit& commit);

  static constexpr size_t kNone = static_cast<size_t>(-1);

  Connection* db_;
  std::mutex* db_mutex_;
  const size_t max_batches_;
  const int max_delay_us_;

  SequenceCache sequences_;  // writer thread only

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<PendingCommit> queue_;
  bool closing_ = false;
  std::mutex close_mu_;  // serializes Close callers around join
  std::thread thread_;
};

}  // namespace stepline::storage
