// The command lines of the plan's processes, and the plan checks done
// before any of it touches the system. (The tree itself, and the order to
// start things in, is protocol::PlanTree.)
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "scxfarm/common/result.h"
#include "scxfarm/protocol/plan_tree.h"
#include "scxfarm/protocol/scenario.h"

namespace scxfarm::agent {

// The qmap command line for NODE.
std::vector<std::string> qmap_argv(const std::string& qmap, const std::string& cgroup_root,
                                   const protocol::PlanScheduler& node, uint32_t stats_interval_s);

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
