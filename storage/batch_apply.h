// Turning a WriteBatch into SQL: EncodeBatch (run on the committing thread,
// so the JSON serialization of history events is spread over callers rather
// than done on the single writer thread) and ApplyBatch (run on the writer,
// inside its open transaction and the batch's savepoint).
//
// Thread-safety: EncodeBatch is a pure function; ApplyBatch uses the
// connection it is given, which must belong to the calling thread.
// Invariants: ApplyBatch either applies every operation of the batch or
// returns a non-OK Status, after which the caller rolls the savepoint back.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "storage/sequence_cache.h"
#include "storage/sqlite_db.h"
#include "storage/store.h"

namespace stepline::storage {

struct EncodedEvent {
  int64_t id = 0;
  int64_t previous_event_id = 0;
  EpochMillis timestamp = 0;
  std::string type;
  std::optional<std::string> details;  // compact JSON; nullopt for null
  std::optional<std::string> engine;
};

struct EncodedAppend {
  std::string execution_arn;
  std::vector<EncodedEvent> events;
};

// A batch ready for the writer: the WriteBatch minus its events, which are
// already serialized.
struct EncodedBatch {
  WriteBatch batch;  // append_events is empty
  std::vector<EncodedAppend> appends;
};

EncodedBatch EncodeBatch(WriteBatch batch);

// Applies `batch` on `db` (inside the caller's transaction), reading and
// updating `sequences` (the caller brackets the batch with its
// BeginBatch/RollbackBatch). Errors:
// kExecutionAlreadyExists for a duplicate execution arn, kExecutionDoesNotExist
// for an update or append to an unknown execution, kInternal for event ids
// that do not continue the stored sequence, kStorage for SQLite failures.
Status ApplyBatch(Connection& db, const EncodedBatch& batch, SequenceCache* sequences);

// Checks, without writing anything, that ApplyBatch would not fail on a
// rule: no duplicate execution, no update or append to an unknown one, event
// ids that continue their sequence. Returns the Status ApplyBatch would.
// May add committed facts to `sequences` (inside the caller's batch).
Status CheckBatch(Connection& db, const EncodedBatch& batch, SequenceCache* sequences);

// The execution's row id and its last event id (0 when it has none);
// kExecutionDoesNotExist when there is no such execution.
Status FindSequence(Connection& db, const std::string& arn, int64_t* row_id, int64_t* last_id);

// The Statuses of broken rules, shared by ApplyBatch and CheckBatch.
Status AlreadyExists(const std::string& arn);
Status DoesNotExist(const std::string& arn);
Status NotContiguous(const std::string& arn, int64_t id, int64_t last_id);

// Compact JSON text of `value`, or nullopt when it is null.
std::optional<std::string> JsonText(const Json& value);

}  // namespace stepline::storage
