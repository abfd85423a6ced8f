#include "storage/batch_apply.h"

#include <utility>

namespace stepline::storage {

Status AlreadyExists(const std::string& arn) {
  return Status(ErrorCode::kExecutionAlreadyExists, "Execution Already Exists: '" + arn + "'");
}

Status DoesNotExist(const std::string& arn) {
  return Status(ErrorCode::kExecutionDoesNotExist, "Execution Does Not Exist: '" + arn + "'");
}

Status NotContiguous(const std::string& arn, int64_t id, int64_t last_id) {
  return Status(ErrorCode::kInternal, "history event id " + std::to_string(id) + " of " + arn +
                                          " does not follow " + std::to_string(last_id));
}

// The execution's row id and its last event id (0 when it has none).
Status FindSequence(Connection& db, const std::string& arn, int64_t* row_id, int64_t* last_id) {
  ASSIGN_OR_RETURN(Stmt stmt,
                   db.PrepareStatic("SELECT e.id, (SELECT max(h.id) FROM history_events h "
                                    "WHERE h.execution_id = e.id) "
                                    "FROM executions e WHERE e.arn = ?"));
  stmt.Bind(1, arn);
  int rc = stmt.Step();
  if (rc == SQLITE_DONE) return DoesNotExist(arn);
  if (rc != SQLITE_ROW) return db.Error("find execution");
  *row_id = stmt.Int(0);
  *last_id = stmt.Int(1);  // NULL reads as 0
  return Status::Ok();
}

namespace {

bool IsConstraint(Connection& db) { return (db.LastErrorCode() & 0xFF) == SQLITE_CONSTRAINT; }

// Steps a statement that returns no rows.
Status Done(Connection& db, Stmt& stmt, const char* what) {
  int rc = stmt.Step();
  if (rc == SQLITE_DONE || rc == SQLITE_ROW) return Status::Ok();
  return db.Error(what);
}

// Runs `sql` once with `args` bound.
template <typename... Args>
Status RunSql(Connection& db, const char* sql, const char* what, const Args&... args) {
  ASSIGN_OR_RETURN(Stmt stmt, db.PrepareStatic(sql));
  stmt.BindAll(args...);
  return Done(db, stmt, what);
}

Status PutStateMachine(Connection& db, const StateMachineRecord& r) {
  return RunSql(db,
                "INSERT OR REPLACE INTO state_machines(arn, name, type, status, definition, "
                "role_arn, revision_id, description, creation_date, update_date, attributes) "
                "VALUES(?,?,?,?,?,?,?,?,?,?,?)",
                "put state machine", r.arn, r.name, r.type, r.status, r.definition, r.role_arn,
                r.revision_id, r.description, r.creation_date, r.update_date,
                JsonText(r.attributes));
}

Status DeleteStateMachine(Connection& db, const std::string& arn) {
  static const char* const kSql[] = {
      "DELETE FROM state_machines WHERE arn = ?1",
      "DELETE FROM revisions WHERE state_machine_arn = ?1",
      "DELETE FROM versions WHERE state_machine_arn = ?1",
      "DELETE FROM aliases WHERE state_machine_arn = ?1",
      // The machine's own tags and those of its versions/aliases ("<arn>:...").
      ("DELETE FROM tags WHERE resource_arn = ?1 OR "
       "(resource_arn > ?1 || ':' AND resource_arn < ?1 || ';')"),
  };
  for (const char* sql : kSql) RETURN_IF_ERROR(RunSql(db, sql, "delete state machine", arn));
  return Status::Ok();
}

Status PutRevision(Connection& db, const RevisionRecord& r) {
  return RunSql(db,
                "INSERT OR REPLACE INTO revisions(state_machine_arn, revision_id, definition, "
                "role_arn, creation_date, attributes) VALUES(?,?,?,?,?,?)",
                "put revision", r.state_machine_arn, r.revision_id, r.definition, r.role_arn,
                r.creation_date, JsonText(r.attributes));
}

Status PutVersion(Connection& db, const VersionRecord& r) {
  return RunSql(db,
                "INSERT OR REPLACE INTO versions(arn, state_machine_arn, version, revision_id, "
                "description, creation_date) VALUES(?,?,?,?,?,?)",
                "put version", r.arn, r.state_machine_arn, r.version, r.revision_id, r.description,
                r.creation_date);
}

Status PutAlias(Connection& db, const AliasRecord& r) {
  return RunSql(db,
                "INSERT OR REPLACE INTO aliases(arn, state_machine_arn, name, description, "
                "routing_configuration, creation_date, update_date) VALUES(?,?,?,?,?,?,?)",
                "put alias", r.arn, r.state_machine_arn, r.name, r.description,
                JsonText(r.routing_configuration), r.creation_date, r.update_date);
}

Status PutActivity(Connection& db, const ActivityRecord& r) {
  return RunSql(db,
                "INSERT OR REPLACE INTO activities(arn, name, creation_date, attributes) "
                "VALUES(?,?,?,?)",
                "put activity", r.arn, r.name, r.creation_date, JsonText(r.attributes));
}

Status PutMapRun(Connection& db, const MapRunRecord& r) {
  return RunSql(db,
                "INSERT OR REPLACE INTO map_runs(arn, execution_arn, start_date, body) "
                "VALUES(?,?,?,?)",
                "put map run", r.arn, r.execution_arn, r.start_date, JsonText(r.body));
}

// `sql` deletes one row by arn; the row's tags go too.
Status DeleteByArn(Connection& db, const char* sql, const std::string& arn) {
  RETURN_IF_ERROR(RunSql(db, sql, "delete", arn));
  return RunSql(db, "DELETE FROM tags WHERE resource_arn = ?", "delete tags", arn);
}

#define STEPLINE_EXECUTION_COLUMNS                                                       \
  "executions(arn, state_machine_arn, name, type, status, input, output, error, cause, " \
  "start_date, stop_date, revision_id, role_arn, version_arn, alias_arn, map_run_arn, "  \
  "parent_execution_arn, trace_header, redrive_count, redrive_date, attributes) "        \
  "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"

// `replace`: WriteBatch::put_executions, whose history starts over too.
Status InsertExecution(Connection& db, const ExecutionRecord& r, SequenceCache* sequences,
                       bool replace = false) {
  if (replace) {
    RETURN_IF_ERROR(RunSql(db,
                           "DELETE FROM history_events WHERE execution_id = "
                           "(SELECT id FROM executions WHERE arn = ?)",
                           "reset history", r.arn));
  }
  ASSIGN_OR_RETURN(Stmt stmt,
                   db.PrepareStatic(replace ? "INSERT OR REPLACE INTO " STEPLINE_EXECUTION_COLUMNS
                                            : "INSERT INTO " STEPLINE_EXECUTION_COLUMNS));
  std::optional<std::string> attributes = JsonText(r.attributes);
  stmt.BindAll(r.arn, r.state_machine_arn, r.name, r.type, r.status, r.input, r.output, r.error,
               r.cause, r.start_date, r.stop_date, r.revision_id, r.role_arn,
               r.state_machine_version_arn, r.state_machine_alias_arn, r.map_run_arn,
               r.parent_execution_arn, r.trace_header, r.redrive_count, r.redrive_date, attributes);
  int rc = stmt.Step();
  if (rc == SQLITE_DONE) {
    sequences->Set(r.arn, {sqlite3_last_insert_rowid(db.raw()), 0});
    return Status::Ok();
  }
  if (IsConstraint(db)) return AlreadyExists(r.arn);
  return db.Error("insert execution");
}

Status UpdateExecution(Connection& db, const ExecutionUpdate& u, SequenceCache* sequences) {
  ASSIGN_OR_RETURN(Stmt stmt, db.PrepareStatic("UPDATE executions SET status = ?2, output = ?3, "
                                               "error = ?4, cause = ?5, stop_date = ?6, "
                                               "redrive_count = COALESCE(?7, redrive_count), "
                                               "redrive_date = COALESCE(?8, redrive_date) "
                                               "WHERE arn = ?1"));
  stmt.BindAll(u.arn, u.status, u.output, u.error, u.cause, u.stop_date, u.redrive_count,
               u.redrive_date);
  RETURN_IF_ERROR(Done(db, stmt, "update execution"));
  if (sqlite3_changes(db.raw()) == 0) return DoesNotExist(u.arn);
  if (u.status != "RUNNING") sequences->ForgetAfterCommit(u.arn);
  return Status::Ok();
}

Status AppendEvents(Connection& db, const EncodedAppend& append, SequenceCache* sequences) {
  if (append.events.empty()) return Status::Ok();
  int64_t row_id = 0;
  int64_t last_id = 0;
  if (const SequenceCache::Entry* known = sequences->Find(append.execution_arn)) {
    row_id = known->row_id;
    last_id = known->last_event_id;
  } else {
    RETURN_IF_ERROR(FindSequence(db, append.execution_arn, &row_id, &last_id));
  }
  ASSIGN_OR_RETURN(
      Stmt stmt, db.PrepareStatic("INSERT INTO history_events(execution_id, id, previous_event_id, "
                                  "ts, type, details, engine) VALUES(?,?,?,?,?,?,?)"));
  for (const EncodedEvent& e : append.events) {
    if (e.id != ++last_id) return NotContiguous(append.execution_arn, e.id, last_id - 1);
    stmt.BindAll(row_id, e.id, e.previous_event_id, e.timestamp, e.type, e.details, e.engine);
    RETURN_IF_ERROR(Done(db, stmt, "append history event"));
    sqlite3_reset(stmt.raw());
  }
  sequences->Set(append.execution_arn, {row_id, last_id});
  return Status::Ok();
}

Status PutTags(Connection& db, const std::string& arn,
               const std::map<std::string, std::string>& tags) {
  for (const auto& [key, value] : tags) {
    RETURN_IF_ERROR(RunSql(db,
                           "INSERT OR REPLACE INTO tags(resource_arn, key, value) "
                           "VALUES(?,?,?)",
                           "put tag", arn, key, value));
  }
  return Status::Ok();
}

Status DeleteTags(Connection& db, const std::string& arn, const std::vector<std::string>& keys) {
  for (const std::string& key : keys) {
    RETURN_IF_ERROR(
        RunSql(db, "DELETE FROM tags WHERE resource_arn = ? AND key = ?", "delete tag", arn, key));
  }
  return Status::Ok();
}

// Definitions and settings first, then executions and their events, then
// tags, then deletions.
Status ApplyPuts(Connection& db, const WriteBatch& b, SequenceCache* sequences) {
  for (const auto& r : b.put_state_machines) RETURN_IF_ERROR(PutStateMachine(db, r));
  for (const auto& r : b.put_revisions) RETURN_IF_ERROR(PutRevision(db, r));
  for (const auto& r : b.put_versions) RETURN_IF_ERROR(PutVersion(db, r));
  for (const auto& r : b.put_aliases) RETURN_IF_ERROR(PutAlias(db, r));
  for (const auto& r : b.put_activities) RETURN_IF_ERROR(PutActivity(db, r));
  for (const auto& r : b.insert_executions) RETURN_IF_ERROR(InsertExecution(db, r, sequences));
  for (const auto& r : b.put_executions) RETURN_IF_ERROR(InsertExecution(db, r, sequences, true));
  for (const auto& u : b.update_executions) RETURN_IF_ERROR(UpdateExecution(db, u, sequences));
  for (const auto& r : b.put_map_runs) RETURN_IF_ERROR(PutMapRun(db, r));
  return Status::Ok();
}

Status ApplyDeletes(Connection& db, const WriteBatch& b) {
  for (const auto& [arn, keys] : b.delete_tags) RETURN_IF_ERROR(DeleteTags(db, arn, keys));
  for (const auto& [arn, tags] : b.put_tags) RETURN_IF_ERROR(PutTags(db, arn, tags));
  for (const auto& arn : b.delete_versions)
    RETURN_IF_ERROR(DeleteByArn(db, "DELETE FROM versions WHERE arn = ?", arn));
  for (const auto& arn : b.delete_aliases)
    RETURN_IF_ERROR(DeleteByArn(db, "DELETE FROM aliases WHERE arn = ?", arn));
  for (const auto& arn : b.delete_activities) {
    RETURN_IF_ERROR(DeleteByArn(db, "DELETE FROM activities WHERE arn = ?", arn));
  }
  for (const auto& arn : b.delete_state_machines) RETURN_IF_ERROR(DeleteStateMachine(db, arn));
  return Status::Ok();
}

}  // namespace

std::optional<std::string> JsonText(const Json& value) {
  if (value.is_null()) return std::nullopt;
  return DumpJson(value);
}

EncodedBatch EncodeBatch(WriteBatch batch) {
  EncodedBatch out;
  out.appends.reserve(batch.append_events.size());
  for (EventAppend& append : batch.append_events) {
    EncodedAppend& encoded = out.appends.emplace_back();
    encoded.execution_arn = std::move(append.execution_arn);
    encoded.events.reserve(append.events.size());
    for (HistoryEvent& e : append.events) {
      encoded.events.push_back(EncodedEvent{e.id, e.previous_event_id, e.timestamp,
                                            std::move(e.type), JsonText(e.details),
                                            JsonText(e.engine)});
    }
  }
  batch.append_events.clear();
  out.batch = std::move(batch);
  return out;
}

Status ApplyBatch(Connection& db, const EncodedBatch& encoded, SequenceCache* sequences) {
  RETURN_IF_ERROR(ApplyPuts(db, encoded.batch, sequences));
  for (const EncodedAppend& append : encoded.appends) {
    RETURN_IF_ERROR(AppendEvents(db, append, sequences));
  }
  return ApplyDeletes(db, encoded.batch);
}

}  // namespace stepline::storage
