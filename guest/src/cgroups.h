// The scenario's cgroup tree under the cgroup2 root, and cpu.weight churn.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "paths.h"
#include "scxfarm/common/result.h"
#include "scxfarm/protocol/plan_tree.h"

namespace scxfarm::agent {

// Creates NODES (parents first): "+cpu" into the root's and every non-leaf's
// cgroup.subtree_control before its children are made, then cpu.weight.
// STEP, if set, is told about each action (for the agent's log).
Status create_cgroups(const Paths& paths, const std::vector<protocol::PlanCgroup>& nodes,
                      const std::function<void(const std::string&)>& step = {});

Result<uint32_t> read_weight(const Paths& paths, const std::string& cgroup);
Status write_weight(const Paths& paths, const std::string& cgroup, uint32_t weight);

// Swaps cpu.weight of A and B; returns the new values as "A=100 B=200".
Result<std::string> swap_weights(const Paths& paths, const std::string& a, const std::string& b);

// Moves one process between cgroups A and B (FORWARD: A -> B, else B -> A;
// the other way when that side is empty): the (PICK % count)-th pid of the
// source's cgroup.procs. Returns "pid 123 A -> B".
Result<std::string> migrate_one(const Paths& paths, const std::string& a, const std::string& b,
                                uint64_t pick, bool forward);

// Writes 0/1 to CPU_DIR/cpuN/online (CPU_DIR = /sys/devices/system/cpu).
Status set_cpu_online(const std::filesystem::path& cpu_dir, int cpu, bool online);

}  // namespace scxfarm::agent
