// ActivityQueue: activity tasks waiting for a worker and workers waiting for
// a task (GetActivityTask long polls), per activity ARN, oldest first.
//
// A queued task is only a hint: the execution owns the task. Handing one to
// a worker goes through `deliver`, which asks the execution to record
// ActivityStarted; a task the execution no longer waits for (timed out,
// stopped, closed) is refused and the worker gets the next one. A poll that
// finds nothing within `poll_wait` answers nullopt. Waiting holds no thread:
// a poll is a timer and a callback.
//
// Thread-safety: confined to `strand` — every member function must run on
// it; `deliver`'s answer may come on any thread (it is posted back).
#pragma once

#include <utility>  // before asio (Boost 1.74 + g++ 12)

#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "engine/runtime/engine.h"

namespace stepline::runtime {

// One activity task as queued by its execution.
struct ActivityWork {
  std::string activity_arn;
  std::string execution_arn;
  std::string token;
  std::string input;  // JSON text
};

class ActivityQueue {
 public:
  using Strand = boost::asio::strand<boost::asio::io_context::executor_type>;
  using Taken = std::function<void(bool taken)>;
  using Deliver =
      std::function<void(const ActivityWork& work, const std::string& worker, Taken taken)>;
  using Done = std::function<void(std::optional<ActivityTask>)>;

  ActivityQueue(Strand strand, std::chrono::milliseconds poll_wait, Deliver deliver);

  void Push(ActivityWork work);
  void Poll(const std::string& activity_arn, const std::string& worker, Done done);

 private:
  struct Poller;
  void Serve(const std::shared_ptr<Poller>& poller);
  void Offer(const std::shared_ptr<Poller>& poller, ActivityWork work);
  void Expire(const std::shared_ptr<Poller>& poller);

  Strand strand_;
  std::chrono::milliseconds poll_wait_;
  Deliver deliver_;
  std::unordered_map<std::string, std::deque<ActivityWork>> tasks_;
  std::unordered_map<std::string, std::deque<std::shared_ptr<Poller>>> pollers_;
};

}  // namespace stepline::runtime
