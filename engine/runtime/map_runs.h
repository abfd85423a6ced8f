// Map runs of distributed Map states, as DescribeMapRun / ListMapRuns /
// UpdateMapRun see them: a registry the executions keep current.
//
// Thread-safety: MapRunRegistry is thread-safe (one mutex); executions write
// from their strands, API calls read from any thread. The registry is held in
// memory: map runs are known from their MapRunStarted until the server stops.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"

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
  MapRunCounts items;       // items read (several per execution with an ItemBatcher)
  MapRunCounts executions;  // child workflow executions
};

// UpdateMapRun's changes (absent: unchanged).
struct MapRunUpdate {
  std::optional<int64_t> max_concurrency;
  std::optional<int64_t> tolerated_failure_count;
  std::optional<double> tolerated_failure_percentage;
};

class MapRunRegistry {
 public:
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
  std::optional<MapRunInfo> Get(const std::string& arn) const {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = runs_.find(arn);
    if (it == runs_.end()) return std::nullopt;
    return it->second;
  }
  // The runs of one execution, oldest first.
  std::vector<MapRunInfo> ForExecution(const std::string& execution_arn) const {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<MapRunInfo> out;
    for (const auto& [arn, info] : runs_) {
      if (info.execution_arn == execution_arn) out.push_back(info);
    }
    std::stable_sort(out.begin(), out.end(), [](const MapRunInfo& a, const MapRunInfo& b) {
      return a.start_date < b.start_date;
    });
    return out;
  }

 private:
  mutable std::mutex mu_;
  std::map<std::string, MapRunInfo> runs_;
};

}  // namespace stepline::runtime
