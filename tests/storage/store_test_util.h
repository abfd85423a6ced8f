// Helpers for the storage tests: temporary directories, sample records and
// small wrappers that open a store or commit a batch and check the outcome.
//
// Thread-safety: the helpers are stateless; a TempDir belongs to one test.
#pragma once

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "storage/store.h"

namespace stepline::storage::testing {

inline const char* kMachineArn = "arn:aws:states:us-east-1:123456789012:stateMachine:Sm";

// A fresh directory under the system temp dir, removed on destruction.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "stepline-store-XXXXXX");
    char* made = mkdtemp(pattern.data());
    REQUIRE(made != nullptr);
    path_ = made;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string File(const std::string& name) const { return (path_ / name).string(); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline std::unique_ptr<Store> OpenOrDie(const std::string& path, int max_delay_us = 0) {
  StoreOptions options;
  options.path = path;
  options.max_batch_delay_us = max_delay_us;
  auto store = OpenSqliteStore(options);
  INFO(store.status().ToString());
  REQUIRE(store.ok());
  return std::move(store).value();
}

inline std::string ExecutionArn(const std::string& name) {
  return "arn:aws:states:us-east-1:123456789012:execution:Sm:" + name;
}

inline ExecutionRecord SampleExecution(const std::string& name, EpochMillis start = 1000) {
  ExecutionRecord r;
  r.arn = ExecutionArn(name);
  r.state_machine_arn = kMachineArn;
  r.name = name;
  r.input = R"({"x":1})";
  r.start_date = start;
  r.revision_id = "rev-1";
  r.role_arn = "arn:aws:iam::123456789012:role/R";
  return r;
}

inline HistoryEvent SampleEvent(int64_t id, const std::string& type = "PassStateEntered") {
  HistoryEvent e;
  e.id = id;
  e.previous_event_id = id - 1;
  e.timestamp = 1000 + id;
  e.type = type;
  e.details = Json{{"name", "S" + std::to_string(id)}, {"input", "{}"}};
  return e;
}

inline EventAppend SampleEvents(const std::string& execution_arn, int64_t first, int64_t count) {
  EventAppend append;
  append.execution_arn = execution_arn;
  for (int64_t id = first; id < first + count; ++id) append.events.push_back(SampleEvent(id));
  return append;
}

inline StateMachineRecord SampleMachine(const std::string& name, EpochMillis created = 1000) {
  StateMachineRecord r;
  r.arn = "arn:aws:states:us-east-1:123456789012:stateMachine:" + name;
  r.name = name;
  r.definition = R"({"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}})";
  r.role_arn = "arn:aws:iam::123456789012:role/R";
  r.revision_id = "rev-1";
  r.creation_date = created;
  r.update_date = created;
  return r;
}

inline ExecutionUpdate Succeeded(const std::string& arn) {
  ExecutionUpdate u;
  u.arn = arn;
  u.status = "SUCCEEDED";
  u.output = "{}";
  u.stop_date = 9000;
  return u;
}

inline void CommitOk(Store& store, WriteBatch batch) {
  Status st = store.CommitAndWait(std::move(batch));
  INFO(st.ToString());
  REQUIRE(st.ok());
}

}  // namespace stepline::storage::testing
