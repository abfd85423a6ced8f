// SqliteStore: the SQLite implementation of Store (see store.h for the
// contract). Created by OpenSqliteStore; declared here for the store's own
// translation units and white-box tests.
//
// Layout: a write connection owned by a GroupWriter thread (single writer,
// group commit), and a ReaderPool for synchronous reads. File stores run in
// WAL mode (synchronous=NORMAL) with one read connection per concurrent
// reader. ":memory:" stores use ONE connection shared by writer and readers
// under a mutex (SQLite in-memory databases have no WAL, and shared-cache mode
// would make readers fail with SQLITE_LOCKED during writes); they are meant for
// tests and ephemeral runs, not for throughput.
//
// Thread-safety: every public method is safe to call concurrently.
// Invariants: writes only happen on the writer thread; after Close() no
// batch is accepted and every accepted batch has had its callback.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>

#include "storage/group_writer.h"
#include "storage/machine_cache.h"
#include "storage/reader_pool.h"
#include "storage/store.h"

namespace stepline::storage {

class SqliteStore final : public Store {
 public:
  static Result<std::unique_ptr<Store>> Open(const StoreOptions& options);
  ~SqliteStore() override;

  void Commit(WriteBatch batch, Callback done) override;
  Status CommitAndWait(WriteBatch batch) override;

  Result<std::optional<StateMachineRecord>> GetStateMachine(const std::string& arn) override;
  Result<Page<StateMachineRecord>> ListStateMachines(const PageRequest& page) override;
  Result<std::optional<RevisionRecord>> GetRevision(const std::string& state_machine_arn,
                                                    const std::string& revision_id) override;
  Result<std::optional<VersionRecord>> GetVersion(const std::string& arn) override;
  Result<Page<VersionRecord>> ListVersions(const std::string& state_machine_arn,
                                           const PageRequest& page) override;
  Result<std::optional<AliasRecord>> GetAlias(const std::string& arn) override;
  Result<Page<AliasRecord>> ListAliases(const std::string& state_machine_arn,
                                        const PageRequest& page) override;

  Result<std::optional<ExecutionRecord>> GetExecution(const std::string& arn) override;
  Result<Page<ExecutionRecord>> ListExecutions(const ExecutionQuery& query) override;
  Result<std::vector<ExecutionRecord>> ListRunningExecutions() override;
  Result<int64_t> CountOpenExecutions(const std::string& state_machine_arn) override;
  Result<Page<HistoryEvent>> GetHistory(const std::string& execution_arn, bool reverse,
                                        const PageRequest& page) override;
  Result<std::vector<HistoryEvent>> LoadEvents(const std::string& execution_arn) override;

  Result<std::optional<MapRunRecord>> GetMapRun(const std::string& arn) override;
  Result<std::vector<MapRunRecord>> ListMapRuns(const std::string& execution_arn) override;

  Result<std::optional<ActivityRecord>> GetActivity(const std::string& arn) override;
  Result<Page<ActivityRecord>> ListActivities(const PageRequest& page) override;
  Result<std::map<std::string, std::string>> GetTags(const std::string& arn) override;

  void Close() override;

 private:
  SqliteStore(std::unique_ptr<Connection> write_db, bool in_memory, const StoreOptions& options);

  std::unique_ptr<Connection> write_db_;
  std::mutex shared_mutex_;  // in-memory only: guards the single connection
  ReaderPool readers_;
  MachineCache machines_;  // GetStateMachine's read-through cache
  GroupWriter writer_;     // last: its thread stops before the rest is destroyed
};

}  // namespace stepline::storage
