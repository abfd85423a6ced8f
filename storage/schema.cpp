#include "storage/schema.h"

#include <string>
#include <vector>

namespace stepline::storage {
namespace {

// Version 1: the tables. JSON members are compact JSON text, NULL when null.
constexpr const char* kStep1 = R"sql(
CREATE TABLE state_machines(
  arn TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  type TEXT NOT NULL,
  status TEXT NOT NULL,
  definition TEXT NOT NULL,
  role_arn TEXT NOT NULL,
  revision_id TEXT NOT NULL,
  description TEXT NOT NULL,
  creation_date INTEGER NOT NULL,
  update_date INTEGER NOT NULL,
  attributes TEXT);
CREATE INDEX state_machines_by_creation ON state_machines(creation_date, arn);

CREATE TABLE revisions(
  state_machine_arn TEXT NOT NULL,
  revision_id TEXT NOT NULL,
  definition TEXT NOT NULL,
  role_arn TEXT NOT NULL,
  creation_date INTEGER NOT NULL,
  attributes TEXT,
  UNIQUE(state_machine_arn, revision_id));

CREATE TABLE versions(
  arn TEXT PRIMARY KEY,
  state_machine_arn TEXT NOT NULL,
  version INTEGER NOT NULL,
  revision_id TEXT NOT NULL,
  description TEXT NOT NULL,
  creation_date INTEGER NOT NULL);
CREATE INDEX versions_by_machine ON versions(state_machine_arn, version);

CREATE TABLE aliases(
  arn TEXT PRIMARY KEY,
  state_machine_arn TEXT NOT NULL,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  routing_configuration TEXT,
  creation_date INTEGER NOT NULL,
  update_date INTEGER NOT NULL);
CREATE INDEX aliases_by_machine ON aliases(state_machine_arn, creation_date, arn);

CREATE TABLE executions(
  id INTEGER PRIMARY KEY,
  arn TEXT NOT NULL UNIQUE,
  state_machine_arn TEXT NOT NULL,
  name TEXT NOT NULL,
  type TEXT NOT NULL,
  status TEXT NOT NULL,
  input TEXT NOT NULL,
  output TEXT,
  error TEXT,
  cause TEXT,
  start_date INTEGER NOT NULL,
  stop_date INTEGER,
  revision_id TEXT NOT NULL,
  role_arn TEXT NOT NULL,
  version_arn TEXT NOT NULL,
  alias_arn TEXT NOT NULL,
  map_run_arn TEXT NOT NULL,
  parent_execution_arn TEXT NOT NULL,
  trace_header TEXT NOT NULL,
  redrive_count INTEGER NOT NULL,
  redrive_date INTEGER,
  attributes TEXT);
CREATE INDEX executions_by_machine ON executions(state_machine_arn, start_date);
CREATE INDEX executions_by_machine_status ON executions(state_machine_arn, status, start_date);

CREATE TABLE history_events(
  execution_id INTEGER NOT NULL,
  id INTEGER NOT NULL,
  previous_event_id INTEGER NOT NULL,
  ts INTEGER NOT NULL,
  type TEXT NOT NULL,
  details TEXT,
  engine TEXT,
  PRIMARY KEY(execution_id, id)) WITHOUT ROWID;

CREATE TABLE activities(
  arn TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  creation_date INTEGER NOT NULL,
  attributes TEXT);
CREATE INDEX activities_by_creation ON activities(creation_date, arn);

CREATE TABLE tags(
  resource_arn TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY(resource_arn, key)) WITHOUT ROWID;
)sql";

// Version 2: partial indexes for the rarer execution filters and for the
// RUNNING set replayed at start-up. Partial, so ordinary inserts skip them.
constexpr const char* kStep2 = R"sql(
CREATE INDEX executions_by_version ON executions(version_arn, start_date)
  WHERE version_arn <> '';
CREATE INDEX executions_by_alias ON executions(alias_arn, start_date)
  WHERE alias_arn <> '';
CREATE INDEX executions_by_map_run ON executions(map_run_arn, start_date)
  WHERE map_run_arn <> '';
CREATE INDEX executions_running ON executions(state_machine_arn)
  WHERE status = 'RUNNING';
)sql";

// Version 3: distributed Map runs, kept once closed (DescribeMapRun after a restart).
constexpr const char* kStep3 = R"sql(
CREATE TABLE map_runs(
  arn TEXT PRIMARY KEY,
  execution_arn TEXT NOT NULL,
  start_date INTEGER NOT NULL,
  body TEXT);
CREATE INDEX map_runs_by_execution ON map_runs(execution_arn, start_date);
)sql";

const std::vector<const char*>& Steps() {
  static const std::vector<const char*> steps = {kStep1, kStep2, kStep3};
  return steps;
}

Status ApplyStep(Connection& db, int version) {
  RETURN_IF_ERROR(db.Exec("BEGIN IMMEDIATE"));
  // Another process may have migrated since we looked.
  Result<int64_t> now = db.QueryInt("PRAGMA user_version");
  if (now.ok() && *now >= version) return db.Exec("COMMIT");
  Status st = now.ok() ? db.Exec(Steps()[version - 1]) : now.status();
  if (st.ok()) st = db.Exec("PRAGMA user_version = " + std::to_string(version));
  if (st.ok()) st = db.Exec("COMMIT");
  if (!st.ok()) {
    (void)db.Exec("ROLLBACK");
    return Status(ErrorCode::kStorage, "schema migration to version " + std::to_string(version) +
                                           " failed: " + st.message());
  }
  return Status::Ok();
}

}  // namespace

int LatestSchemaVersion() { return static_cast<int>(Steps().size()); }

Status MigrateSchema(Connection& db, int target_version) {
  if (target_version < 0) target_version = LatestSchemaVersion();
  ASSIGN_OR_RETURN(int64_t current, db.QueryInt("PRAGMA user_version"));
  if (current > LatestSchemaVersion()) {
    return Status(ErrorCode::kStorage, "database " + db.path() + " has schema version " +
                                           std::to_string(current) +
                                           ", newer than this build supports (" +
                                           std::to_string(LatestSchemaVersion()) + ")");
  }
  for (int v = static_cast<int>(current) + 1; v <= target_version; ++v) {
    RETURN_IF_ERROR(ApplyStep(db, v));
  }
  return Status::Ok();
}

}  // namespace stepline::storage
