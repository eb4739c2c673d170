#include "schedule.h"

#include <algorithm>
#include <cstdlib>
#include <random>

namespace scxfarm::agent {

PeriodicTimer::PeriodicTimer(uint64_t period_ms, uint64_t first_ms, uint64_t end_ms)
    : period_ms_(period_ms), end_ms_(end_ms), next_(first_ms) {
  if (period_ms_ == 0) std::abort();  // check_plan rejects zero periods
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

namespace {

std::vector<uint64_t> deadlines(const protocol::ChurnSpec& spec, uint64_t end_ms) {
  std::vector<uint64_t> out;
  if (!spec.at_ms.empty()) {
    for (uint32_t t : spec.at_ms)
      if (t <= end_ms) out.push_back(t);
    std::sort(out.begin(), out.end());
    return out;
  }
  if (spec.period_ms == 0) std::abort();  // check_plan rejects zero periods
  for (uint64_t t = spec.period_ms; t <= end_ms; t += spec.period_ms) out.push_back(t);
  return out;
}

// Kinds whose ops only matter for their latest effect.
bool foldable(protocol::ChurnKind kind) {
  using protocol::ChurnKind;
  switch (kind) {
    case ChurnKind::kWeightSwap:
    case ChurnKind::kWeightRandom:
    case ChurnKind::kMigrate:
      return true;
    case ChurnKind::kDetachAttach:
    case ChurnKind::kSubtreeKill:
    case ChurnKind::kHotplug:
      return false;
  }
  return false;
}

}  // namespace

std::vector<PlannedChurnOp> churn_schedule(const protocol::ScenarioPlan& plan) {
  using protocol::ChurnKind;
  std::mt19937_64 rng(plan.seed);
  const uint64_t end = plan.duration_ms > plan.settle_ms ? plan.duration_ms - plan.settle_ms : 0;
  auto uniform = [&](uint64_t n) { return n == 0 ? 0 : static_cast<size_t>(rng() % n); };
  std::vector<PlannedChurnOp> out;
  for (size_t i = 0; i < plan.churn.size(); ++i) {
    const auto& spec = plan.churn[i];
    std::vector<std::string> alive = spec.targets;  // subtree-kill: not yet killed
    int offline_cpu = -1;                           // hotplug: waiting to come back
    for (uint64_t t : deadlines(spec, end)) {
      PlannedChurnOp op;
      op.churn_index = i;
      op.kind = spec.kind;
      op.deadline_ms = t;
      bool exhausted = false;
      switch (spec.kind) {
        case ChurnKind::kWeightSwap:
          op.targets = spec.targets;
          break;
        case ChurnKind::kWeightRandom:
          op.targets = {spec.targets[uniform(spec.targets.size())]};
          op.weight =
              spec.min_weight +
              static_cast<uint32_t>(uniform(uint64_t{spec.max_weight} - spec.min_weight + 1));
          break;
        case ChurnKind::kDetachAttach:
          op.targets = {spec.targets[uniform(spec.targets.size())]};
          break;
        case ChurnKind::kSubtreeKill: {
          exhausted = alive.empty();  // every target is gone
          if (exhausted) break;
          const size_t k = uniform(alive.size());
          op.targets = {alive[k]};
          alive.erase(alive.begin() + static_cast<long>(k));
          break;
        }
        case ChurnKind::kHotplug:
          if (offline_cpu >= 0) {
            op.cpu = offline_cpu;
            op.online = true;
            offline_cpu = -1;
          } else {
            op.cpu = static_cast<int>(spec.cpus[uniform(spec.cpus.size())]);
            offline_cpu = op.cpu;
          }
          break;
        case ChurnKind::kMigrate:
          op.targets = spec.targets;
          op.pick = rng();
          op.forward = (rng() & 1) != 0;
          break;
      }
      if (exhausted) break;
      out.push_back(std::move(op));
    }
  }
  return out;
}

ChurnScheduler::ChurnScheduler(const protocol::ScenarioPlan& plan)
    : per_driver_(plan.churn.size()), next_(plan.churn.size(), 0) {
  for (auto& op : churn_schedule(plan)) {
    ++scheduled_by_kind_[op.kind];
    per_driver_[op.churn_index].push_back(std::move(op));
  }
}

bool ChurnScheduler::finished() const {
  for (size_t i = 0; i < per_driver_.size(); ++i)
    if (next_[i] < per_driver_[i].size()) return false;
  return true;
}

std::vector<DueChurnOp> ChurnScheduler::due(uint64_t now_ms) {
  std::vector<DueChurnOp> ops;
  for (size_t i = 0; i < per_driver_.size(); ++i) {
    auto& list = per_driver_[i];
    size_t& next = next_[i];
    bool fired_one = false;
    while (next < list.size() && list[next].deadline_ms <= now_ms) {
      const auto& op = list[next++];
      if (fired_one && foldable(op.kind)) {
        ++skipped_;
        ++folded_by_kind_[op.kind];
        continue;
      }
      fired_one = true;
      DueChurnOp due;
      static_cast<PlannedChurnOp&>(due) = op;
      due.late_ms = now_ms - op.deadline_ms;
      max_late_ms_ = std::max(max_late_ms_, due.late_ms);
      ++fired_;
      ops.push_back(std::move(due));
    }
  }
  return ops;
}

std::optional<uint64_t> ChurnScheduler::next_deadline() const {
  std::optional<uint64_t> next;
  for (size_t i = 0; i < per_driver_.size(); ++i) {
    if (next_[i] >= per_driver_[i].size()) continue;
    const uint64_t d = per_driver_[i][next_[i]].deadline_ms;
    if (!next || d < *next) next = d;
  }
  return next;
}

}  // namespace scxfarm::agent
