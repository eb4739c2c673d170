// Did the guest kernel get the topology the farm declared? The agent reads
// back sysfs (protocol::TopologySeen) right after hello; this pure function
// compares it with the TopologyConfig QEMU was given. Any difference fails
// the run: a scheduler test on the wrong shape proves nothing.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "scxfarm/config/model.h"
#include "scxfarm/protocol/messages.h"

namespace scxfarm::vm {

// The kernel keeps part of each node's memory for itself (kernel image,
// struct pages, firmware tables), so MemTotal is below what QEMU gave the
// node. Measured on the 7.3 cloud kernel: see README "Topologies".
struct MemoryTolerance {
  uint32_t fixed_mib = 96;  // always allowed missing, MiB
  uint32_t percent = 10;    // plus this share of the node's declared memory
};

// One line per difference, naming the node or cpu, what was declared and
// what the kernel reports; empty = the topology matches. Checked: the set of
// online nodes, each node's cpus, the distance matrix (declared or QEMU's
// default 10/20), memory per node within TOLERANCE (never above the
// declared size), the online cpu count, and the SMT thread siblings when
// threads_per_core > 1 (QEMU numbers threads of a core consecutively).
std::vector<std::string> compare_topology(const config::TopologyConfig& declared,
                                          const protocol::TopologySeen& seen,
                                          const MemoryTolerance& tolerance = {});

}  // namespace scxfarm::vm
