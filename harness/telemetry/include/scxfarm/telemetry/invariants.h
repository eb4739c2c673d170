// Enforcement invariants over sampled sysfs state of a scheduler tree.
//
// Scheduler paths name cgroups relative to the root scheduler: "root",
// "root/A", "root/A/A1". A scheduler's parent is its nearest ancestor path
// that is also a scheduler (a cgroup without its own qmap is skipped).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "scxfarm/telemetry/cid_set.h"
#include "scxfarm/telemetry/sysfs.h"

namespace scxfarm::telemetry {

// nullopt for a path with no scheduler among its ancestors (the root).
// PATH itself need not be in SCHEDULERS.
std::optional<std::string> parent_scheduler(const std::string& path,
                                            const std::set<std::string>& schedulers);

// A child holds cids for CAP that its parent does not hold for the same cap.
struct SubsetViolation {
  std::string child;
  std::string parent;
  std::string cap;
  CidSet extra;                  // child's cids for CAP minus parent's cids for CAP
  std::string describe() const;  // one line, names both paths, the cap and the cids
};

// For every cap the child has, the child's cids must be a subset of the
// parent's cids for the SAME cap (caps are never compared across each
// other); a cap the parent lacks counts as empty. Parents are resolved among
// the keys of CAPS_BY_PATH, so a scheduler whose caps could not be read is
// skipped and its children are compared with the next ancestor up (which
// the subset relation makes a valid, weaker check). Ordered by child path.
std::vector<SubsetViolation> check_caps_subset(const std::map<std::string, CapMap>& caps_by_path);

// An event counter that went down between two samples of one scheduler.
struct CounterRegression {
  std::string path;
  std::string event;
  uint64_t before = 0;
  uint64_t after = 0;
  std::string describe() const;
};

// Counters are cumulative for the life of a scheduler instance, so any
// decrease is a violation. Events present in only one sample are ignored
// (names vary across kernels; a restarted scheduler is a new instance and
// the caller must not compare across it).
std::vector<CounterRegression> check_monotonic(const std::string& path, const EventMap& before,
                                               const EventMap& after);

}  // namespace scxfarm::telemetry
