// SqliteStore: reads of executions and their history.
//
// ListExecutions is newest first: ORDER BY start_date DESC, then the row id
// (insertion order) DESC as the tie-breaker; the row id is implicit in every
// executions index, so each filter combination is an index range scan.
#include "storage/read_util.h"
#include "storage/rows.h"
#include "storage/sqlite_store.h"

namespace stepline::storage {
namespace {

// The WHERE clause and text parameters for an ExecutionQuery's filters.
struct Filter {
  std::string where;
  std::vector<const std::string*> params;
  std::string fingerprint = "executions";

  void Equal(const char* column, const std::string& value, bool partial_index) {
    fingerprint += "|" + value;
    if (value.empty()) return;
    where += std::string(" AND ") + column + " = ?";
    if (partial_index) where += std::string(" AND ") + column + " <> ''";
    params.push_back(&value);
  }
};

Filter BuildFilter(const ExecutionQuery& q) {
  Filter f;
  f.Equal("state_machine_arn", q.state_machine_arn, false);
  f.Equal("status", q.status_filter, false);
  f.Equal("version_arn", q.version_arn, true);
  f.Equal("alias_arn", q.alias_arn, true);
  f.Equal("map_run_arn", q.map_run_arn, true);
  f.fingerprint += "|" + q.redrive_filter;
  if (q.redrive_filter == "REDRIVEN") f.where += " AND redrive_count > 0";
  if (q.redrive_filter == "NOT_REDRIVEN") f.where += " AND redrive_count = 0";
  return f;
}

Result<int64_t> ExecutionRowId(Connection& db, const std::string& arn) {
  ASSIGN_OR_RETURN(Stmt stmt, db.Prepare("SELECT id FROM executions WHERE arn = ?"));
  stmt.Bind(1, arn);
  int rc = stmt.Step();
  if (rc == SQLITE_ROW) return stmt.Int(0);
  if (rc == SQLITE_DONE) {
    return Status(ErrorCode::kExecutionDoesNotExist, "Execution Does Not Exist: '" + arn + "'");
  }
  return db.Error("find execution");
}

ExecutionRecord ReadExecutionRow(const Stmt& row) { return ReadExecution(row); }

}  // namespace

Result<std::optional<ExecutionRecord>> SqliteStore::GetExecution(const std::string& arn) {
  return QueryOne<ExecutionRecord>(
      readers_, Select(kExecutionColumns, "FROM executions WHERE arn = ?"), ReadExecutionRow, arn);
}

Result<Page<ExecutionRecord>> SqliteStore::ListExecutions(const ExecutionQuery& query) {
  Filter filter = BuildFilter(query);
  Keys keys{{kMaxKey, kMaxKey}, {}};
  if (!query.page.next_token.empty()) {
    ASSIGN_OR_RETURN(keys, DecodeKeys(filter.fingerprint, query.page, "ii"));
  }
  std::string sql = Select(kExecutionColumns, "FROM executions WHERE 1") + filter.where +
                    " AND (start_date, id) < (?, ?) ORDER BY start_date DESC, id DESC LIMIT ?";
  int limit = Limit(query.page);
  ASSIGN_OR_RETURN(ReaderPool::Lease lease, readers_.Acquire());
  ASSIGN_OR_RETURN(Stmt stmt, lease.db().Prepare(sql));
  int index = 0;
  for (const std::string* param : filter.params) stmt.Bind(++index, *param);
  stmt.Bind(++index, keys.ints[0]);
  stmt.Bind(++index, keys.ints[1]);
  stmt.Bind(++index, limit + 1);
  return CollectPage<ExecutionRecord>(lease.db(), stmt, limit, filter.fingerprint, ReadExecutionRow,
                                      [](const Stmt& row) {
                                        return Json::array({row.Int(9), row.Int(21)});
                                      });
}

Result<std::vector<ExecutionRecord>> SqliteStore::ListRunningExecutions() {
  ASSIGN_OR_RETURN(ReaderPool::Lease lease, readers_.Acquire());
  return QueryAll<ExecutionRecord>(
      lease.db(),  // Served by the partial index executions_running: grouped by state
      // machine, in insertion order within each.
      // A map run's child executions run inside their parent, which resumes them.
      Select(kExecutionColumns, "FROM executions WHERE status = 'RUNNING' AND map_run_arn = ''"),
      ReadExecutionRow);
}

Result<int64_t> SqliteStore::CountOpenExecutions(const std::string& state_machine_arn) {
  ASSIGN_OR_RETURN(ReaderPool::Lease lease, readers_.Acquire());
  ASSIGN_OR_RETURN(Stmt stmt, lease.db().Prepare("SELECT count(*) FROM executions WHERE "
                                                 "state_machine_arn = ? AND status = 'RUNNING'"));
  stmt.Bind(1, state_machine_arn);
  if (stmt.Step() != SQLITE_ROW) return lease.db().Error("count executions");
  return stmt.Int(0);
}

Result<Page<HistoryEvent>> SqliteStore::GetHistory(const std::string& execution_arn, bool reverse,
                                                   const PageRequest& page) {
  std::string query = (reverse ? "history-reverse|" : "history|") + execution_arn;
  Keys keys{{reverse ? kMaxKey : 0}, {}};
  if (!page.next_token.empty()) {
    ASSIGN_OR_RETURN(keys, DecodeKeys(query, page, "i"));
  }
  int limit = Limit(page);
  ASSIGN_OR_RETURN(ReaderPool::Lease lease, readers_.Acquire());
  ASSIGN_OR_RETURN(int64_t row_id, ExecutionRowId(lease.db(), execution_arn));
  std::string sql = Select(kEventColumns, "FROM history_events WHERE execution_id = ? AND ") +
                    (reverse ? "id < ? ORDER BY id DESC" : "id > ? ORDER BY id") + " LIMIT ?";
  ASSIGN_OR_RETURN(Stmt stmt, lease.db().Prepare(sql));
  stmt.BindAll(row_id, keys.ints[0], limit + 1);
  return CollectPage<HistoryEvent>(lease.db(), stmt, limit, query, ReadEvent,
                                   [](const Stmt& row) { return Json::array({row.Int(0)}); });
}

Result<std::vector<HistoryEvent>> SqliteStore::LoadEvents(const std::string& execution_arn) {
  ASSIGN_OR_RETURN(ReaderPool::Lease lease, readers_.Acquire());
  ASSIGN_OR_RETURN(int64_t row_id, ExecutionRowId(lease.db(), execution_arn));
  return QueryAll<HistoryEvent>(
      lease.db(), Select(kEventColumns, "FROM history_events WHERE execution_id = ? ORDER BY id"),
      ReadEvent, row_id);
}

}  // namespace stepline::storage
