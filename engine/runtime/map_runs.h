// Map runs of distributed Map states, as DescribeMapRun / ListMapRuns /
// UpdateMapRun see them: a registry the executions keep current.
//
// Thread-safety: MapRunRegistry is thread-safe (one mutex); executions write
// from their strands, API calls read from any thread. Running runs live in
// memory; a run that closes is written to the Store with the batch of its
// close event and stays in memory for the next kClosedMapRunsKept closes, so
// memory is bounded by the running runs plus that many. Lookups fall back to
// the store: DescribeMapRun and ListMapRuns answer after a restart.
#pragma once

#include <algorithm>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/json.h"
#include "storage/store.h"

namespace stepline::runtime {

// Child-workflow counters (AWS's MapRunItemCounts / MapRunExecutionCounts).
struct MapRunCounts {
  int64_t pending = 0;
  int64_t running = 0;
  int64_t succeeded = 0;
  int64_t failed = 0;
  int64_t timed_out = 0;
  int64_t aborted = 0;
  int64_t total = 0;
  int64_t results_written = 0;
};

struct MapRunInfo {
  std::string arn;
  std::string execution_arn;
  std::string state_machine_arn;   // the run's child state machine: <machine>/<label>
  std::string status = "RUNNING";  // RUNNING | SUCCEEDED | FAILED | ABORTED
  EpochMillis start_date = 0;
  std::optional<EpochMillis> stop_date;
  int64_t max_concurrency = 0;
  int64_t tolerated_failure_count = 0;
  double tolerated_failure_percentage = 0;
  MapRunCounts items;         // items read (several per execution with an ItemBatcher)
  MapRunCounts executions;    // child workflow executions
  int64_t redrive_count = 0;  // MapRunRedriven events so far
  std::optional<EpochMillis> redrive_date;
};

// UpdateMapRun's changes (absent: unchanged).
struct MapRunUpdate {
  std::optional<int64_t> max_concurrency;
  std::optional<int64_t> tolerated_failure_count;
  std::optional<double> tolerated_failure_percentage;
};

// A run as stored once closed (storage::MapRunRecord::body) and back.
inline Json CountsToJson(const MapRunCounts& c) {
  return {{"pending", c.pending},     {"running", c.running},
          {"succeeded", c.succeeded}, {"failed", c.failed},
          {"timedOut", c.timed_out},  {"aborted", c.aborted},
          {"total", c.total},         {"resultsWritten", c.results_written}};
}
inline MapRunCounts CountsFromJson(const Json& j) {
  MapRunCounts c;
  if (!j.is_object()) return c;
  c.pending = j.value("pending", int64_t{0});
  c.running = j.value("running", int64_t{0});
  c.succeeded = j.value("succeeded", int64_t{0});
  c.failed = j.value("failed", int64_t{0});
  c.timed_out = j.value("timedOut", int64_t{0});
  c.aborted = j.value("aborted", int64_t{0});
  c.total = j.value("total", int64_t{0});
  c.results_written = j.value("resultsWritten", int64_t{0});
  return c;
}
inline storage::MapRunRecord ToRecord(const MapRunInfo& info) {
  Json body = {{"stateMachineArn", info.state_machine_arn},
               {"status", info.status},
               {"maxConcurrency", info.max_concurrency},
               {"toleratedFailureCount", info.tolerated_failure_count},
               {"toleratedFailurePercentage", info.tolerated_failure_percentage},
               {"items", CountsToJson(info.items)},
               {"executions", CountsToJson(info.executions)}};
  if (info.stop_date) body["stopDate"] = *info.stop_date;
  if (info.redrive_count > 0) body["redriveCount"] = info.redrive_count;
  if (info.redrive_date) body["redriveDate"] = *info.redrive_date;
  return {info.arn, info.execution_arn, info.start_date, std::move(body)};
}
inline MapRunInfo FromRecord(const storage::MapRunRecord& r) {
  MapRunInfo info;
  info.arn = r.arn;
  info.execution_arn = r.execution_arn;
  info.start_date = r.start_date;
  const Json& b = r.body.is_object() ? r.body : Json::object();
  info.state_machine_arn = b.value("stateMachineArn", "");
  info.status = b.value("status", "RUNNING");
  if (b.contains("stopDate")) info.stop_date = b.value("stopDate", EpochMillis{0});
  info.max_concurrency = b.value("maxConcurrency", int64_t{0});
  info.tolerated_failure_count = b.value("toleratedFailureCount", int64_t{0});
  info.tolerated_failure_percentage = b.value("toleratedFailurePercentage", 0.0);
  info.items = CountsFromJson(b.value("items", Json()));
  info.executions = CountsFromJson(b.value("executions", Json()));
  info.redrive_count = b.value("redriveCount", int64_t{0});
  if (b.contains("redriveDate")) info.redrive_date = b.value("redriveDate", EpochMillis{0});
  return info;
}

// Closed runs kept in memory (the store has them all); see MapRunRegistry.
constexpr size_t kClosedMapRunsKept = 1000;

class MapRunRegistry {
 public:
  explicit MapRunRegistry(storage::Store* store = nullptr, size_t closed_kept = kClosedMapRunsKept)
      : store_(store), closed_kept_(closed_kept) {}

  void Put(MapRunInfo info) {
    std::lock_guard<std::mutex> lock(mu_);
    std::string arn = info.arn;
    runs_[arn] = std::move(info);
  }
  template <typename Fn>
  void Update(const std::string& arn, Fn fn) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = runs_.find(arn);
    if (it != runs_.end()) fn(it->second);
  }
  // The run has closed (and its record is on its way to the store): it
  // stays in memory until kClosedMapRunsKept later closes.
  void Closed(const std::string& arn) {
    std::lock_guard<std::mutex> lock(mu_);
    closed_.push_back(arn);
    while (closed_.size() > closed_kept_) {
      runs_.erase(closed_.front());
      closed_.pop_front();
    }
  }
  // A closed run runs again (redriven): no longer among the closed ones.
  void Reopened(const std::string& arn) {
    std::lock_guard<std::mutex> lock(mu_);
    closed_.erase(std::remove(closed_.begin(), closed_.end(), arn), closed_.end());
  }
  // Memory first, then the store.
  std::optional<MapRunInfo> Get(const std::string& arn) const {
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = runs_.find(arn);
      if (it != runs_.end()) return it->second;
    }
    if (!store_) return std::nullopt;
    auto stored = store_->GetMapRun(arn);
    if (!stored.ok() || !stored->has_value()) return std::nullopt;
    return FromRecord(**stored);
  }
  // The runs of one execution, oldest first (memory wins over the store).
  std::vector<MapRunInfo> ForExecution(const std::string& execution_arn) const {
    std::map<std::string, MapRunInfo> found;
    if (store_) {
      auto stored = store_->ListMapRuns(execution_arn);
      if (stored.ok()) {
        for (const auto& r : *stored) found[r.arn] = FromRecord(r);
      }
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (const auto& [arn, info] : runs_) {
        if (info.execution_arn == execution_arn) found[arn] = info;
      }
    }
    std::vector<MapRunInfo> out;
    for (auto& [arn, info] : found) out.push_back(std::move(info));
    std::stable_sort(out.begin(), out.end(), [](const MapRunInfo& a, const MapRunInfo& b) {
      return a.start_date < b.start_date;
    });
    return out;
  }
  size_t InMemory() const {
    std::lock_guard<std::mutex> lock(mu_);
    return runs_.size();
  }

 private:
  storage::Store* store_;
  size_t closed_kept_;
  mutable std::mutex mu_;
  std::map<std::string, MapRunInfo> runs_;
  std::deque<std::string> closed_;
};

}  // namespace stepline::runtime
