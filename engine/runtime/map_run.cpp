// Distributed Map runs: ItemReader, ItemBatcher and ResultWriter (see map_run.h).
#include "engine/runtime/map_run.h"

#include <boost/asio/post.hpp>

#include "common/ids.h"
#include "common/timefmt.h"
#include "engine/runtime/dataflow.h"
#include "engine/runtime/map_items.h"
#include "engine/runtime/scope.h"

namespace stepline::runtime {
namespace {

constexpr const char* kResultWriterFailed = "States.ResultWriterFailed";
constexpr const char* kS3Prefix = "arn:aws:states:::s3:";

// "arn:aws:states:::s3:getObject" -> "getObject"; empty for other resources.
std::string S3Action(const std::string& resource) {
  if (resource.rfind(kS3Prefix, 0) != 0) return "";
  return resource.substr(std::char_traits<char>::length(kS3Prefix));
}

// AWS: a Map whose ItemReader cannot read its source fails with
// States.ItemReaderFailed; the service's error says why.
StatesError ReadFailure(const StatesError& service) {
  std::string cause = service.error;
  if (service.cause && !service.cause->empty()) cause += ": " + *service.cause;
  return {errors::kItemReaderFailed, cause, std::nullopt};
}

std::optional<int64_t> Whole(std::optional<double> n) {
  if (!n) return std::nullopt;
  return static_cast<int64_t>(*n);
}

// One iteration as the ResultWriter's SUCCEEDED_n / FAILED_n files list it.
Json IterationEntry(const Frame& f, size_t i, const std::string& sm_arn, EpochMillis now) {
  const CompoundPart& c = f.CompoundView();
  bool failed = !c.child_errors[i].error.empty();
  std::string exec = MapRunStep::ChildArn(f, i);
  Json entry = {{"ExecutionArn", exec},
                {"Input", DumpJson(c.child_inputs[i])},
                {"InputDetails", {{"Included", true}}},
                {"Name", exec.substr(exec.rfind(':') + 1)},
                {"RedriveCount", 0},
                {"RedriveStatus", "NOT_REDRIVABLE"},
                {"StartDate", FormatIso8601Millis(now)},
                {"StateMachineArn", sm_arn},
                {"Status", failed ? "FAILED" : "SUCCEEDED"},
                {"StopDate", FormatIso8601Millis(now)}};
  if (failed) {
    entry["Error"] = c.child_errors[i].error;
    entry["Cause"] = c.child_errors[i].cause.value_or("");
  } else {
    entry["Output"] = DumpJson(c.child_outputs[i]);
    entry["OutputDetails"] = {{"Included", true}};
  }
  return entry;
}

}  // namespace

Json MapRunStep::ReaderInput(Execution& ex, Frame& f) {
  const asl::State& state = *f.state;
  if (state.query_language == asl::QueryLanguage::kJsonata) {
    f.Compound().effective_input = f.raw_input;
  } else {
    Json context = ex.ContextObject(f, true);
    FrameScope scope(ex.frames_, f.id, nullptr);
    ExprContext ctx{&f.raw_input, &context, &scope};
    f.Compound().effective_input =
        ApplyInputPathAndParameters(state.input_path, std::nullopt, f.raw_input, ctx);
  }
  return Json::array();
}

// Parameters (JSONPath, over the effective input) or Arguments (JSONata).
Json MapRunStep::Payload(Execution& ex, Frame& f,
                         const std::optional<jsonpath::PayloadTemplate>& path,
                         const std::optional<jsonata::Template>& jsonata, const Json& raw,
                         const char* field) {
  if (jsonata) return ex.EvalJsonata(f, *jsonata, field, nullptr, nullptr);
  if (!path) return raw;
  Json context = ex.ContextObject(f, true);
  FrameScope scope(ex.frames_, f.id, nullptr);
  ExprContext ctx{&f.Compound().effective_input, &context, &scope};
  return path->Evaluate(ctx);
}

void MapRunStep::Read(Execution& ex, Frame& f) {
  const asl::ItemReaderSpec& reader = *f.state->as<asl::MapSpec>().item_reader;
  f.block = Frame::Block::kChildren;
  f.Compound().children.clear();
  try {
    Json params = Payload(ex, f, reader.parameters_jsonpath, reader.arguments_jsonata,
                          reader.parameters, "Arguments");
    std::optional<double> max = ex.MapNumber(f, reader.max_items, "MaxItems", true);
    if (max && *max < 0) map_items::LimitItems(Json::array(), max);  // fails the run
    std::string action = S3Action(reader.resource);
    if (action == "listObjectsV2") return List(ex, f, std::move(params), Json::array(), max);
    if (action != "getObject") {
      throw StatesException(errors::kItemReaderFailed,
                            "Stepline's ItemReader does not support " + reader.resource + ".");
    }
    Json config = reader.reader_config;
    if (config.is_object() && config.value("InputType", "") == "MANIFEST") {
      return ReadManifest(ex, f, std::move(params), max);
    }
    CallS3(ex, f, action, std::move(params),
           [config, max](Execution& e, Frame& fr, task::TaskOutcome outcome) {
             if (!outcome.ok) return FailRun(e, fr, ReadFailure(outcome.error));
             const Json& body = outcome.result.is_object() ? outcome.result["Body"] : Json();
             Json items =
                 map_items::ParseObject(body.is_string() ? body.get<std::string>() : "", config);
             e.BeginIterations(fr, map_items::LimitItems(std::move(items), max));
           });
  } catch (const StatesException& e) {
    FailRun(ex, f, e.error());
  }
}

// ListObjectsV2, page after page (ContinuationToken), then the iterations.
void MapRunStep::List(Execution& ex, Frame& f, Json params, Json items, std::optional<double> max) {
  CallS3(ex, f, "listObjectsV2", params,
         [params, items = std::move(items), max](Execution& e, Frame& fr,
                                                 task::TaskOutcome outcome) mutable {
           if (!outcome.ok) return FailRun(e, fr, ReadFailure(outcome.error));
           const Json& page = outcome.result;
           for (Json& item : map_items::ListingItems(page.value("Contents", Json::array()))) {
             items.push_back(std::move(item));
           }
           bool more = page.value("IsTruncated", false) && page.contains("NextContinuationToken");
           bool enough = max && *max > 0 && static_cast<double>(items.size()) >= *max;
           if (more && !enough) {
             params["ContinuationToken"] = page["NextContinuationToken"];
             return List(e, fr, std::move(params), std::move(items), max);
           }
           e.BeginIterations(fr, map_items::LimitItems(std::move(items), max));
         });
}

// S3 Inventory: the manifest, then each of its CSV files in order.
void MapRunStep::ReadManifest(Execution& ex, Frame& f, Json params, std::optional<double> max) {
  CallS3(ex, f, "getObject", std::move(params),
         [max](Execution& e, Frame& fr, task::TaskOutcome outcome) {
           if (!outcome.ok) return FailRun(e, fr, ReadFailure(outcome.error));
           const Json& body = outcome.result.is_object() ? outcome.result["Body"] : Json();
           auto manifest = std::make_shared<const map_items::InventoryManifest>(
               map_items::ParseManifest(body.is_string() ? body.get<std::string>() : ""));
           ReadInventory(e, fr, std::move(manifest), 0, Json::array(), max);
         });
}

void MapRunStep::ReadInventory(Execution& ex, Frame& f,
                               std::shared_ptr<const map_items::InventoryManifest> manifest,
                               size_t next, Json items, std::optional<double> max) {
  bool enough = max && *max > 0 && static_cast<double>(items.size()) >= *max;
  if (next == manifest->keys.size() || enough) {
    return ex.BeginIterations(f, map_items::LimitItems(std::move(items), max));
  }
  Json params = {{"Bucket", manifest->bucket}, {"Key", manifest->keys[next]}};
  CallS3(ex, f, "getObject", std::move(params),
         [manifest, next, items = std::move(items), max](Execution& e, Frame& fr,
                                                         task::TaskOutcome outcome) mutable {
           if (!outcome.ok) return FailRun(e, fr, ReadFailure(outcome.error));
           const Json& body = outcome.result.is_object() ? outcome.result["Body"] : Json();
           for (Json& item : map_items::InventoryItems(
                    body.is_string() ? body.get<std::string>() : "", manifest->columns)) {
             items.push_back(std::move(item));
           }
           ReadInventory(e, fr, std::move(manifest), next + 1, std::move(items), max);
         });
}

Json MapRunStep::Batch(Execution& ex, Frame& f, const Json& items) {
  const asl::ItemBatcherSpec& batcher = *f.state->as<asl::MapSpec>().batcher;
  std::optional<double> per_batch =
      ex.MapNumber(f, batcher.max_items_per_batch, "MaxItemsPerBatch", true);
  std::optional<double> bytes =
      ex.MapNumber(f, batcher.max_input_bytes_per_batch, "MaxInputBytesPerBatch", true);
  std::optional<Json> input;
  if (batcher.batch_input || batcher.batch_input_jsonata) {
    input = Payload(ex, f, batcher.batch_input, batcher.batch_input_jsonata, Json(), "BatchInput");
  }
  Json selected = Json::array();
  for (size_t i = 0; i < items.size(); ++i) selected.push_back(ex.SelectItem(f, i, items[i]));
  f.Compound().items_selected = true;
  return map_items::BatchItems(selected, Whole(per_batch).value_or(0), Whole(bytes).value_or(0),
                               input);
}

namespace {

using Files = std::vector<std::pair<std::string, std::string>>;  // key, body

// Iteration results shaped by `transformation` (NONE: execution entries;
// COMPACT: outputs; FLATTEN: outputs with arrays spliced in). A failed
// iteration is always its entry. `status` selects "SUCCEEDED", "FAILED" or all ("").
Json Shaped(const Frame& f, const std::string& transformation, const std::string& sm_arn,
            EpochMillis now, const std::string& status) {
  Json out = Json::array();
  for (size_t i = 0; i < f.CompoundView().child_outputs.size(); ++i) {
    bool failed = !f.CompoundView().child_errors[i].error.empty();
    if (!status.empty() && (status == "FAILED") != failed) continue;
    if (failed || transformation == "NONE") {
      out.push_back(IterationEntry(f, i, sm_arn, now));
    } else if (transformation == "FLATTEN" && f.CompoundView().child_outputs[i].is_array()) {
      for (const Json& v : f.CompoundView().child_outputs[i]) out.push_back(v);
    } else {
      out.push_back(f.CompoundView().child_outputs[i]);
    }
  }
  return out;
}

std::string Body(const Json& list, const std::string& output_type) {
  if (output_type != "JSONL") return DumpJson(list);
  std::string body;
  for (const Json& v : list) body += DumpJson(v) + "\n";
  return body;
}

// SUCCEEDED_0.json / FAILED_0.json (when not empty), then manifest.json, under `dir`.
Files ResultFiles(const Frame& f, const asl::ResultWriterSpec& writer, const std::string& bucket,
                  const std::string& dir, const std::string& sm_arn, EpochMillis now) {
  std::string transformation = writer.transformation.empty() ? "NONE" : writer.transformation;
  Files files;
  Json manifest = {
      {"DestinationBucket", bucket},
      {"MapRunArn", f.map_run_arn},
      {"ResultFiles",
       {{"FAILED", Json::array()}, {"PENDING", Json::array()}, {"SUCCEEDED", Json::array()}}}};
  for (const char* name : {"SUCCEEDED", "FAILED"}) {
    Json list = Shaped(f, transformation, sm_arn, now, name);
    if (list.empty()) continue;
    std::string key = dir + name + "_0.json";
    std::string body = Body(list, writer.output_type);
    manifest["ResultFiles"][name].push_back({{"Key", key}, {"Size", body.size()}});
    files.emplace_back(key, std::move(body));
  }
  files.emplace_back(dir + "manifest.json", DumpJson(manifest));
  return files;
}

}  // namespace

Json MapRunStep::Results(Execution& ex, const Frame& f) {
  const auto& writer = f.state->as<asl::MapSpec>().writer;
  std::string transformation =
      writer && !writer->transformation.empty() ? writer->transformation : "COMPACT";
  return Shaped(f, transformation, ex.record_.state_machine_arn, ex.Now(), "");
}

// ResultWriter: the result files under <Prefix>/<map run id>/; the Map's
// result becomes {MapRunArn, ResultWriterDetails}.
void MapRunStep::Write(Execution& ex, Frame& f) {
  const asl::ResultWriterSpec& writer = *f.state->as<asl::MapSpec>().writer;
  Json params = Payload(ex, f, writer.parameters, writer.arguments, Json::object(), "Arguments");
  std::string bucket = params.is_object() ? params.value("Bucket", "") : "";
  std::string prefix = params.is_object() ? params.value("Prefix", "") : "";
  std::string dir = (prefix.empty() ? "" : prefix + "/") + f.Compound().map_run_id + "/";
  f.block = Frame::Block::kChildren;
  PutFiles(ex, f, bucket,
           ResultFiles(f, writer, bucket, dir, ex.record_.state_machine_arn, ex.Now()), 0);
}

void MapRunStep::PutFiles(Execution& ex, Frame& f, std::string bucket,
                          std::vector<std::pair<std::string, std::string>> files, size_t next) {
  if (next == files.size()) {
    f.Compound().map_result =
        Json{{"MapRunArn", f.map_run_arn},
             {"ResultWriterDetails", {{"Bucket", bucket}, {"Key", files.back().first}}}};
    return ex.CompleteCompound(f);
  }
  Json params = {{"Bucket", bucket}, {"Key", files[next].first}, {"Body", files[next].second}};
  CallS3(ex, f, "putObject", std::move(params),
         [bucket, files = std::move(files), next](Execution& e, Frame& fr,
                                                  task::TaskOutcome outcome) mutable {
           if (!outcome.ok) {
             StatesError failure = ReadFailure(outcome.error);
             return FailRun(e, fr, {kResultWriterFailed, failure.cause, std::nullopt});
           }
           PutFiles(e, fr, std::move(bucket), std::move(files), next + 1);
         });
}

void MapRunStep::CallS3(Execution& ex, Frame& f, const std::string& action, Json params,
                        Then then) {
  uint64_t attempt = ++f.Compound().map_io_attempt;
  f.Compound().map_io = true;
  auto request = std::make_shared<task::TaskRequest>();
  Result<task::ResourceSpec> spec = task::ParseResource("arn:aws:states:::aws-sdk:s3:" + action);
  if (spec.ok()) request->spec = *spec;
  request->parameters = std::move(params);
  request->raw_body = action == "putObject";  // result files are written as they are
  request->execution_arn = ex.record_.arn;
  request->state_machine_arn = ex.record_.state_machine_arn;
  request->state_name = f.state->name;
  request->region = ex.services_->options.region;
  request->account = ex.services_->options.account;
  int id = f.id;
  std::weak_ptr<Execution> weak = ex.weak_from_this();
  auto done = [weak, id, attempt, then = std::move(then)](task::TaskOutcome outcome) {
    std::shared_ptr<Execution> self = weak.lock();
    if (!self) return;
    net::post(self->strand_, [self, id, attempt, then, outcome = std::move(outcome)]() mutable {
      OnAnswer(*self, id, attempt, std::move(outcome), then);
    });
  };
  std::shared_ptr<task::TaskDispatcher> dispatcher = ex.services_->options.dispatcher;
  if (!dispatcher) {
    task::TaskOutcome none;
    none.error = {errors::kTaskFailed, "No task dispatcher is configured for S3", std::nullopt};
    return done(std::move(none));
  }
  dispatcher->Dispatch(std::move(*request), std::move(done));
}

void MapRunStep::OnAnswer(Execution& ex, int frame_id, uint64_t attempt, task::TaskOutcome outcome,
                          const Then& then) {
  if (ex.closed_ || frame_id < 0 || frame_id >= static_cast<int>(ex.frames_.size())) return;
  Frame& f = *ex.frames_[frame_id];
  if (f.status != Frame::Status::kRunning || !f.Compound().map_io ||
      f.Compound().map_io_attempt != attempt)
    return;
  f.Compound().map_io = false;
  try {
    then(ex, f, std::move(outcome));
  } catch (const StatesException& e) {
    if (f.block == Frame::Block::kChildren && f.Compound().children.empty()) {
      FailRun(ex, f, e.error());
    } else {
      ex.HandleStateError(f, e.error());
    }
  }
  ex.Schedule(frame_id);
  ex.Drain();
}

void MapRunStep::Register(Execution& ex, const Frame& f) {
  const CompoundPart& c = f.CompoundView();
  if (!ex.services_->map_runs) return;
  MapRunInfo info;
  info.arn = f.map_run_arn;
  info.execution_arn = ex.record_.arn;
  const std::string& label = f.state->as<asl::MapSpec>().label;
  info.state_machine_arn =
      ex.record_.state_machine_arn + "/" + (label.empty() ? f.state->name : label);
  info.start_date = ex.Now();
  info.max_concurrency = static_cast<int64_t>(c.max_concurrency);
  info.tolerated_failure_count = Whole(c.tolerated_count).value_or(0);
  info.tolerated_failure_percentage = c.tolerated_percentage.value_or(0);
  // Replay of a run that closed: the stored record stays as it was.
  if (ex.replaying_ && ex.services_->store) {
    auto stored = ex.services_->store->GetMapRun(info.arn);
    if (stored.ok() && stored->has_value()) info = FromRecord(**stored);
  }
  bool closed = info.status != "RUNNING";
  std::string arn = info.arn;
  ex.services_->map_runs->Put(std::move(info));
  if (closed) ex.services_->map_runs->Closed(arn);
}

void MapRunStep::Track(Execution& ex, const Frame& f, const std::function<void(MapRunInfo&)>& fn) {
  if (!ex.services_->map_runs || f.map_run_arn.empty()) return;
  ex.services_->map_runs->Update(f.map_run_arn, [&fn](MapRunInfo& info) {
    if (info.status == "RUNNING") fn(info);
  });
}

void MapRunStep::Close(Execution& ex, const Frame& f, const std::string& status) {
  // Child executions that had not finished end with the run.
  for (int id : f.CompoundView().children) {
    const Frame& child = *ex.frames_[id];
    if (child.status == Frame::Status::kRunning || child.status == Frame::Status::kAborted) {
      ChildFinished(ex, f, *ex.frames_[id]);
    }
  }
  if (!ex.services_->map_runs || f.map_run_arn.empty()) return;
  EpochMillis now = ex.Now();
  bool closed = false;
  ex.services_->map_runs->Update(f.map_run_arn, [&](MapRunInfo& info) {
    if (info.status != "RUNNING") return;
    closed = true;
    info.status = status;
    info.stop_date = now;
    for (MapRunCounts* c : {&info.items, &info.executions}) {
      c->aborted += c->running + c->pending;
      c->running = 0;
      c->pending = 0;
    }
  });
  if (!closed) return;
  // Live, the record is written with the close event's batch; a replayed
  // close finds it stored already.
  std::optional<MapRunInfo> info = ex.services_->map_runs->Get(f.map_run_arn);
  if (info && !ex.replaying_) ex.Pending().put_map_runs.push_back(ToRecord(*info));
  ex.services_->map_runs->Closed(f.map_run_arn);
}

namespace {

// How many items iteration `index` carries: its batch's, or one.
int64_t Weight(const Frame& f, size_t index) {
  const Json& item = f.CompoundView().items[index];
  bool batched = f.state->as<asl::MapSpec>().batcher.has_value();
  if (batched && item.is_object() && item.contains("Items") && item["Items"].is_array()) {
    return static_cast<int64_t>(item["Items"].size());
  }
  return 1;
}

}  // namespace

void MapRunStep::CountItems(Execution& ex, const Frame& f) {
  int64_t items = 0;
  for (size_t i = 0; i < f.CompoundView().items.size(); ++i) items += Weight(f, i);
  auto executions = static_cast<int64_t>(f.CompoundView().items.size());
  Track(ex, f, [&](MapRunInfo& info) {
    info.items.total = info.items.pending = items;
    info.executions.total = info.executions.pending = executions;
  });
}

void MapRunStep::CountStarted(Execution& ex, const Frame& f, size_t index) {
  int64_t n = Weight(f, index);
  Track(ex, f, [n](MapRunInfo& info) {
    info.items.pending -= n;
    info.items.running += n;
    --info.executions.pending;
    ++info.executions.running;
  });
}

void MapRunStep::CountFinished(Execution& ex, const Frame& f, size_t index, bool succeeded) {
  int64_t n = Weight(f, index);
  Track(ex, f, [n, succeeded](MapRunInfo& info) {
    info.items.running -= n;
    (succeeded ? info.items.succeeded : info.items.failed) += n;
    --info.executions.running;
    ++(succeeded ? info.executions.succeeded : info.executions.failed);
  });
}

void MapRunStep::CountWritten(Execution& ex, const Frame& f) {
  Track(ex, f, [](MapRunInfo& info) {
    info.items.results_written = info.items.succeeded + info.items.failed;
    info.executions.results_written = info.executions.succeeded + info.executions.failed;
  });
}

Status Execution::UpdateMapRun(const std::string& map_run_arn, const MapRunUpdate& update) {
  for (auto& fp : frames_) {
    Frame& f = *fp;
    if (f.status != Frame::Status::kRunning || f.map_run_arn != map_run_arn ||
        f.block != Frame::Block::kChildren) {
      continue;
    }
    if (update.max_concurrency)
      f.Compound().max_concurrency = static_cast<size_t>(*update.max_concurrency);
    if (update.tolerated_failure_count) {
      f.Compound().tolerated_count = static_cast<double>(*update.tolerated_failure_count);
    }
    if (update.tolerated_failure_percentage) {
      f.Compound().tolerated_percentage = *update.tolerated_failure_percentage;
    }
    MapRunStep::Track(*this, f, [&](MapRunInfo& info) {
      info.max_concurrency = static_cast<int64_t>(f.Compound().max_concurrency);
      info.tolerated_failure_count = Whole(f.Compound().tolerated_count).value_or(0);
      info.tolerated_failure_percentage = f.Compound().tolerated_percentage.value_or(0);
    });
    if (!f.Compound().map_io && f.Compound().children_started < f.Compound().items.size()) {
      try {
        StartIterations(f);
      } catch (const StatesException& e) {
        HandleStateError(f, e.error());
      }
    }
    Drain();
    return Status::Ok();
  }
  return Status(ErrorCode::kResourceNotFound, "Resource not found: '" + map_run_arn + "'");
}

void MapRunStep::FailRun(Execution& ex, Frame& f, StatesError error) {
  Close(ex, f, "FAILED");
  f.Compound().map_io = false;
  Json details = {{"error", error.error}};
  if (error.cause) details["cause"] = *error.cause;
  ex.Emit(f, "MapRunFailed", std::move(details), true, CloseEngine(ex));
  ex.FailCompound(f, std::move(error));
}

// ---------------------------------------------------------------- replay

Json MapRunStep::CloseEngine(const Execution& ex) { return {{"frames", ex.frames_.size()}}; }

bool MapRunStep::ReplaySettled(Execution& ex, Frame& f) {
  for (size_t i = ex.replay_pos_; i < ex.replay_.size(); ++i) {
    const storage::HistoryEvent& event = ex.replay_[i];
    if (!event.engine.is_object() || event.engine.value("f", -1) != f.id) continue;
    if (event.type != "MapRunSucceeded" && event.type != "MapRunFailed") return false;
    f.block = Frame::Block::kChildren;
    f.Compound().children.clear();
    f.Compound().map_settled = true;
    f.on_wake = [&ex, i](Frame& fr) { Settle(ex, fr, ex.replay_[i]); };
    return true;
  }
  return false;
}

// The stored close event comes next: the frames the live run used are
// reserved (inert), then the run closes as recorded.
void MapRunStep::Settle(Execution& ex, Frame& f, const storage::HistoryEvent& close) {
  CompoundPart& c = f.Compound();
  size_t frames = close.engine.value("frames", ex.frames_.size());
  while (ex.frames_.size() < frames) {
    auto inert = std::make_unique<Frame>();
    inert->id = static_cast<int>(ex.frames_.size());
    inert->parent = f.id;
    inert->silent = true;
    inert->status = Frame::Status::kSucceeded;
    ex.frames_.push_back(std::move(inert));
  }
  f.block = Frame::Block::kChildren;
  if (close.type == "MapRunFailed") {
    c.map_redrive.reset();
    if (close.engine.is_object() && close.engine.contains("redrive")) {
      c.map_redrive = RedriveFrom(close.engine["redrive"]);
    }
    const Json& d = close.details;
    StatesError error{d.is_object() ? d.value("error", "") : "", std::nullopt, std::nullopt};
    if (d.is_object() && d.contains("cause")) error.cause = d.value("cause", "");
    return FailRun(ex, f, std::move(error));
  }
  c.map_result = Json::array();  // not written again: the stored output wins
  ex.CompleteCompound(f);
}

// ---------------------------------------------------------------- children

std::string MapRunStep::ChildArn(const Frame& f, size_t index) {
  std::string arn = f.map_run_arn;
  size_t at = arn.find(":mapRun:");
  if (at != std::string::npos) arn.replace(at, 8, ":execution:");
  return arn.substr(0, arn.rfind(':') + 1) + NameUuid(f.map_run_arn + "#" + std::to_string(index));
}

namespace {
bool RecordsChildren(const Frame& f) {
  const auto& spec = f.state->as<asl::MapSpec>();
  return spec.distributed && spec.execution_type != "EXPRESS" && !f.map_run_arn.empty();
}
}  // namespace

void MapRunStep::ChildStarted(Execution& ex, const Frame& f, Frame& child) {
  if (!RecordsChildren(f)) return;
  size_t index = child.slot;
  storage::ExecutionRecord r;
  r.arn = ChildArn(f, index);
  const std::string& label = f.state->as<asl::MapSpec>().label;
  r.state_machine_arn =
      ex.record_.state_machine_arn + "/" + (label.empty() ? f.state->name : label);
  r.name = r.arn.substr(r.arn.rfind(':') + 1);
  r.input = DumpJson(child.raw_input);
  r.start_date = ex.services_->clock->NowMillis();
  r.role_arn = ex.record_.role_arn;
  r.map_run_arn = f.map_run_arn;
  r.parent_execution_arn = ex.record_.arn;
  // Redriven when it ran in an earlier attempt; a first run counts 0.
  const MapRunRedrive* before = f.CompoundView().map_redrive.get();
  if (before && before->map_run_arn == f.map_run_arn && index < before->starts.size()) {
    r.redrive_count = before->starts[index];
  }
  if (r.redrive_count > 0) r.redrive_date = r.start_date;
  // Its history starts again with each run (put replaces the record and its events).
  if (!ex.child_logs_) ex.child_logs_ = std::make_unique<std::map<int, Execution::ChildLog>>();
  (*ex.child_logs_)[child.id] = {r.arn, 0};
  child.child_log = child.id;
  child.cursor = 0;
  Json details = {
      {"input", r.input}, {"inputDetails", {{"truncated", false}}}, {"roleArn", r.role_arn}};
  ex.Pending().put_executions.push_back(std::move(r));
  ex.EmitChild(child, "ExecutionStarted", std::move(details), true);
}

void MapRunStep::ChildFinished(Execution& ex, const Frame& f, Frame& child) {
  if (!RecordsChildren(f) || !ex.child_logs_) return;
  auto log = ex.child_logs_->find(child.id);
  if (log == ex.child_logs_->end()) return;  // finished already (or not started here)
  storage::ExecutionUpdate u;
  u.arn = log->second.arn;
  u.stop_date = ex.services_->clock->NowMillis();
  if (child.status == Frame::Status::kSucceeded) {
    u.status = "SUCCEEDED";
    u.output = DumpJson(child.output);
    ex.EmitChild(child, "ExecutionSucceeded",
                 {{"output", *u.output}, {"outputDetails", {{"truncated", false}}}}, true);
  } else if (child.status == Frame::Status::kFailed) {
    u.status = "FAILED";
    u.error = child.error.error;
    u.cause = child.error.cause;
    Json details = Json::object();
    if (!child.error.error.empty()) details["error"] = child.error.error;
    if (child.error.cause) details["cause"] = *child.error.cause;
    ex.EmitChild(child, "ExecutionFailed", std::move(details), true);
  } else {
    u.status = "ABORTED";
    ex.EmitChild(child, "ExecutionAborted", Json::object(), true);
  }
  ex.Pending().update_executions.push_back(std::move(u));
  ex.child_logs_->erase(log);
  if (ex.child_logs_->empty()) ex.child_logs_.reset();
}

Json MapRunStep::RedriveSnapshot(const Execution& ex, const Frame& f) {
  const CompoundPart& c = f.CompoundView();
  size_t n = c.items.size();
  std::vector<bool> done(n, false);
  if (c.map_redrive && c.map_redrive->map_run_arn == f.map_run_arn) {
    for (size_t i = 0; i < n && i < c.map_redrive->done.size(); ++i) {
      done[i] = c.map_redrive->done[i];
    }
  }
  std::vector<int64_t> starts(n, 0);
  if (c.map_redrive && c.map_redrive->map_run_arn == f.map_run_arn) {
    for (size_t i = 0; i < n && i < c.map_redrive->starts.size(); ++i) {
      starts[i] = c.map_redrive->starts[i];
    }
  }
  for (int id : c.children) {
    const Frame& child = *ex.frames_[id];
    if (child.slot >= n) continue;
    ++starts[child.slot];
    if (child.status == Frame::Status::kSucceeded) done[child.slot] = true;
  }
  Json indexes = Json::array(), outputs = Json::array(), inputs = Json::array();
  for (size_t i = 0; i < n; ++i) {
    if (!done[i]) continue;
    indexes.push_back(i);
    outputs.push_back(i < c.child_outputs.size() ? c.child_outputs[i] : Json());
    inputs.push_back(i < c.child_inputs.size() ? c.child_inputs[i] : Json());
  }
  return {{"mapRunArn", f.map_run_arn},    {"items", c.items},
          {"selected", c.items_selected},  {"done", std::move(indexes)},
          {"outputs", std::move(outputs)}, {"inputs", std::move(inputs)},
          {"starts", std::move(starts)}};
}

std::shared_ptr<const MapRunRedrive> MapRunStep::RedriveFrom(const Json& snapshot) {
  if (!snapshot.is_object() || !snapshot.contains("items") || !snapshot["items"].is_array()) {
    return nullptr;
  }
  auto r = std::make_shared<MapRunRedrive>();
  r->map_run_arn = snapshot.value("mapRunArn", "");
  r->items = snapshot["items"];
  r->selected = snapshot.value("selected", false);
  size_t n = r->items.size();
  r->done.assign(n, false);
  r->starts.assign(n, 0);
  const Json& starts = snapshot.value("starts", Json::array());
  for (size_t i = 0; i < n && i < starts.size(); ++i) {
    if (starts[i].is_number_integer()) r->starts[i] = starts[i].get<int64_t>();
  }
  r->outputs.assign(n, Json());
  r->inputs.assign(n, Json());
  const Json& done = snapshot.value("done", Json::array());
  for (size_t k = 0; k < done.size(); ++k) {
    if (!done[k].is_number_unsigned() || done[k].get<size_t>() >= n) continue;
    size_t i = done[k].get<size_t>();
    r->done[i] = true;
    if (snapshot.contains("outputs") && k < snapshot["outputs"].size())
      r->outputs[i] = snapshot["outputs"][k];
    if (snapshot.contains("inputs") && k < snapshot["inputs"].size())
      r->inputs[i] = snapshot["inputs"][k];
  }
  return r;
}

// The parent was redriven: the same run again, its unsuccessful iterations
// only (or, replaying, settled from the stored close that follows).
bool MapRunStep::Redrive(Execution& ex, Frame& f) {
  CompoundPart& c = f.Compound();
  if (!c.map_redrive || c.map_redrive->map_run_arn != f.map_run_arn || f.map_run_arn.empty()) {
    return false;
  }
  std::shared_ptr<const MapRunRedrive> r = c.map_redrive;
  ++c.map_redrives;
  f.block = Frame::Block::kChildren;
  c.children.clear();
  ex.Emit(f, "MapRunRedriven", {{"mapRunArn", f.map_run_arn}, {"redriveCount", c.map_redrives}});
  if (ex.closed_) return true;  // the replay diverged
  Reopen(ex, f);
  if (ex.replaying_ && ReplaySettled(ex, f)) return true;
  size_t n = r->items.size();
  c.items = r->items;
  c.items_selected = r->selected;
  c.child_outputs = r->outputs;
  c.child_inputs = r->inputs;
  c.child_errors.assign(n, StatesError());
  c.children_done = 0;
  c.children_started = 0;
  c.children_failed = 0;
  c.map_result.reset();
  c.map_settled = false;
  try {
    ex.StartIterations(f);
    if (c.children_done == n) ex.CompleteCompound(f);
  } catch (const StatesException& e) {
    ex.HandleStateError(f, e.error());
  }
  return true;
}

// The registry's run is RUNNING again; what did not succeed waits to be redriven.
void MapRunStep::Reopen(Execution& ex, const Frame& f) {
  if (!ex.services_->map_runs) return;
  EpochMillis now = ex.Now();
  int64_t count = f.CompoundView().map_redrives;
  ex.services_->map_runs->Update(f.map_run_arn, [&](MapRunInfo& info) {
    if (info.status == "RUNNING") return;
    info.status = "RUNNING";
    info.stop_date.reset();
    info.redrive_count = count;
    info.redrive_date = now;
    for (MapRunCounts* c : {&info.items, &info.executions}) {
      c->pending += c->failed + c->aborted + c->timed_out;
      c->failed = c->aborted = c->timed_out = 0;
      c->results_written = 0;
    }
  });
  ex.services_->map_runs->Reopened(f.map_run_arn);
}

bool MapRunStep::ExitSettled(Execution& ex, Frame& f) {
  CompoundPart& c = f.Compound();
  c.map_settled = false;
  if (!ex.replaying_ || ex.replay_pos_ >= ex.replay_.size() ||
      ex.replay_[ex.replay_pos_].type != "MapStateExited") {
    return false;
  }
  c.child_outputs.clear();
  c.child_inputs.clear();
  c.map_result.reset();
  ex.ExitState(f, "MapStateExited", Json(), f.state->next, Json::object());
  return true;
}

}  // namespace stepline::runtime
