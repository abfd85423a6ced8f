// Clock: where Stepline reads the time. Injected everywhere so tests can skip
// time and history timestamps stay consistent.
//
// Time is epoch milliseconds (UTC), the resolution AWS uses in timestamps.
// Thread-safety: implementations are safe to call from any thread.
#pragma once

#include <atomic>
#include <cstdint>

namespace stepline {

using EpochMillis = int64_t;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual EpochMillis NowMillis() const = 0;
};

// The system's real-time clock.
class SystemClock final : public Clock {
 public:
  EpochMillis NowMillis() const override;
  static SystemClock* Instance();
};

// A clock that only moves when told to. For tests.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(EpochMillis start = 1700000000000) : now_(start) {}
  EpochMillis NowMillis() const override { return now_.load(); }
  void Set(EpochMillis t) { now_.store(t); }
  void Advance(EpochMillis delta) { now_.fetch_add(delta); }

 private:
  std::atomic<EpochMillis> now_;
};

}  // namespace stepline
