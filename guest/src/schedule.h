// Drift-free timers on absolute deadlines. Time is plain milliseconds on a
// monotonic clock relative to some phase start, so the logic is testable
// without a clock: callers pass "now".
#pragma once

#include <cstdint>
#include <map>
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

// One planned churn operation: when, and every random choice already made.
struct PlannedChurnOp {
  size_t churn_index = 0;  // into plan.churn
  protocol::ChurnKind kind = protocol::ChurnKind::kWeightSwap;
  std::vector<std::string> targets;  // acted on (weight-swap/migrate: both)
  uint64_t deadline_ms = 0;          // since the churn phase started
  uint32_t weight = 0;               // weight-random: the new cpu.weight
  int cpu = -1;                      // hotplug: the cpu
  bool online = false;               // hotplug: true = bring it back
  uint64_t pick = 0;                 // migrate: which process (pick % count)
  bool forward = true;               // migrate: targets[0] -> targets[1]
  bool operator==(const PlannedChurnOp&) const = default;
};

// The whole churn schedule of PLAN: every driver's deadlines (period_ms
// grid or at_ms script, up to duration_ms - settle_ms) with their random
// choices drawn from one std::mt19937_64 seeded with plan.seed, drivers in
// plan order, each driver's ops in time order. A pure function: the same
// plan (and seed) gives the same schedule.
std::vector<PlannedChurnOp> churn_schedule(const protocol::ScenarioPlan& plan);

// One churn operation that is due.
struct DueChurnOp : PlannedChurnOp {
  uint64_t late_ms = 0;  // now - deadline
};

// Plays churn_schedule(plan) against a clock. When a driver falls behind,
// kinds whose ops only matter for their latest effect (weight-swap,
// weight-random, migrate) fire the oldest due op and skip the rest (no
// catch-up bursts); detach-attach, subtree-kill and hotplug ops are never
// skipped (an offline cpu must come back online).
class ChurnScheduler {
 public:
  explicit ChurnScheduler(const protocol::ScenarioPlan& plan);

  // Operations due at NOW (ms since churn start), in plan order.
  std::vector<DueChurnOp> due(uint64_t now_ms);
  std::optional<uint64_t> next_deadline() const;

  uint64_t fired() const { return fired_; }
  uint64_t skipped() const { return skipped_; }
  uint64_t max_late_ms() const { return max_late_ms_; }
  // Every scheduled op has fired or been folded.
  bool finished() const;
  // Per kind: ops in the schedule, and ops folded so far.
  const std::map<protocol::ChurnKind, uint64_t>& scheduled_by_kind() const {
    return scheduled_by_kind_;
  }
  const std::map<protocol::ChurnKind, uint64_t>& folded_by_kind() const { return folded_by_kind_; }

 private:
  std::map<protocol::ChurnKind, uint64_t> scheduled_by_kind_, folded_by_kind_;
  std::vector<std::vector<PlannedChurnOp>> per_driver_;
  std::vector<size_t> next_;
  uint64_t fired_ = 0, skipped_ = 0, max_late_ms_ = 0;
};

}  // namespace scxfarm::agent
