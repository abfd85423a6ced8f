#include "engine/runtime/activity_queue.h"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

namespace stepline::runtime {

namespace net = boost::asio;

struct ActivityQueue::Poller {
  std::string activity_arn;
  std::string worker;
  Done done;
  std::unique_ptr<net::steady_timer> timer;
  bool expired = false;   // the long poll is over: answer empty when nothing is found
  bool finished = false;  // `done` has run
};

ActivityQueue::ActivityQueue(Strand strand, std::chrono::milliseconds poll_wait, Deliver deliver)
    : strand_(std::move(strand)), poll_wait_(poll_wait), deliver_(std::move(deliver)) {}

void ActivityQueue::Push(ActivityWork work) {
  auto& waiting = pollers_[work.activity_arn];
  if (waiting.empty()) {
    tasks_[work.activity_arn].push_back(std::move(work));
    return;
  }
  std::shared_ptr<Poller> poller = waiting.front();
  waiting.pop_front();
  Offer(poller, std::move(work));
}

void ActivityQueue::Poll(const std::string& activity_arn, const std::string& worker, Done done) {
  auto poller = std::make_shared<Poller>();
  poller->activity_arn = activity_arn;
  poller->worker = worker;
  poller->done = std::move(done);
  poller->timer = std::make_unique<net::steady_timer>(strand_, poll_wait_);
  poller->timer->async_wait([this, poller](const boost::system::error_code& ec) {
    if (!ec) Expire(poller);
  });
  Serve(poller);
}

// The oldest queued task, or wait (or, once expired, answer empty).
void ActivityQueue::Serve(const std::shared_ptr<Poller>& poller) {
  auto& queued = tasks_[poller->activity_arn];
  if (!queued.empty()) {
    ActivityWork work = std::move(queued.front());
    queued.pop_front();
    return Offer(poller, std::move(work));
  }
  if (!poller->expired) {
    pollers_[poller->activity_arn].push_back(poller);
    return;
  }
  poller->finished = true;
  poller->done(std::nullopt);
}

void ActivityQueue::Offer(const std::shared_ptr<Poller>& poller, ActivityWork work) {
  auto task = std::make_shared<ActivityTask>(ActivityTask{work.token, work.input});
  deliver_(work, poller->worker, [this, poller, task](bool taken) {
    net::post(strand_, [this, poller, task, taken] {
      if (!taken) return Serve(poller);
      poller->finished = true;
      poller->timer->cancel();
      poller->done(std::move(*task));
    });
  });
}

void ActivityQueue::Expire(const std::shared_ptr<Poller>& poller) {
  if (poller->finished) return;
  poller->expired = true;
  auto& waiting = pollers_[poller->activity_arn];
  for (auto it = waiting.begin(); it != waiting.end(); ++it) {
    if (*it != poller) continue;
    waiting.erase(it);
    poller->finished = true;
    poller->done(std::nullopt);
    return;
  }
  // Not waiting: an offer is in flight; Serve answers empty if it is refused.
}

}  // namespace stepline::runtime
