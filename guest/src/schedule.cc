#include "schedule.h"

#include <algorithm>
#include <cstdlib>

namespace scxfarm::agent {

PeriodicTimer::PeriodicTimer(uint64_t period_ms, uint64_t first_ms, uint64_t end_ms)
    : period_ms_(period_ms), end_ms_(end_ms), next_(first_ms) {
  if (period_ms_ == 0) std::abort();  // validate_plan rejects zero periods
}

std::optional<uint64_t> PeriodicTimer::next_deadline() const {
  if (next_ > end_ms_) return std::nullopt;
  return next_;
}

std::optional<uint64_t> PeriodicTimer::fire(uint64_t now_ms) {
  if (next_ > end_ms_ || next_ > now_ms) return std::nullopt;
  const uint64_t deadline = next_;
  // The first deadline strictly after NOW, keeping the phase of the grid.
  const uint64_t passed = (now_ms - deadline) / period_ms_;  // deadlines also <= now
  next_ = deadline + (passed + 1) * period_ms_;
  ++fired_;
  // Folded deadlines that would have fallen within the timer's range.
  const uint64_t last_in_range = std::min(now_ms, end_ms_);
  if (last_in_range > deadline) skipped_ += (last_in_range - deadline) / period_ms_;
  max_late_ms_ = std::max(max_late_ms_, now_ms - deadline);
  return deadline;
}

ChurnScheduler::ChurnScheduler(const protocol::ScenarioPlan& plan) : specs_(plan.churn) {
  for (const auto& spec : specs_)
    timers_.emplace_back(spec.period_ms, spec.period_ms, plan.duration_ms);
}

std::vector<DueChurnOp> ChurnScheduler::due(uint64_t now_ms) {
  std::vector<DueChurnOp> ops;
  for (size_t i = 0; i < timers_.size(); ++i) {
    if (auto deadline = timers_[i].fire(now_ms)) {
      ops.push_back({i, specs_[i].kind, specs_[i].targets, *deadline, now_ms - *deadline});
    }
  }
  return ops;
}

std::optional<uint64_t> ChurnScheduler::next_deadline() const {
  std::optional<uint64_t> next;
  for (const auto& t : timers_) {
    if (auto d = t.next_deadline(); d && (!next || *d < *next)) next = d;
  }
  return next;
}

uint64_t ChurnScheduler::fired() const {
  uint64_t n = 0;
  for (const auto& t : timers_) n += t.fired();
  return n;
}
uint64_t ChurnScheduler::skipped() const {
  uint64_t n = 0;
  for (const auto& t : timers_) n += t.skipped();
  return n;
}
uint64_t ChurnScheduler::max_late_ms() const {
  uint64_t n = 0;
  for (const auto& t : timers_) n = std::max(n, t.max_late_ms());
  return n;
}

}  // namespace scxfarm::agent
