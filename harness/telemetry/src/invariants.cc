#include "scxfarm/telemetry/invariants.h"

namespace scxfarm::telemetry {

std::optional<std::string> parent_scheduler(const std::string& path,
                                            const std::set<std::string>& schedulers) {
  std::string ancestor = path;
  while (true) {
    const size_t slash = ancestor.rfind('/');
    if (slash == std::string::npos) return std::nullopt;
    ancestor.resize(slash);
    if (schedulers.count(ancestor)) return ancestor;
  }
}

std::string SubsetViolation::describe() const {
  return child + ": " + cap + " holds cids " + extra.to_string() + " that parent " + parent +
         " does not hold for " + cap;
}

std::vector<SubsetViolation> check_caps_subset(const std::map<std::string, CapMap>& caps_by_path) {
  std::set<std::string> schedulers;
  for (const auto& [path, caps] : caps_by_path) schedulers.insert(path);

  static const CidSet kNone;
  std::vector<SubsetViolation> violations;
  for (const auto& [child, child_caps] : caps_by_path) {
    const auto parent = parent_scheduler(child, schedulers);
    if (!parent) continue;
    const CapMap& parent_caps = caps_by_path.at(*parent);
    for (const auto& [cap, cids] : child_caps) {
      const auto it = parent_caps.find(cap);
      const CidSet& allowed = it == parent_caps.end() ? kNone : it->second;
      if (cids.is_subset_of(allowed)) continue;
      violations.push_back({child, *parent, cap, cids.minus(allowed)});
    }
  }
  return violations;
}

std::string CounterRegression::describe() const {
  return path + ": " + event + " went backwards from " + std::to_string(before) + " to " +
         std::to_string(after);
}

std::vector<CounterRegression> check_monotonic(const std::string& path, const EventMap& before,
                                               const EventMap& after) {
  std::vector<CounterRegression> regressions;
  for (const auto& [event, was] : before) {
    const auto it = after.find(event);
    if (it != after.end() && it->second < was) {
      regressions.push_back({path, event, was, it->second});
    }
  }
  return regressions;
}

}  // namespace scxfarm::telemetry
