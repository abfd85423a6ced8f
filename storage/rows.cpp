#include "storage/rows.h"

namespace stepline::storage {

const char* const kStateMachineColumns =
    "arn, name, type, status, definition, role_arn, revision_id, description, creation_date, "
    "update_date, attributes";
const char* const kRevisionColumns =
    "state_machine_arn, revision_id, definition, role_arn, creation_date, attributes";
const char* const kVersionColumns =
    "arn, state_machine_arn, version, revision_id, description, creation_date";
const char* const kAliasColumns =
    "arn, state_machine_arn, name, description, routing_configuration, creation_date, "
    "update_date";
const char* const kExecutionColumns =
    "arn, state_machine_arn, name, type, status, input, output, error, cause, start_date, "
    "stop_date, revision_id, role_arn, version_arn, alias_arn, map_run_arn, "
    "parent_execution_arn, trace_header, redrive_count, redrive_date, attributes, id";
const char* const kEventColumns = "id, previous_event_id, ts, type, details, engine";
const char* const kActivityColumns = "arn, name, creation_date, attributes";
const char* const kMapRunColumns = "arn, execution_arn, start_date, body";

Json ReadJson(const Stmt& row, int col) {
  if (row.IsNull(col)) return Json();
  Result<Json> parsed = ParseJson(row.Text(col));
  return parsed.ok() ? std::move(parsed).value() : Json();
}

StateMachineRecord ReadStateMachine(const Stmt& row) {
  StateMachineRecord r;
  r.arn = row.Text(0);
  r.name = row.Text(1);
  r.type = row.Text(2);
  r.status = row.Text(3);
  r.definition = row.Text(4);
  r.role_arn = row.Text(5);
  r.revision_id = row.Text(6);
  r.description = row.Text(7);
  r.creation_date = row.Int(8);
  r.update_date = row.Int(9);
  r.attributes = ReadJson(row, 10);
  return r;
}

RevisionRecord ReadRevision(const Stmt& row) {
  RevisionRecord r;
  r.state_machine_arn = row.Text(0);
  r.revision_id = row.Text(1);
  r.definition = row.Text(2);
  r.role_arn = row.Text(3);
  r.creation_date = row.Int(4);
  r.attributes = ReadJson(row, 5);
  return r;
}

VersionRecord ReadVersion(const Stmt& row) {
  VersionRecord r;
  r.arn = row.Text(0);
  r.state_machine_arn = row.Text(1);
  r.version = row.Int(2);
  r.revision_id = row.Text(3);
  r.description = row.Text(4);
  r.creation_date = row.Int(5);
  return r;
}

AliasRecord ReadAlias(const Stmt& row) {
  AliasRecord r;
  r.arn = row.Text(0);
  r.state_machine_arn = row.Text(1);
  r.name = row.Text(2);
  r.description = row.Text(3);
  r.routing_configuration = ReadJson(row, 4);
  r.creation_date = row.Int(5);
  r.update_date = row.Int(6);
  return r;
}

ExecutionRecord ReadExecution(const Stmt& row, int64_t* row_id) {
  ExecutionRecord r;
  r.arn = row.Text(0);
  r.state_machine_arn = row.Text(1);
  r.name = row.Text(2);
  r.type = row.Text(3);
  r.status = row.Text(4);
  r.input = row.Text(5);
  r.output = row.OptText(6);
  r.error = row.OptText(7);
  r.cause = row.OptText(8);
  r.start_date = row.Int(9);
  r.stop_date = row.OptInt(10);
  r.revision_id = row.Text(11);
  r.role_arn = row.Text(12);
  r.state_machine_version_arn = row.Text(13);
  r.state_machine_alias_arn = row.Text(14);
  r.map_run_arn = row.Text(15);
  r.parent_execution_arn = row.Text(16);
  r.trace_header = row.Text(17);
  r.redrive_count = row.Int(18);
  r.redrive_date = row.OptInt(19);
  r.attributes = ReadJson(row, 20);
  if (row_id != nullptr) *row_id = row.Int(21);
  return r;
}

HistoryEvent ReadEvent(const Stmt& row) {
  HistoryEvent e;
  e.id = row.Int(0);
  e.previous_event_id = row.Int(1);
  e.timestamp = row.Int(2);
  e.type = row.Text(3);
  e.details = ReadJson(row, 4);
  e.engine = ReadJson(row, 5);
  return e;
}

ActivityRecord ReadActivity(const Stmt& row) {
  ActivityRecord r;
  r.arn = row.Text(0);
  r.name = row.Text(1);
  r.creation_date = row.Int(2);
  r.attributes = ReadJson(row, 3);
  return r;
}

MapRunRecord ReadMapRun(const Stmt& row) {
  MapRunRecord r;
  r.arn = row.Text(0);
  r.execution_arn = row.Text(1);
  r.start_date = row.Int(2);
  r.body = ReadJson(row, 3);
  return r;
}

}  // namespace stepline::storage
