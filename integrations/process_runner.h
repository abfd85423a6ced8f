// ProcessRunner: runs local commands (argv, stdin text) on a small pool of
// worker threads and reports their exit status and output through a callback.
//
// Each run is spawned with posix_spawn in its own process group, fed its stdin,
// and drained of stdout/stderr with poll(); when its deadline passes the whole
// group is killed with SIGKILL and the result says `timed_out`.
//
// Thread-safety: Run may be called from any thread; callbacks run on a worker
// thread. The destructor kills running processes, finishes queued runs as
// "shutting down" failures, and joins the workers.
// Invariant: at most `threads` processes run at once; each callback runs once.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace stepline::integrations {

struct ProcessSpec {
  std::vector<std::string> argv;           // argv[0] is looked up in PATH
  std::map<std::string, std::string> env;  // added to (or overriding) the server's environment
  std::string cwd;                         // empty: inherit
  std::string stdin_text;
  std::chrono::milliseconds timeout{std::chrono::minutes(5)};
  size_t max_output = 64 << 20;  // stdout beyond this is an error
};

struct ProcessResult {
  bool started = false;  // false: spawn failed, `error` says why
  bool timed_out = false;
  bool output_too_large = false;
  int exit_code = -1;  // -1 when killed by a signal
  int signal = 0;
  std::string out;
  std::string err;
  std::string error;
};

class ProcessRunner {
 public:
  explicit ProcessRunner(int threads = 8);
  ~ProcessRunner();
  ProcessRunner(const ProcessRunner&) = delete;
  ProcessRunner& operator=(const ProcessRunner&) = delete;

  void Run(ProcessSpec spec, std::function<void(ProcessResult)> done);

 private:
  struct Job {
    ProcessSpec spec;
    std::function<void(ProcessResult)> done;
  };
  void Worker();
  ProcessResult Execute(const ProcessSpec& spec);

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job> queue_;
  std::vector<int> running_;  // process group ids, killed at shutdown
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace stepline::integrations
