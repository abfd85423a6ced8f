#include "storage/group_writer.h"

#include <pthread.h>

#include <algorithm>
#include <chrono>
#include <utility>

namespace stepline::storage {
namespace {

Status RunCached(Connection& db, const char* sql) {
  ASSIGN_OR_RETURN(Stmt stmt, db.PrepareStatic(sql));
  if (stmt.Step() == SQLITE_DONE) return Status::Ok();
  return db.Error(sql);
}

void RunCallback(const Store::Callback& done, Status status) {
  if (!done) return;
  try {
    done(std::move(status));
  } catch (...) {
    // A throwing callback must not take the writer down with it.
  }
}

}  // namespace

GroupWriter::GroupWriter(Connection* db, std::mutex* db_mutex, size_t max_batches, int max_delay_us)
    : db_(db),
      db_mutex_(db_mutex),
      max_batches_(max_batches == 0 ? 1 : max_batches),
      max_delay_us_(max_delay_us) {
  thread_ = std::thread([this] { Run(); });
}

GroupWriter::~GroupWriter() { Close(); }

bool GroupWriter::Submit(PendingCommit&& commit) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closing_) return false;
    queue_.push_back(std::move(commit));
  }
  cv_.notify_one();
  return true;
}

void GroupWriter::Close() {
  std::lock_guard<std::mutex> close_lock(close_mu_);
  {
    std::lock_guard<std::mutex> lock(mu_);
    closing_ = true;
  }
  cv_.notify_one();
  if (thread_.joinable() && !OnWriterThread()) thread_.join();
}

void GroupWriter::Run() {
  pthread_setname_np(pthread_self(), "stepline-store");
  std::vector<PendingCommit> group;
  while (TakeGroup(&group)) {
    std::vector<Status> statuses = CommitGroup(group);
    for (size_t i = 0; i < group.size(); ++i) RunCallback(group[i].done, std::move(statuses[i]));
    group.clear();
  }
}

bool GroupWriter::TakeGroup(std::vector<PendingCommit>* group) {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [this] { return closing_ || !queue_.empty(); });
  if (queue_.empty()) return false;  // closing, and drained
  if (max_delay_us_ > 0 && queue_.size() < max_batches_ && !closing_) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::microseconds(max_delay_us_);
    cv_.wait_until(lock, deadline, [this] { return closing_ || queue_.size() >= max_batches_; });
  }
  while (!queue_.empty() && group->size() < max_batches_) {
    group->push_back(std::move(queue_.front()));
    queue_.pop_front();
  }
  return true;
}

std::vector<Status> GroupWriter::CommitGroup(std::vector<PendingCommit>& group) {
  std::vector<Status> statuses(group.size());
  if (RunFast(group, &statuses)) return statuses;
  std::fill(statuses.begin(), statuses.end(), Status::Ok());
  std::vector<size_t> todo(group.size());
  for (size_t i = 0; i < todo.size(); ++i) todo[i] = i;
  // A batch that makes SQLite abandon the whole transaction (disk full, I/O
  // error) is failed alone and the others are retried in a new transaction.
  while (!todo.empty()) {
    size_t culprit = RunTransaction(group, todo, &statuses);
    if (culprit == kNone) break;
    todo.erase(todo.begin() + static_cast<std::ptrdiff_t>(culprit));
  }
  return statuses;
}

bool GroupWriter::RunFast(std::vector<PendingCommit>& group, std::vector<Status>* statuses) {
  std::unique_lock<std::mutex> lock;
  if (db_mutex_ != nullptr) lock = std::unique_lock<std::mutex>(*db_mutex_);
  if (!RunCached(*db_, "BEGIN IMMEDIATE").ok()) return false;
  for (size_t i = 0; i < group.size(); ++i) {
    sequences_.BeginBatch();
    Status checked = CheckBatch(*db_, group[i].batch, &sequences_);
    if (!checked.ok()) {
      sequences_.RollbackBatch();
      (*statuses)[i] = std::move(checked);
      continue;  // nothing written
    }
    if (!ApplyBatch(*db_, group[i].batch, &sequences_).ok()) return AbandonFast();
  }
  if (!RunCached(*db_, "COMMIT").ok()) return AbandonFast();
  sequences_.Commit();
  return true;
}

bool GroupWriter::AbandonFast() {
  if (db_->InTransaction()) (void)RunCached(*db_, "ROLLBACK");
  sequences_.Rollback();
  return false;
}

size_t GroupWriter::RunTransaction(std::vector<PendingCommit>& group,
                                   const std::vector<size_t>& todo, std::vector<Status>* statuses) {
  std::unique_lock<std::mutex> lock;
  if (db_mutex_ != nullptr) lock = std::unique_lock<std::mutex>(*db_mutex_);
  Status begin = RunCached(*db_, "BEGIN IMMEDIATE");
  if (!begin.ok()) {
    for (size_t i : todo) (*statuses)[i] = begin;
    return kNone;
  }
  for (size_t pos = 0; pos < todo.size(); ++pos) {
    Status st = ApplyOne(group[todo[pos]]);
    if (!db_->InTransaction()) {
      sequences_.Rollback();
      (*statuses)[todo[pos]] =
          st.ok() ? Status(ErrorCode::kStorage, "transaction rolled back") : std::move(st);
      return pos;
    }
    (*statuses)[todo[pos]] = std::move(st);
  }
  FinishTransaction(todo, statuses);
  return kNone;
}

void GroupWriter::FinishTransaction(const std::vector<size_t>& todo,
                                    std::vector<Status>* statuses) {
  Status commit = RunCached(*db_, "COMMIT");
  if (commit.ok()) {
    sequences_.Commit();
    return;
  }
  (void)RunCached(*db_, "ROLLBACK");
  sequences_.Rollback();
  for (size_t i : todo) {
    Status& st = (*statuses)[i];
    if (st.ok()) st = Status(ErrorCode::kStorage, "commit failed: " + commit.message());
  }
}

Status GroupWriter::ApplyOne(const PendingCommit& commit) {
  RETURN_IF_ERROR(RunCached(*db_, "SAVEPOINT batch"));
  sequences_.BeginBatch();
  Status st = ApplyBatch(*db_, commit.batch, &sequences_);
  if (!st.ok()) sequences_.RollbackBatch();
  if (!st.ok() && db_->InTransaction()) {
    Status undo = RunCached(*db_, "ROLLBACK TO batch");
    if (!undo.ok()) return undo;
  }
  if (db_->InTransaction()) {
    Status release = RunCached(*db_, "RELEASE batch");
    if (st.ok() && !release.ok()) return release;
  }
  return st;
}

}  // namespace stepline::storage
