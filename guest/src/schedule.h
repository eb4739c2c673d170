// Drift-free timers on absolute deadlines. Time is plain milliseconds on a
// monotonic clock relative to some phase start, so the logic is testable
// without a clock: callers pass "now".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "scxfarm/protocol/scenario.h"

namespace scxfarm::agent {

// Deadlines first_ms, first_ms + period_ms, ... up to and including end_ms.
// A deadline is never moved by lateness, so there is no drift; when several
// deadlines have passed by the time the caller looks, the timer fires once
// and skips the rest (no catch-up bursts).
class PeriodicTimer {
 public:
  PeriodicTimer(uint64_t period_ms, uint64_t first_ms, uint64_t end_ms);

  // The next deadline; nullopt once past end_ms.
  std::optional<uint64_t> next_deadline() const;
  // If the next deadline is <= NOW: consumes it and every other deadline
  // <= NOW, and returns the deadline it fired for.
  std::optional<uint64_t> fire(uint64_t now_ms);

  uint64_t fired() const { return fired_; }
  uint64_t skipped() const { return skipped_; }  // deadlines folded into a late firing
  uint64_t max_late_ms() const { return max_late_ms_; }

 private:
  uint64_t period_ms_, end_ms_, next_;
  uint64_t fired_ = 0, skipped_ = 0, max_late_ms_ = 0;
};

// One churn operation that is due.
struct DueChurnOp {
  size_t churn_index = 0;  // into plan.churn
  std::string kind;
  std::vector<std::string> targets;
  uint64_t deadline_ms = 0;
  uint64_t late_ms = 0;  // now - deadline
};

// Every churn driver of a plan. Driver i fires at period_i, 2*period_i, ...
// up to duration_ms after the start of the churn phase: floor(duration /
// period) operations when never late.
class ChurnScheduler {
 public:
  explicit ChurnScheduler(const protocol::ScenarioPlan& plan);

  // Operations due at NOW (ms since churn start), in plan order.
  std::vector<DueChurnOp> due(uint64_t now_ms);
  std::optional<uint64_t> next_deadline() const;

  uint64_t fired() const;
  uint64_t skipped() const;
  uint64_t max_late_ms() const;

 private:
  std::vector<protocol::ChurnSpec> specs_;
  std::vector<PeriodicTimer> timers_;
};

}  // namespace scxfarm::agent
