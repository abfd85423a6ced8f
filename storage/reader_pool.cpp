#include "storage/reader_pool.h"

#include <utility>

namespace stepline::storage {

ReaderPool::Lease::Lease(ReaderPool* pool, std::unique_ptr<Connection> owned, Connection* shared,
                         std::unique_lock<std::mutex> lock)
    : pool_(pool), owned_(std::move(owned)), shared_(shared), lock_(std::move(lock)) {}

ReaderPool::Lease::~Lease() {
  if (owned_ && pool_ != nullptr) pool_->Release(std::move(owned_));
}

ReaderPool::ReaderPool(std::string path) : path_(std::move(path)) {}

ReaderPool::ReaderPool(Connection* shared, std::mutex* mutex)
    : shared_(shared), shared_mutex_(mutex) {}

Result<ReaderPool::Lease> ReaderPool::Acquire() {
  if (shared_ != nullptr) {
    return Lease(this, nullptr, shared_, std::unique_lock<std::mutex>(*shared_mutex_));
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!idle_.empty()) {
      std::unique_ptr<Connection> db = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(db), nullptr, {});
    }
  }
  ASSIGN_OR_RETURN(std::unique_ptr<Connection> db, OpenReader());
  return Lease(this, std::move(db), nullptr, {});
}

Result<std::unique_ptr<Connection>> ReaderPool::OpenReader() {
  ASSIGN_OR_RETURN(std::unique_ptr<Connection> db,
                   Connection::Open(path_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_URI));
  sqlite3_busy_timeout(db->raw(), 5000);
  RETURN_IF_ERROR(db->Exec("PRAGMA query_only = ON; PRAGMA cache_size = -16384;"));
  return db;
}

void ReaderPool::Release(std::unique_ptr<Connection> db) {
  std::lock_guard<std::mutex> lock(mu_);
  if (idle_.size() < kMaxIdle) idle_.push_back(std::move(db));
}

}  // namespace stepline::storage
