// The scenario's cgroup tree under the cgroup2 root, and cpu.weight churn.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "paths.h"
#include "plan_tree.h"
#include "scxfarm/common/result.h"

namespace scxfarm::agent {

// Creates NODES (parents first): "+cpu" into the root's and every non-leaf's
// cgroup.subtree_control before its children are made, then cpu.weight.
// STEP, if set, is told about each action (for the agent's log).
Status create_cgroups(const Paths& paths, const std::vector<CgroupNode>& nodes,
                      const std::function<void(const std::string&)>& step = {});

Result<uint32_t> read_weight(const Paths& paths, const std::string& cgroup);
Status write_weight(const Paths& paths, const std::string& cgroup, uint32_t weight);

// Swaps cpu.weight of A and B; returns the new values as "A=100 B=200".
Result<std::string> swap_weights(const Paths& paths, const std::string& a, const std::string& b);

}  // namespace scxfarm::agent
