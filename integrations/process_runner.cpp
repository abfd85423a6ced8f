#include "integrations/process_runner.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

extern char** environ;

namespace stepline::integrations {
namespace {

using Clock = std::chrono::steady_clock;

struct Pipes {
  int in[2] = {-1, -1};
  int out[2] = {-1, -1};
  int err[2] = {-1, -1};
  ~Pipes() {
    for (int* p : {in, out, err}) {
      for (int i = 0; i < 2; ++i) {
        if (p[i] >= 0) ::close(p[i]);
      }
    }
  }
  bool Open() {
    return ::pipe2(in, O_CLOEXEC) == 0 && ::pipe2(out, O_CLOEXEC) == 0 &&
           ::pipe2(err, O_CLOEXEC) == 0;
  }
};

void CloseFd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

std::vector<std::string> BuildEnv(const std::map<std::string, std::string>& extra) {
  std::vector<std::string> env;
  for (char** e = environ; e && *e; ++e) {
    std::string entry(*e);
    std::string key = entry.substr(0, entry.find('='));
    if (!extra.count(key)) env.push_back(entry);
  }
  for (const auto& [k, v] : extra) env.push_back(k + "=" + v);
  return env;
}

std::vector<char*> CStrings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// Spawns `spec` with the pipes as stdin/stdout/stderr; returns the pid or -errno.
pid_t Spawn(const ProcessSpec& spec, Pipes& pipes) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipes.in[0], 0);
  posix_spawn_file_actions_adddup2(&actions, pipes.out[1], 1);
  posix_spawn_file_actions_adddup2(&actions, pipes.err[1], 2);
  // Nothing else reaches the handler: Asio opens sockets without
  // FD_CLOEXEC, and a handler outliving a killed server would hold its
  // listening port (the restart then fails: address already in use) and
  // its database files.
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);
  if (!spec.cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions, spec.cwd.c_str());
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attr, &none);
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawnattr_setflags(&attr,
                           POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  std::vector<std::string> argv_s = spec.argv;
  std::vector<std::string> env_s = BuildEnv(spec.env);
  auto argv = CStrings(argv_s);
  auto envp = CStrings(env_s);
  pid_t pid = -1;
  int rc = posix_spawnp(&pid, argv[0], &actions, &attr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  return rc == 0 ? pid : -rc;
}

// Feeds stdin and drains stdout/stderr until both close or the deadline passes.
// Returns false on timeout.
bool Pump(int& in_fd, int& out_fd, int& err_fd, const std::string& input, ProcessResult& r,
          Clock::time_point deadline, size_t max_output) {
  size_t written = 0;
  if (input.empty()) CloseFd(in_fd);
  char buf[65536];
  while (out_fd >= 0 || err_fd >= 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return false;
    pollfd fds[3] = {{in_fd, POLLOUT, 0}, {out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
    int n = ::poll(fds, 3, static_cast<int>(std::min<int64_t>(left.count(), 1000)));
    if (n < 0 && errno != EINTR) return true;
    if (n <= 0) continue;
    if (in_fd >= 0 && (fds[0].revents & (POLLOUT | POLLERR | POLLHUP))) {
      ssize_t w = ::write(in_fd, input.data() + written, input.size() - written);
      if (w > 0) written += static_cast<size_t>(w);
      if (w < 0 && errno != EAGAIN && errno != EINTR) written = input.size();
      if (written >= input.size()) CloseFd(in_fd);
    }
    for (int i = 1; i < 3; ++i) {
      int& fd = i == 1 ? out_fd : err_fd;
      if (fd < 0 || !(fds[i].revents & (POLLIN | POLLERR | POLLHUP))) continue;
      ssize_t got = ::read(fd, buf, sizeof buf);
      if (got > 0) {
        std::string& sink = i == 1 ? r.out : r.err;
        sink.append(buf, static_cast<size_t>(got));
        if (i == 2 && r.err.size() > 65536) r.err.erase(0, r.err.size() - 65536);
        if (r.out.size() > max_output) {
          r.output_too_large = true;
          return false;
        }
      } else if (got == 0 || (errno != EAGAIN && errno != EINTR)) {
        CloseFd(fd);
      }
    }
  }
  return true;
}

void Reap(pid_t pid, ProcessResult& r) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
}

}  // namespace

ProcessRunner::ProcessRunner(int threads) {
  for (int i = 0; i < std::max(1, threads); ++i) workers_.emplace_back([this] { Worker(); });
}

ProcessRunner::~ProcessRunner() {
  std::deque<Job> abandoned;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    abandoned.swap(queue_);
    for (int pgid : running_) ::kill(-pgid, SIGKILL);
  }
  cv_.notify_all();
  for (auto& t : workers_) t.join();
  for (auto& job : abandoned) {
    ProcessResult r;
    r.error = "the process runner is shutting down";
    job.done(std::move(r));
  }
}

void ProcessRunner::Run(ProcessSpec spec, std::function<void(ProcessResult)> done) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!stopping_) {
      queue_.push_back({std::move(spec), std::move(done)});
      cv_.notify_one();
      return;
    }
  }
  ProcessResult r;
  r.error = "the process runner is shutting down";
  done(std::move(r));
}

void ProcessRunner::Worker() {
  sigset_t block;
  sigemptyset(&block);
  sigaddset(&block, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &block, nullptr);
  for (;;) {
    Job job;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    job.done(Execute(job.spec));
  }
}

ProcessResult ProcessRunner::Execute(const ProcessSpec& spec) {
  ProcessResult r;
  if (spec.argv.empty()) {
    r.error = "empty command";
    return r;
  }
  Pipes pipes;
  if (!pipes.Open()) {
    r.error = std::string("pipe: ") + std::strerror(errno);
    return r;
  }
  auto deadline = Clock::now() + spec.timeout;
  pid_t pid = Spawn(spec, pipes);
  if (pid < 0) {
    r.error = "cannot run " + spec.argv[0] + ": " + std::strerror(-pid);
    return r;
  }
  r.started = true;
  {
    std::lock_guard<std::mutex> lock(mu_);
    running_.push_back(pid);
  }
  CloseFd(pipes.in[0]);
  CloseFd(pipes.out[1]);
  CloseFd(pipes.err[1]);
  ::fcntl(pipes.in[1], F_SETFL, O_NONBLOCK);
  bool finished =
      Pump(pipes.in[1], pipes.out[0], pipes.err[0], spec.stdin_text, r, deadline, spec.max_output);
  if (!finished) {
    ::kill(-pid, SIGKILL);
    r.timed_out = !r.output_too_large;
  }
  Reap(pid, r);
  std::lock_guard<std::mutex> lock(mu_);
  running_.erase(std::remove(running_.begin(), running_.end(), pid), running_.end());
  return r;
}

}  // namespace stepline::integrations
