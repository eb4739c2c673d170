// Faults the agent injects into its own guest on the plan's request
// (protocol::FaultSpec), so the farm's handling of a kernel crash and of a
// hung agent can be proven end to end with the real kernel.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "scxfarm/protocol/scenario.h"

namespace scxfarm::agent {

// Where the faults act; tests point them at temporary files.
struct FaultTargets {
  std::string sysrq_trigger = "/proc/sysrq-trigger";
  int agent_pid = 0;  // 0 = the calling process
};

// Arms every fault in FAULTS: each runs in a forked helper that sleeps its
// at_ms (from now) and then either writes "c" to the sysrq trigger (panic) or
// stops the agent with SIGSTOP (hang: the agent sends nothing more while the
// kernel keeps running). LOG gets one line per armed fault. Returns the
// helpers' pids (the agent reaps them as orphans of its own).
std::vector<int> arm_faults(const std::vector<protocol::FaultSpec>& faults,
                            const std::function<void(const std::string&)>& log,
                            const FaultTargets& targets = {});

}  // namespace scxfarm::agent
