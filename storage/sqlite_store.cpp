// SqliteStore: opening, configuration and the write path. Reads are in
// store_reads.cpp.
#include "storage/sqlite_store.h"

#include <future>
#include <mutex>
#include <utility>

#include "storage/schema.h"

namespace stepline::storage {
namespace {

constexpr int kBusyTimeoutMs = 5000;

// In-memory databases, including URIs such as "file::memory:" or
// "file:x?mode=memory", get the single shared connection: a second
// connection to them would see a different (empty) database.
bool IsMemoryPath(const std::string& path) {
  if (path.empty() || path == ":memory:") return true;
  return path.rfind("file:", 0) == 0 && (path.find(":memory:") != std::string::npos ||
                                         path.find("mode=memory") != std::string::npos);
}

// Settings for the write connection of a file store. journal_mode is read
// back: it is also the first statement that touches the file, so a corrupt
// file or a non-database is reported here.
Status ConfigureFile(Connection& db) {
  ASSIGN_OR_RETURN(Stmt stmt, db.Prepare("PRAGMA journal_mode = WAL"));
  if (stmt.Step() != SQLITE_ROW) return db.Error("cannot open database " + db.path());
  std::string mode = stmt.Text(0);
  if (mode != "wal") {
    return Status(ErrorCode::kStorage,
                  "cannot enable WAL on " + db.path() + " (journal mode is " + mode + ")");
  }
  return db.Exec(
      "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = OFF; PRAGMA temp_store = MEMORY;"
      "PRAGMA cache_size = -16384; PRAGMA wal_autocheckpoint = 8192;"
      "PRAGMA journal_size_limit = 67108864;");
}

// Process-wide SQLite settings, applied before SQLite initializes (they are
// refused, harmlessly, if something else initialized it first). Memory
// statistics off: otherwise every SQLite allocation takes a global mutex.
void ConfigureSqliteOnce() {
  static std::once_flag once;
  std::call_once(once, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
}

Result<std::unique_ptr<Connection>> OpenWriteConnection(const StoreOptions& options) {
  ConfigureSqliteOnce();
  const std::string& path = options.path;
  bool memory = IsMemoryPath(path);
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI;
  ASSIGN_OR_RETURN(std::unique_ptr<Connection> db,
                   Connection::Open(path.empty() ? ":memory:" : path, flags));
  sqlite3_busy_timeout(db->raw(), kBusyTimeoutMs);
  if (!memory) RETURN_IF_ERROR(ConfigureFile(*db));
  Status migrated = MigrateSchema(*db);
  if (!migrated.ok()) {
    return Status(ErrorCode::kStorage,
                  "cannot open database " + db->path() + ": " + migrated.message());
  }
  if (options.max_page_count > 0) {
    RETURN_IF_ERROR(db->Exec("PRAGMA max_page_count = " + std::to_string(options.max_page_count)));
  }
  return db;
}

}  // namespace

Result<std::unique_ptr<Store>> SqliteStore::Open(const StoreOptions& options) {
  ASSIGN_OR_RETURN(std::unique_ptr<Connection> db, OpenWriteConnection(options));
  bool memory = IsMemoryPath(options.path);
  return std::unique_ptr<Store>(new SqliteStore(std::move(db), memory, options));
}

SqliteStore::SqliteStore(std::unique_ptr<Connection> write_db, bool in_memory,
                         const StoreOptions& options)
    : write_db_(std::move(write_db)),
      readers_(in_memory ? ReaderPool(write_db_.get(), &shared_mutex_)
                         : ReaderPool(write_db_->path())),
      writer_(write_db_.get(), in_memory ? &shared_mutex_ : nullptr,
              options.max_batches_per_transaction, options.max_batch_delay_us) {}

SqliteStore::~SqliteStore() { Close(); }

void SqliteStore::Commit(WriteBatch batch, Callback done) {
  if (MachineCache::Touches(batch)) {
    machines_.Invalidate();
    done = [this, done = std::move(done)](Status status) {
      machines_.Invalidate();  // committed (or not): readers go back to SQL
      if (done) done(std::move(status));
    };
  }
  PendingCommit commit{EncodeBatch(std::move(batch)), std::move(done)};
  if (writer_.Submit(std::move(commit))) return;
  if (commit.done) commit.done(Status(ErrorCode::kUnavailable, "the store is closed"));
}

Status SqliteStore::CommitAndWait(WriteBatch batch) {
  if (writer_.OnWriterThread()) {
    return Status(ErrorCode::kInternal, "CommitAndWait called from a store callback");
  }
  std::promise<Status> promise;
  std::future<Status> result = promise.get_future();
  Commit(std::move(batch), [&promise](Status st) { promise.set_value(std::move(st)); });
  return result.get();
}

void SqliteStore::Close() { writer_.Close(); }

Result<std::unique_ptr<Store>> OpenSqliteStore(const StoreOptions& options) {
  return SqliteStore::Open(options);
}

bool WriteBatch::empty() const {
  return put_state_machines.empty() && delete_state_machines.empty() && put_revisions.empty() &&
         put_versions.empty() && delete_versions.empty() && put_aliases.empty() &&
         delete_aliases.empty() && insert_executions.empty() && put_executions.empty() &&
         update_executions.empty() && append_events.empty() && put_activities.empty() &&
         delete_activities.empty() && put_map_runs.empty() && put_tags.empty() &&
         delete_tags.empty();
}

}  // namespace stepline::storage
