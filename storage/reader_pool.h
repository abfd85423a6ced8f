// ReaderPool: hands out read connections to the store's reading threads.
//
// File stores: each lease gets a connection of its own (reused from an idle
// list, or newly opened), so readers run in parallel with each other and,
// thanks to WAL, with the writer. In-memory stores have a single connection
// shared with the writer; a lease then holds that connection's mutex for the
// duration of the read (the writer holds it per transaction).
//
// Thread-safety: Acquire may be called from any thread; a Lease belongs to
// the thread that acquired it.
// Invariants: a connection is used by at most one lease at a time.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "storage/sqlite_db.h"

namespace stepline::storage {

class ReaderPool {
 public:
  class Lease {
   public:
    Lease(ReaderPool* pool, std::unique_ptr<Connection> owned, Connection* shared,
          std::unique_lock<std::mutex> lock);
    Lease(Lease&&) = default;
    ~Lease();
    Connection& db() { return owned_ ? *owned_ : *shared_; }

   private:
    ReaderPool* pool_;
    std::unique_ptr<Connection> owned_;
    Connection* shared_;
    std::unique_lock<std::mutex> lock_;
  };

  // A pool that opens read connections to `path` on demand.
  explicit ReaderPool(std::string path);
  // A pool over one shared connection guarded by `mutex`.
  ReaderPool(Connection* shared, std::mutex* mutex);

  Result<Lease> Acquire();

 private:
  Result<std::unique_ptr<Connection>> OpenReader();
  void Release(std::unique_ptr<Connection> db);

  static constexpr size_t kMaxIdle = 16;

  std::string path_;
  Connection* shared_ = nullptr;
  std::mutex* shared_mutex_ = nullptr;
  std::mutex mu_;
  std::vector<std::unique_ptr<Connection>> idle_;
};

}  // namespace stepline::storage
