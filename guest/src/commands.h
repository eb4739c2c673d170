// The command lines of the plan's processes: a qmap per scheduler, a program
// per workload. (The tree, and the order to start things in, is
// protocol::PlanTree; the plan's rules are protocol::check_plan.)
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "scxfarm/common/result.h"
#include "scxfarm/protocol/plan_tree.h"

namespace scxfarm::agent {

// The qmap command line for NODE.
std::vector<std::string> qmap_argv(const std::string& qmap, const std::string& cgroup_root,
                                   const protocol::PlanScheduler& node, uint32_t stats_interval_s);

// Where the image puts the wakeup-latency probe (workload kind wakeup-probe).
inline constexpr const char* kWakeupProbePath = "/opt/scxfarm/bin/scxfarm-wakeup-probe";

// program + args for a workload; an error for a command without args[0].
Result<std::vector<std::string>> workload_argv(const protocol::WorkloadSpec& spec);

}  // namespace scxfarm::agent
