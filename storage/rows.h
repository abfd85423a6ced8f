// Reading store records back out of SQLite rows: for each record type, the
// column list to SELECT and a function that builds the record from a row
// stepped with exactly those columns (in that order).
//
// Thread-safety: pure functions over the statement they are given.
// Invariants: kXxxColumns and ReadXxx agree on column order; JSON columns
// that are NULL read back as a null Json.
#pragma once

#include "storage/sqlite_db.h"
#include "storage/store.h"

namespace stepline::storage {

extern const char* const kStateMachineColumns;
extern const char* const kRevisionColumns;
extern const char* const kVersionColumns;
extern const char* const kAliasColumns;
extern const char* const kExecutionColumns;  // ends with the internal row id
extern const char* const kEventColumns;
extern const char* const kActivityColumns;
extern const char* const kMapRunColumns;

StateMachineRecord ReadStateMachine(const Stmt& row);
RevisionRecord ReadRevision(const Stmt& row);
VersionRecord ReadVersion(const Stmt& row);
AliasRecord ReadAlias(const Stmt& row);
ExecutionRecord ReadExecution(const Stmt& row, int64_t* row_id = nullptr);
HistoryEvent ReadEvent(const Stmt& row);
ActivityRecord ReadActivity(const Stmt& row);
MapRunRecord ReadMapRun(const Stmt& row);

// Parses stored JSON text (null when the column is NULL or unparsable).
Json ReadJson(const Stmt& row, int col);

}  // namespace stepline::storage
