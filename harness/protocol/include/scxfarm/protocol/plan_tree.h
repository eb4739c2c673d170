// The one walk of a plan's cgroup tree. Everything that needs the tree reads
// this view instead of recursing over CgroupSpec itself: the plan check
// (plan_check.h), the agent's start order (cgroups parents first, schedulers
// parents first, workloads in their leaves) and the host's analysis (which
// schedulers to expect, whose parent is whose, what a subtree-kill takes).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "scxfarm/protocol/scenario.h"

namespace scxfarm::protocol {

struct PlanCgroup {
  std::string name;
  std::string path;    // relative to the cgroup root: "A/A1"
  std::string parent;  // the parent cgroup's path; "" for a top-level cgroup
  std::string field;   // where the plan declares it: "cgroups[0].children[1]"
  uint32_t depth = 1;  // top-level cgroups are 1
  uint32_t weight = 100;
  bool leaf = true;  // no children: may hold processes
  bool has_scheduler = false;
  size_t workloads = 0;  // declared in this cgroup
};

struct PlanScheduler {
  std::string path;    // scheduler_path(cgroup): "root", "root/A", "root/A/A1"
  std::string cgroup;  // "" for the root scheduler, else "A/A1"
  std::string parent;  // the nearest scheduler above (its path); "" for the root
  uint32_t depth = 0;  // sub-scheduler nesting: 0 for the root, 1 for its children, ...
  std::vector<std::string> qmap_args;
};

struct PlanWorkload {
  WorkloadSpec spec;
  std::string cgroup;  // the (leaf) cgroup it runs in
  std::string field;   // where the plan declares it: "cgroups[1].workloads[0]"
};

class PlanTree {
 public:
  explicit PlanTree(const ScenarioPlan& plan);

  // Pre-order, in declaration order: every parent before its children.
  const std::vector<PlanCgroup>& cgroups() const { return cgroups_; }
  // The root scheduler first, then the cgroup tree's in pre-order: the
  // order to start them in (a parent attaches before its children).
  const std::vector<PlanScheduler>& schedulers() const { return schedulers_; }
  // Pre-order by cgroup, declaration order within one.
  const std::vector<PlanWorkload>& workloads() const { return workloads_; }

  // By cgroup path / scheduler path; nullptr when the plan has none. (With
  // duplicate paths, which check_plan rejects, the first.)
  const PlanCgroup* cgroup(std::string_view path) const;
  const PlanScheduler* scheduler(std::string_view path) const;

  // Scheduler PATH and every scheduler below it, in pre-order: what the
  // kernel evicts with it. Empty when the plan has no such scheduler.
  std::vector<std::string> subtree(std::string_view path) const;

  // Paths in pre-order: of every cgroup, and of the cgroups with a scheduler.
  std::vector<std::string> cgroup_paths() const;
  std::vector<std::string> scheduler_cgroups() const;

 private:
  // Adds CGROUPS (declared at FIELD, children of PARENT_PATH at DEPTH - 1,
  // under scheduler PARENT_SCHEDULER at nesting SCHED_DEPTH) and below.
  void walk(const std::vector<CgroupSpec>& cgroups, const std::string& field,
            const std::string& parent_path, uint32_t depth, const std::string& parent_scheduler,
            uint32_t sched_depth);

  std::vector<PlanCgroup> cgroups_;
  std::vector<PlanScheduler> schedulers_;
  std::vector<PlanWorkload> workloads_;
};

}  // namespace scxfarm::protocol
