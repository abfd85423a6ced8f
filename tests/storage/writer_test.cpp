// The single writer: group commit, per-batch failure isolation, event id
// validation, callbacks and Close.
#include <catch2/catch.hpp>

#include <atomic>
#include <condition_variable>
#include <future>
#include <mutex>

#include "tests/storage/store_test_util.h"

namespace stepline::storage {
namespace {

using testing::CommitOk;
using testing::OpenOrDie;

// Collects callback statuses and lets a test wait for all of them.
class Collector {
 public:
  explicit Collector(size_t expected) : statuses_(expected) {}
  Store::Callback Slot(size_t index) {
    return [this, index](Status st) {
      std::lock_guard<std::mutex> lock(mu_);
      statuses_[index] = std::move(st);
      order_.push_back(index);
      cv_.notify_all();
    };
  }
  void Wait() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return order_.size() == statuses_.size(); });
  }
  const Status& at(size_t i) const { return statuses_[i]; }
  const std::vector<size_t>& order() const { return order_; }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Status> statuses_;
  std::vector<size_t> order_;
};

WriteBatch InsertBatch(const std::string& name) {
  WriteBatch batch;
  auto e = testing::SampleExecution(name);
  batch.insert_executions.push_back(e);
  batch.append_events.push_back(testing::SampleEvents(e.arn, 1, 2));
  return batch;
}

TEST_CASE("a failing batch in a group is rolled back alone", "[storage]") {
  testing::TempDir dir;
  // A long delay makes the writer gather all batches into one transaction.
  auto store = OpenOrDie(dir.File("s.db"), 200000);
  Collector done(5);
  store->Commit(InsertBatch("a"), done.Slot(0));
  store->Commit(InsertBatch("b"), done.Slot(1));
  WriteBatch bad = InsertBatch("c");
  bad.append_events.push_back(testing::SampleEvents(testing::ExecutionArn("a"), 5, 1));  // gap
  store->Commit(std::move(bad), done.Slot(2));
  store->Commit(InsertBatch("a"), done.Slot(3));  // duplicate of the first
  store->Commit(InsertBatch("d"), done.Slot(4));
  done.Wait();

  CHECK(done.at(0).ok());
  CHECK(done.at(1).ok());
  CHECK(done.at(2).code() == ErrorCode::kInternal);
  CHECK(done.at(3).code() == ErrorCode::kExecutionAlreadyExists);
  CHECK(done.at(4).ok());
  CHECK(done.order() == std::vector<size_t>{0, 1, 2, 3, 4});  // submission order

  CHECK(store->GetExecution(testing::ExecutionArn("a"))->has_value());
  CHECK(store->GetExecution(testing::ExecutionArn("b"))->has_value());
  CHECK_FALSE(store->GetExecution(testing::ExecutionArn("c"))->has_value());
  CHECK(store->GetExecution(testing::ExecutionArn("d"))->has_value());
  CHECK(store->LoadEvents(testing::ExecutionArn("a"))->size() == 2);
}

TEST_CASE("inserting an execution twice is ExecutionAlreadyExists", "[storage]") {
  auto store = OpenOrDie(":memory:");
  CommitOk(*store, InsertBatch("dup"));
  Status st = store->CommitAndWait(InsertBatch("dup"));
  CHECK(st.code() == ErrorCode::kExecutionAlreadyExists);
  CHECK(st.message().find(testing::ExecutionArn("dup")) != std::string::npos);
  // The failed batch's events were not appended either.
  CHECK(store->LoadEvents(testing::ExecutionArn("dup"))->size() == 2);
}

TEST_CASE("appended event ids must continue the stored sequence", "[storage]") {
  auto store = OpenOrDie(":memory:");
  std::string arn = testing::ExecutionArn("seq");
  CommitOk(*store, InsertBatch("seq"));  // events 1..2

  auto append = [&](int64_t first, int64_t count) {
    WriteBatch batch;
    batch.append_events.push_back(testing::SampleEvents(arn, first, count));
    return store->CommitAndWait(std::move(batch));
  };
  CHECK(append(4, 1).code() == ErrorCode::kInternal);  // gap
  CHECK(append(2, 1).code() == ErrorCode::kInternal);  // repeat
  CHECK(append(1, 3).code() == ErrorCode::kInternal);  // restart
  CHECK(append(3, 3).ok());
  WriteBatch unordered;
  EventAppend events = testing::SampleEvents(arn, 6, 3);
  std::swap(events.events[1], events.events[2]);
  unordered.append_events.push_back(events);
  CHECK(store->CommitAndWait(std::move(unordered)).code() == ErrorCode::kInternal);
  CHECK(store->LoadEvents(arn)->size() == 5);

  WriteBatch unknown;
  unknown.append_events.push_back(testing::SampleEvents(testing::ExecutionArn("nope"), 1, 1));
  CHECK(store->CommitAndWait(std::move(unknown)).code() == ErrorCode::kExecutionDoesNotExist);
}

TEST_CASE("two appends to one execution in one batch continue each other", "[storage]") {
  auto store = OpenOrDie(":memory:");
  std::string arn = testing::ExecutionArn("twice");
  WriteBatch batch = InsertBatch("twice");
  batch.append_events.push_back(testing::SampleEvents(arn, 3, 2));
  CommitOk(*store, std::move(batch));
  CHECK(store->LoadEvents(arn)->size() == 4);
}

TEST_CASE("reads see a batch once its callback has run", "[storage]") {
  testing::TempDir dir;
  auto store = OpenOrDie(dir.File("s.db"));
  Store* raw = store.get();
  std::atomic<bool> seen{false};
  std::promise<void> finished;
  store->Commit(InsertBatch("rw"), [&](Status st) {
    REQUIRE(st.ok());
    seen = raw->GetExecution(testing::ExecutionArn("rw"))->has_value();
    finished.set_value();
  });
  finished.get_future().wait();
  CHECK(seen);
}

TEST_CASE("CommitAndWait from a callback is refused instead of deadlocking", "[storage]") {
  auto store = OpenOrDie(":memory:");
  Store* raw = store.get();
  std::promise<Status> inner;
  store->Commit(WriteBatch(), [&](Status) { inner.set_value(raw->CommitAndWait(WriteBatch())); });
  CHECK(inner.get_future().get().code() == ErrorCode::kInternal);
}

TEST_CASE("Close drains queued batches, then commits fail with Unavailable", "[storage]") {
  testing::TempDir dir;
  auto store = OpenOrDie(dir.File("s.db"), 50000);
  Collector done(50);
  for (size_t i = 0; i < 50; ++i) store->Commit(InsertBatch("c" + std::to_string(i)), done.Slot(i));
  store->Close();
  done.Wait();
  for (size_t i = 0; i < 50; ++i) CHECK(done.at(i).ok());
  CHECK(store->CommitAndWait(InsertBatch("late")).code() == ErrorCode::kUnavailable);
  Status late;
  store->Commit(InsertBatch("late2"), [&](Status st) { late = st; });
  CHECK(late.code() == ErrorCode::kUnavailable);
  // Reads keep working after Close.
  ExecutionQuery query;
  query.state_machine_arn = testing::kMachineArn;
  query.page.max_results = 1000;
  CHECK(store->ListExecutions(query)->items.size() == 50);
  store->Close();  // idempotent
}

TEST_CASE("a full disk fails the batches it affects and the store carries on", "[storage]") {
  testing::TempDir dir;
  StoreOptions options;
  options.path = dir.File("full.db");
  options.max_batch_delay_us = 200000;
  options.max_page_count = 80;  // about 320 KiB
  auto opened = OpenSqliteStore(options);
  REQUIRE(opened.ok());
  auto store = std::move(opened).value();
  WriteBatch huge = InsertBatch("huge");
  huge.insert_executions[0].input = "\"" + std::string(1 << 20, 'x') + "\"";
  Collector done(3);
  store->Commit(InsertBatch("before"), done.Slot(0));
  store->Commit(std::move(huge), done.Slot(1));
  store->Commit(InsertBatch("after"), done.Slot(2));
  done.Wait();
  INFO(done.at(1).ToString());
  CHECK(done.at(1).code() == ErrorCode::kStorage);
  CHECK(done.at(1).message().find("full") != std::string::npos);
  // The batches around it were retried without it.
  CHECK(done.at(0).ok());
  CHECK(done.at(2).ok());
  CHECK(store->GetExecution(testing::ExecutionArn("before"))->has_value());
  CHECK(store->GetExecution(testing::ExecutionArn("after"))->has_value());
  CHECK_FALSE(store->GetExecution(testing::ExecutionArn("huge"))->has_value());
  // Small writes still fit afterwards.
  CommitOk(*store, InsertBatch("later"));
}

TEST_CASE("ListRunningExecutions and CountOpenExecutions see only RUNNING", "[storage]") {
  auto store = OpenOrDie(":memory:");
  WriteBatch batch;
  for (int i = 0; i < 4; ++i) {
    batch.insert_executions.push_back(testing::SampleExecution("r" + std::to_string(i)));
  }
  auto other = testing::SampleExecution("other");
  other.state_machine_arn += "2";
  batch.insert_executions.push_back(other);
  CommitOk(*store, std::move(batch));
  WriteBatch close;
  close.update_executions.push_back(testing::Succeeded(testing::ExecutionArn("r1")));
  CommitOk(*store, std::move(close));
  auto running = store->ListRunningExecutions();
  REQUIRE(running.ok());
  CHECK(running->size() == 4);
  CHECK(*store->CountOpenExecutions(testing::kMachineArn) == 3);
  CHECK(*store->CountOpenExecutions(other.state_machine_arn) == 1);
}

}  // namespace
}  // namespace stepline::storage
