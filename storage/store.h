// Store: Stepline's durable state — state machines (with revisions, versions
// and aliases), executions, their history events, activities and tags.
//
// Writes are WriteBatches, applied atomically and in submission order by a
// single writer that group-commits many batches into one SQLite transaction
// under load; each batch's completion callback runs on the writer thread
// once its data is durable (WAL, synchronous=NORMAL or stricter). A batch
// that violates a constraint (e.g. a duplicate execution name) fails alone
// with its Status and leaves the others unaffected.
//
// Reads are synchronous and may be called from any thread; they observe
// every batch whose callback has run (read-your-writes after completion).
//
// History events are the source of truth for executions: on restart the
// engine lists RUNNING executions and replays their events.
//
// Thread-safety: every method is safe to call concurrently.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/json.h"
#include "common/status.h"

namespace stepline::storage {

struct StateMachineRecord {
  std::string arn;
  std::string name;
  std::string type = "STANDARD";  // STANDARD | EXPRESS
  std::string status = "ACTIVE";  // ACTIVE | DELETING
  std::string definition;
  std::string role_arn;
  std::string revision_id;  // current revision
  std::string description;
  EpochMillis creation_date = 0;
  EpochMillis update_date = 0;
  // loggingConfiguration, tracingConfiguration, encryptionConfiguration, label...
  // kept as the API objects. Null when absent.
  Json attributes;
};

// The definition and settings an execution ran with; one row per revision.
struct RevisionRecord {
  std::string state_machine_arn;
  std::string revision_id;
  std::string definition;
  std::string role_arn;
  EpochMillis creation_date = 0;
  Json attributes;
};

struct VersionRecord {
  std::string arn;  // <state machine arn>:<N>
  std::string state_machine_arn;
  int64_t version = 0;
  std::string revision_id;
  std::string description;
  EpochMillis creation_date = 0;
};

struct AliasRecord {
  std::string arn;  // <state machine arn>:<alias name>
  std::string state_machine_arn;
  std::string name;
  std::string description;
  Json routing_configuration;  // [{"stateMachineVersionArn": ..., "weight": N}]
  EpochMillis creation_date = 0;
  EpochMillis update_date = 0;
};

struct ExecutionRecord {
  std::string arn;
  std::string state_machine_arn;
  std::string name;
  std::string type = "STANDARD";
  std::string status = "RUNNING";     // RUNNING|SUCCEEDED|FAILED|TIMED_OUT|ABORTED|PENDING_REDRIVE
  std::string input;                  // JSON text
  std::optional<std::string> output;  // JSON text
  std::optional<std::string> error;
  std::optional<std::string> cause;
  EpochMillis start_date = 0;
  std::optional<EpochMillis> stop_date;
  std::string revision_id;  // definition used (see RevisionRecord)
  std::string role_arn;
  std::string state_machine_version_arn;  // when started through a version
  std::string state_machine_alias_arn;    // when started through an alias
  std::string map_run_arn;                // distributed map children
  std::string parent_execution_arn;       // nested executions
  std::string trace_header;
  int64_t redrive_count = 0;
  std::optional<EpochMillis> redrive_date;
  Json attributes;  // anything else the API needs later
};

// One GetExecutionHistory event.
struct HistoryEvent {
  int64_t id = 0;
  int64_t previous_event_id = 0;
  EpochMillis timestamp = 0;
  std::string type;  // "PassStateEntered"
  Json details;      // the "<lowerCamelType>EventDetails" object; null when none
  Json engine;       // internal replay data, never returned by the API; null when none
};

struct ActivityRecord {
  std::string arn;
  std::string name;
  EpochMillis creation_date = 0;
  Json attributes;  // encryptionConfiguration
};

// A distributed Map run as DescribeMapRun / ListMapRuns see it once it has
// closed (the engine keeps running ones in memory). `body` is the engine's
// own serialization of the run (status, dates, limits, counters).
struct MapRunRecord {
  std::string arn;
  std::string execution_arn;
  EpochMillis start_date = 0;
  Json body;
};

// Fields that change when an execution closes (or is redriven).
struct ExecutionUpdate {
  std::string arn;
  std::string status;
  std::optional<std::string> output;
  std::optional<std::string> error;
  std::optional<std::string> cause;
  std::optional<EpochMillis> stop_date;
  std::optional<int64_t> redrive_count;
  std::optional<EpochMillis> redrive_date;
};

struct EventAppend {
  std::string execution_arn;
  std::vector<HistoryEvent> events;  // ids must continue the stored sequence
};

struct WriteBatch {
  std::vector<StateMachineRecord> put_state_machines;  // insert or replace
  std::vector<std::string> delete_state_machines;  // also drops its revisions/versions/aliases/tags
  std::vector<RevisionRecord> put_revisions;
  std::vector<VersionRecord> put_versions;
  std::vector<std::string> delete_versions;
  std::vector<AliasRecord> put_aliases;
  std::vector<std::string> delete_aliases;
  std::vector<ExecutionRecord>
      insert_executions;  // fails (kExecutionAlreadyExists) on duplicate arn
  // Insert or replace, the stored history dropped with the old record: a map
  // run's child executions, whose record and history start over when an
  // iteration runs again.
  std::vector<ExecutionRecord> put_executions;
  std::vector<ExecutionUpdate> update_executions;
  std::vector<EventAppend> append_events;
  std::vector<ActivityRecord> put_activities;
  std::vector<std::string> delete_activities;
  std::vector<MapRunRecord> put_map_runs;                              // insert or replace
  std::map<std::string, std::map<std::string, std::string>> put_tags;  // arn -> key -> value
  std::map<std::string, std::vector<std::string>> delete_tags;         // arn -> keys

  bool empty() const;
};

struct PageRequest {
  int max_results = 100;   // 1..1000 (the API layer maps 0 to 100)
  std::string next_token;  // empty: first page
};

template <typename T>
struct Page {
  std::vector<T> items;
  std::string next_token;  // empty on the last page
};

struct ExecutionQuery {
  std::string state_machine_arn;
  std::string status_filter;  // empty: any
  std::string version_arn;    // list executions started through this version
  std::string alias_arn;      // ... or alias
  std::string map_run_arn;
  std::string redrive_filter;  // "", "REDRIVEN", "NOT_REDRIVEN"
  PageRequest page;
};

class Store {
 public:
  virtual ~Store() = default;

  // --- writes ---
  // `done` (may be empty) gets the batch's outcome on the writer thread:
  // OK (durable), kExecutionAlreadyExists (duplicate insert),
  // kExecutionDoesNotExist (update/append to an unknown execution), kInternal
  // (event ids that do not continue the stored sequence), kStorage (SQLite or
  // disk failure). After Close it runs at once, on the caller's thread, with
  // kUnavailable. Callbacks must be quick and must not block on the store's
  // writes (post work elsewhere); reads from a callback are fine.
  using Callback = std::function<void(Status)>;
  virtual void Commit(WriteBatch batch, Callback done) = 0;
  // Convenience: Commit and wait. Not for hot paths on I/O threads. Returns
  // kInternal when called from a callback (it would deadlock).
  virtual Status CommitAndWait(WriteBatch batch) = 0;

  // Listings return opaque next_tokens bound to the listing and its filters;
  // a malformed or foreign token is kInvalidToken. max_results is clamped to
  // 1..1000 (0 means 100). State machines, activities and aliases list by
  // creation_date, then arn, ascending.

  // --- state machines ---
  virtual Result<std::optional<StateMachineRecord>> GetStateMachine(const std::string& arn) = 0;
  virtual Result<Page<StateMachineRecord>> ListStateMachines(const PageRequest& page) = 0;
  virtual Result<std::optional<RevisionRecord>> GetRevision(const std::string& state_machine_arn,
                                                            const std::string& revision_id) = 0;
  virtual Result<std::optional<VersionRecord>> GetVersion(const std::string& arn) = 0;
  virtual Result<Page<VersionRecord>> ListVersions(const std::string& state_machine_arn,
                                                   const PageRequest& page) = 0;  // newest first
  virtual Result<std::optional<AliasRecord>> GetAlias(const std::string& arn) = 0;
  virtual Result<Page<AliasRecord>> ListAliases(const std::string& state_machine_arn,
                                                const PageRequest& page) = 0;

  // --- executions ---
  virtual Result<std::optional<ExecutionRecord>> GetExecution(const std::string& arn) = 0;
  // Newest first (start_date desc, then most recently inserted). Every
  // non-empty filter of the query applies (AND).
  virtual Result<Page<ExecutionRecord>> ListExecutions(const ExecutionQuery& query) = 0;
  // Every RUNNING execution (grouped by state machine; no particular order).
  virtual Result<std::vector<ExecutionRecord>> ListRunningExecutions() = 0;
  virtual Result<int64_t> CountOpenExecutions(const std::string& state_machine_arn) = 0;
  // GetHistory and LoadEvents: kExecutionDoesNotExist for an unknown arn.
  virtual Result<Page<HistoryEvent>> GetHistory(const std::string& execution_arn, bool reverse,
                                                const PageRequest& page) = 0;
  // Every event of an execution in id order (replay after restart).
  virtual Result<std::vector<HistoryEvent>> LoadEvents(const std::string& execution_arn) = 0;

  // --- map runs ---
  virtual Result<std::optional<MapRunRecord>> GetMapRun(const std::string& arn) = 0;
  // The runs of one execution, oldest first.
  virtual Result<std::vector<MapRunRecord>> ListMapRuns(const std::string& execution_arn) = 0;

  // --- activities and tags ---
  virtual Result<std::optional<ActivityRecord>> GetActivity(const std::string& arn) = 0;
  virtual Result<Page<ActivityRecord>> ListActivities(const PageRequest& page) = 0;
  virtual Result<std::map<std::string, std::string>> GetTags(const std::string& arn) = 0;

  // Stops the writer after draining queued batches; later Commits fail with kUnavailable.
  virtual void Close() = 0;
};

struct StoreOptions {
  std::string path;  // file path, or ":memory:"
  // Group commit: the writer waits at most this long to gather more batches
  // when others are known to be coming (0: commit as soon as the queue empties).
  int max_batch_delay_us = 0;
  size_t max_batches_per_transaction = 512;
  // Testing aid: caps the database file at this many pages (PRAGMA
  // max_page_count) to simulate a full disk. 0: no cap.
  int64_t max_page_count = 0;
};

// Opens (creating and migrating as needed) a SQLite store. Errors on a
// corrupt or unwritable file are reported here (kStorage) with the path and
// SQLite's text. ":memory:" (or an empty path, or an in-memory "file:" URI)
// opens an in-memory database: one connection shared by the writer and
// readers under a mutex, for tests and ephemeral runs. Any other path is a
// file (or a "file:" URI) opened in WAL mode with one reader connection per
// concurrent reader.
Result<std::unique_ptr<Store>> OpenSqliteStore(const StoreOptions& options);

}  // namespace stepline::storage
