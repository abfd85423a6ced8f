// CheckBatch: the read-only rule check that lets the writer apply batches
// without a savepoint each (see GroupWriter::RunFast).
#include <string_view>
#include <unordered_map>

#include "storage/batch_apply.h"

namespace stepline::storage {
namespace {

// Last event ids as the batch would leave them, for executions it touches.
using Overlay = std::unordered_map<std::string_view, int64_t>;

Result<bool> ExecutionExists(Connection& db, const std::string& arn) {
  ASSIGN_OR_RETURN(Stmt stmt, db.PrepareStatic("SELECT 1 FROM executions WHERE arn = ?"));
  stmt.Bind(1, arn);
  int rc = stmt.Step();
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return db.Error("find execution");
}

// The last event id of `arn` before the batch's own changes in `overlay`.
Result<int64_t> LastEventId(Connection& db, const std::string& arn, const Overlay& overlay,
                            SequenceCache* sequences) {
  if (auto it = overlay.find(arn); it != overlay.end()) return it->second;
  if (const SequenceCache::Entry* known = sequences->Find(arn)) return known->last_event_id;
  int64_t row_id = 0;
  int64_t last_id = 0;
  RETURN_IF_ERROR(FindSequence(db, arn, &row_id, &last_id));
  sequences->Set(arn, {row_id, last_id});
  return last_id;
}

Status CheckInserts(Connection& db, const WriteBatch& b, Overlay* overlay,
                    SequenceCache* sequences) {
  for (const ExecutionRecord& r : b.insert_executions) {
    if (overlay->count(r.arn) > 0 || sequences->Find(r.arn) != nullptr) return AlreadyExists(r.arn);
    ASSIGN_OR_RETURN(bool exists, ExecutionExists(db, r.arn));
    if (exists) return AlreadyExists(r.arn);
    (*overlay)[r.arn] = 0;
  }
  for (const ExecutionRecord& r : b.put_executions) overlay->emplace(r.arn, 0);  // no events
  return Status::Ok();
}

Status CheckAppends(Connection& db, const EncodedBatch& encoded, Overlay* overlay,
                    SequenceCache* sequences) {
  for (const EncodedAppend& append : encoded.appends) {
    if (append.events.empty()) continue;
    ASSIGN_OR_RETURN(int64_t last_id, LastEventId(db, append.execution_arn, *overlay, sequences));
    for (const EncodedEvent& e : append.events) {
      if (e.id != ++last_id) return NotContiguous(append.execution_arn, e.id, last_id - 1);
    }
    (*overlay)[append.execution_arn] = last_id;
  }
  return Status::Ok();
}

}  // namespace

Status CheckBatch(Connection& db, const EncodedBatch& encoded, SequenceCache* sequences) {
  Overlay overlay;
  RETURN_IF_ERROR(CheckInserts(db, encoded.batch, &overlay, sequences));
  for (const ExecutionUpdate& u : encoded.batch.update_executions) {
    RETURN_IF_ERROR(LastEventId(db, u.arn, overlay, sequences).status());
  }
  return CheckAppends(db, encoded, &overlay, sequences);
}

}  // namespace stepline::storage
