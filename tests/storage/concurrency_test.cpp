// Many threads committing and reading at once; plus a hidden throughput
// check ("[.bench]", run with `storage_tests "[.bench]"`).
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <mutex>
#include <thread>

#include <sys/resource.h>

#include "tests/storage/store_test_util.h"

namespace stepline::storage {
namespace {

using testing::OpenOrDie;

// User + system CPU time of the whole process.
double CpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& tv) { return tv.tv_sec + tv.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// Counts outstanding callbacks so a thread can wait for its own commits.
class Pending {
 public:
  Store::Callback Add(std::atomic<int>* failures) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++count_;
    }
    return [this, failures](Status st) {
      if (!st.ok()) failures->fetch_add(1);
      std::lock_guard<std::mutex> lock(mu_);
      if (--count_ == 0) cv_.notify_all();
    };
  }
  void Wait() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return count_ == 0; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int count_ = 0;
};

// One execution's life: start (insert + 3 events), then 5 more events and close.
void RunExecution(Store& store, const std::string& name, Pending* pending,
                  std::atomic<int>* failures) {
  std::string arn = testing::ExecutionArn(name);
  WriteBatch start;
  start.insert_executions.push_back(testing::SampleExecution(name));
  start.append_events.push_back(testing::SampleEvents(arn, 1, 3));
  store.Commit(std::move(start), pending->Add(failures));
  WriteBatch finish;
  finish.append_events.push_back(testing::SampleEvents(arn, 4, 5));
  finish.update_executions.push_back(testing::Succeeded(arn));
  store.Commit(std::move(finish), pending->Add(failures));
}

void Hammer(Store& store, int writers, int per_writer, int readers) {
  std::atomic<int> failures{0};
  std::atomic<bool> writing{true};
  std::atomic<int> read_errors{0};
  std::vector<std::thread> threads;
  for (int r = 0; r < readers; ++r) {
    threads.emplace_back([&] {
      ExecutionQuery query;
      query.state_machine_arn = testing::kMachineArn;
      query.page.max_results = 50;
      while (writing) {
        auto page = store.ListExecutions(query);
        if (!page.ok()) read_errors++;
        for (auto& e : page.ok() ? page->items : std::vector<ExecutionRecord>()) {
          auto events = store.LoadEvents(e.arn);
          // Events are committed with (or after) the execution row.
          if (!events.ok() || events->size() < 3) read_errors++;
        }
      }
    });
  }
  std::vector<std::thread> writer_threads;
  for (int w = 0; w < writers; ++w) {
    writer_threads.emplace_back([&, w] {
      Pending pending;
      for (int i = 0; i < per_writer; ++i) {
        RunExecution(store, "w" + std::to_string(w) + "-" + std::to_string(i), &pending, &failures);
      }
      pending.Wait();
    });
  }
  for (auto& t : writer_threads) t.join();
  writing = false;
  for (auto& t : threads) t.join();
  CHECK(failures == 0);
  CHECK(read_errors == 0);

  ExecutionQuery all;
  all.state_machine_arn = testing::kMachineArn;
  all.page.max_results = 1000;
  size_t total = 0;
  while (true) {
    auto page = store.ListExecutions(all);
    REQUIRE(page.ok());
    for (auto& e : page->items) {
      CHECK(e.status == "SUCCEEDED");
      CHECK(store.LoadEvents(e.arn)->size() == 8);
    }
    total += page->items.size();
    if (page->next_token.empty()) break;
    all.page.next_token = page->next_token;
  }
  CHECK(total == static_cast<size_t>(writers * per_writer));
  CHECK(store.ListRunningExecutions()->empty());
}

TEST_CASE("many threads commit and read a file store at once", "[storage]") {
  testing::TempDir dir;
  auto store = OpenOrDie(dir.File("c.db"));
  Hammer(*store, 4, 300, 3);
}

TEST_CASE("many threads commit and read an in-memory store at once", "[storage]") {
  auto store = OpenOrDie(":memory:");
  Hammer(*store, 4, 200, 3);
}

TEST_CASE("store throughput", "[.bench]") {
  testing::TempDir dir;
  auto store = OpenOrDie(dir.File("bench.db"));
  const int writers = 4;
  const int per_writer = 25000;
  auto begin = std::chrono::steady_clock::now();
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < writers; ++w) {
    threads.emplace_back([&, w] {
      Pending pending;
      for (int i = 0; i < per_writer; ++i) {
        RunExecution(*store, "b" + std::to_string(w) + "-" + std::to_string(i), &pending,
                     &failures);
      }
      pending.Wait();
    });
  }
  for (auto& t : threads) t.join();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  int executions = writers * per_writer;
  std::printf("%d executions, %d events in %.2fs: %.0f executions/s, %.0f events/s\n", executions,
              executions * 8, seconds, executions / seconds, executions * 8 / seconds);
  CHECK(failures == 0);
}

TEST_CASE("writer throughput on prepared batches", "[.bench]") {
  testing::TempDir dir;
  auto store = OpenOrDie(dir.File("bench.db"));
  const char* n = std::getenv("STEPLINE_BENCH_EXECUTIONS");
  const int executions = n != nullptr ? std::atoi(n) : 100000;
  std::vector<WriteBatch> batches;
  batches.reserve(executions * 2);
  for (int i = 0; i < executions; ++i) {
    std::string name = "p" + std::to_string(i);
    std::string arn = testing::ExecutionArn(name);
    WriteBatch start;
    start.insert_executions.push_back(testing::SampleExecution(name));
    start.append_events.push_back(testing::SampleEvents(arn, 1, 3));
    batches.push_back(std::move(start));
    WriteBatch finish;
    finish.append_events.push_back(testing::SampleEvents(arn, 4, 5));
    finish.update_executions.push_back(testing::Succeeded(arn));
    batches.push_back(std::move(finish));
  }
  std::atomic<int> failures{0};
  Pending pending;
  auto begin = std::chrono::steady_clock::now();
  double cpu_begin = CpuSeconds();
  std::atomic<double> writer_cpu{0};  // the writer thread's CPU time, read in its callbacks
  for (auto& batch : batches) {
    store->Commit(std::move(batch), [&, done = pending.Add(&failures)](Status st) {
      timespec ts{};
      clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
      writer_cpu = ts.tv_sec + ts.tv_nsec / 1e9;
      done(std::move(st));
    });
  }
  pending.Wait();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  double cpu = CpuSeconds() - cpu_begin;
  std::printf(
      "prepared: %d executions, %d events in %.2fs (%.2f CPU s): %.0f executions/s, "
      "%.0f events/s; per CPU second: %.0f executions, %.0f events; writer thread %.2f CPU s: "
      "%.0f executions/s\n",
      executions, executions * 8, seconds, cpu, executions / seconds, executions * 8 / seconds,
      executions / cpu, executions * 8 / cpu, writer_cpu.load(), executions / writer_cpu.load());
  CHECK(failures == 0);
}

}  // namespace
}  // namespace stepline::storage
