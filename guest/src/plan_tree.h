// Pure views of a ScenarioPlan: the order the agent creates cgroups, starts
// schedulers and starts workloads in, and the plan checks done before any of
// it touches the system.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "scxfarm/common/result.h"
#include "scxfarm/protocol/scenario.h"

namespace scxfarm::agent {

// One cgroup to create, parents before children ("A" before "A/A1").
struct CgroupNode {
  std::string path;  // relative to the cgroup root: "A/A1"
  uint32_t weight = 100;
  bool leaf = true;  // no children: may hold processes
};
std::vector<CgroupNode> flatten_cgroups(const protocol::ScenarioPlan& plan);

// One qmap to start, in start order: the root first, then the cgroup tree in
// pre-order, so a parent is always attached before its children.
struct SchedulerNode {
  std::string path;    // "root", "root/A", "root/A/A1"
  std::string cgroup;  // "" for the root scheduler, else "A/A1"
  std::string parent;  // scheduler path of the parent; "" for the root
  std::vector<std::string> qmap_args;
};
std::vector<SchedulerNode> resolve_schedulers(const protocol::ScenarioPlan& plan);

// The qmap command line for NODE.
std::vector<std::string> qmap_argv(const std::string& qmap, const std::string& cgroup_root,
                                   const SchedulerNode& node, uint32_t stats_interval_s);

struct WorkloadNode {
  protocol::WorkloadSpec spec;
  std::string cgroup;  // leaf cgroup path
};
std::vector<WorkloadNode> collect_workloads(const protocol::ScenarioPlan& plan);

// Where the image puts the wakeup-latency probe (workload kind wakeup-probe).
inline constexpr const char* kWakeupProbePath = "/opt/scxfarm/bin/scxfarm-wakeup-probe";

// program + args for a workload kind; an error for an unknown kind or a
// "command" without args.
Result<std::vector<std::string>> workload_argv(const protocol::WorkloadSpec& spec);

// Everything the agent relies on before acting: names are single safe path
// components, weights in range, workloads only in leaves, churn targets
// exist, periods non-zero.
Status validate_plan(const protocol::ScenarioPlan& plan);

}  // namespace scxfarm::agent
