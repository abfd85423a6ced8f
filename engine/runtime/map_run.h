// Distributed Map runs: the ItemReader's and the ResultWriter's S3 calls and
// the ItemBatcher, with access to the interpreter's internals.
//
// The S3 calls go through the engine's TaskDispatcher as aws-sdk:s3 requests
// (the same endpoints, signing and HTTP client as Task states) and never
// block the strand: the map frame waits (Frame::map_io) and the answer is
// posted back onto the strand, accepted only while the frame still waits for
// that very call (Frame::map_io_attempt). A failed read or write fails the
// run: MapRunFailed, then the state's error handling.
//
// Replay. The history holds the run, not its iterations (they are child
// executions): a run that closed in the stored history is settled from it
// (ReplaySettled: no S3 read, no iteration re-run; the state output is the
// stored MapStateExited's), its close event recording how many frames the
// live run used ("engine.frames") so later frame ids replay alike. A run
// still open when the history ends runs again once the replay is over: the
// ItemReader reads the items again and the iterations re-run (AWS, too,
// dispatches child executions at least once).
// Known limit: frames created by a concurrent Parallel branch while a run
// was open may get other ids on replay.
//
// Thread-safety: every function runs on the execution's strand.
#pragma once

#include "common/json.h"
#include "engine/runtime/execution.h"
#include "engine/runtime/map_items.h"

namespace stepline::runtime {

class MapRunStep {
 public:
  // The Map's effective input when an ItemReader supplies the items (items: []).
  static Json ReaderInput(Execution& ex, Frame& f);
  // Reads the items, then Execution::BeginIterations (or fails the run).
  static void Read(Execution& ex, Frame& f);
  // ItemSelector on each item, then the ItemBatcher's batches.
  static Json Batch(Execution& ex, Frame& f, const Json& items);
  // The run's result in the state output, as WriterConfig.Transformation
  // says (COMPACT when absent); failed (tolerated) iterations keep their
  // execution entry (NONE).
  static Json Results(Execution& ex, const Frame& f);
  // Writes the results (ResultWriter), then Execution::CompleteCompound.
  static void Write(Execution& ex, Frame& f);

  // Replay: true when the run just started closes later in the stored
  // history; the frame then waits for that close event and replays it.
  static bool ReplaySettled(Execution& ex, Frame& f);
  // Replay of a settled run's MapStateExited with the stored output; false
  // when the stored history goes on otherwise.
  static bool ExitSettled(Execution& ex, Frame& f);
  // The engine data of a run's close event (see ReplaySettled).
  static Json CloseEngine(const Execution& ex);

  // Child executions. A STANDARD run's iterations are child executions with
  // records and histories of their own (ListExecutions mapRunArn,
  // DescribeExecution, GetExecutionHistory): ExecutionStarted, the
  // iteration's state events (Execution::EmitChild, through the frames'
  // child_log), then ExecutionSucceeded / Failed, or Aborted when the run
  // closes first. An iteration keeps its ARN (named from the run and its
  // index) when it runs again; its record and history start over.
  static std::string ChildArn(const Frame& f, size_t index);
  static void ChildStarted(Execution& ex, const Frame& f, Frame& child);
  static void ChildFinished(Execution& ex, const Frame& f, Frame& child);

  // Redrive. A run that fails in its iterations stores, with its
  // MapRunFailed, what a redrive needs (RedriveSnapshot); replaying that
  // event gives the frame its MapRunRedrive back. A redrive of the parent
  // then redrives the same run (AWS: MapRunRedriven, no new MapRunStarted)
  // and re-runs only the iterations that did not succeed. A run that failed
  // before iterating (ItemReader) has no snapshot: the state is entered
  // again and starts a new run, as AWS does.
  static Json RedriveSnapshot(const Execution& ex, const Frame& f);
  static std::shared_ptr<const MapRunRedrive> RedriveFrom(const Json& snapshot);
  // False when the frame holds no snapshot of its current run.
  static bool Redrive(Execution& ex, Frame& f);

  // The run in the engine's MapRunRegistry: registered at MapRunStarted,
  // its counters kept current, closed with `status` (SUCCEEDED, FAILED, ABORTED).
  static void Register(Execution& ex, const Frame& f);
  static void Track(Execution& ex, const Frame& f, const std::function<void(MapRunInfo&)>& fn);
  static void Close(Execution& ex, const Frame& f, const std::string& status);
  // Counters: the iterations are known (frame.Compound().items), one starts, one ends.
  static void CountItems(Execution& ex, const Frame& f);
  static void CountStarted(Execution& ex, const Frame& f, size_t index);
  static void CountFinished(Execution& ex, const Frame& f, size_t index, bool succeeded);
  static void CountWritten(Execution& ex, const Frame& f);

 private:
  using Then = std::function<void(Execution&, Frame&, task::TaskOutcome)>;
  static void CallS3(Execution& ex, Frame& f, const std::string& action, Json params, Then then);
  static void OnAnswer(Execution& ex, int frame_id, uint64_t attempt, task::TaskOutcome outcome,
                       const Then& then);
  static void List(Execution& ex, Frame& f, Json params, Json items, std::optional<double> max);
  static void ReadManifest(Execution& ex, Frame& f, Json params, std::optional<double> max);
  static void ReadInventory(Execution& ex, Frame& f,
                            std::shared_ptr<const map_items::InventoryManifest> manifest,
                            size_t next, Json items, std::optional<double> max);
  static Json Payload(Execution& ex, Frame& f, const std::optional<jsonpath::PayloadTemplate>& path,
                      const std::optional<jsonata::Template>& jsonata, const Json& raw,
                      const char* field);
  static void PutFiles(Execution& ex, Frame& f, std::string bucket,
                       std::vector<std::pair<std::string, std::string>> files, size_t next);
  static void FailRun(Execution& ex, Frame& f, StatesError error);
  static void Reopen(Execution& ex, const Frame& f);
  static void Settle(Execution& ex, Frame& f, const storage::HistoryEvent& close);
};

}  // namespace stepline::runtime
