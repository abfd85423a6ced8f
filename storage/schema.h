// The store's SQLite schema and its migrations.
//
// The schema version lives in `PRAGMA user_version`. Migrations are an ordered
// list of SQL steps in schema.cpp; step N takes a database from version N-1 to
// N. Each step runs in its own transaction together with the user_version
// bump, so a crash leaves the database at a whole version.
//
// Thread-safety: functions operate on the connection they are given; call them
// from the thread that owns it, before the store starts serving.
// Invariants: steps are append-only — never edit a released step, add a new one.
#pragma once

#include "common/status.h"
#include "storage/sqlite_db.h"

namespace stepline::storage {

// The version a freshly migrated database has.
int LatestSchemaVersion();

// Applies every step above the database's current version, up to
// `target_version` (default: latest). A database newer than this build
// understands is a kStorage error, as is any failing step.
Status MigrateSchema(Connection& db, int target_version = -1);

}  // namespace stepline::storage
