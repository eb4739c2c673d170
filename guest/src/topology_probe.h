// What the guest kernel sees of its CPU and NUMA topology, read back from
// sysfs and sent to the host right after hello (protocol::TopologySeen): the
// host compares it with the topology it declared to QEMU.
#pragma once

#include <filesystem>

#include "scxfarm/protocol/messages.h"

namespace scxfarm::agent {

// Reads SYSFS_ROOT/devices/system/node/node*/{cpulist,distance,meminfo} and
// SYSFS_ROOT/devices/system/cpu/cpu*/topology/thread_siblings_list (online
// cpus only). Never fails: unreadable files are listed in `errors`.
protocol::TopologySeen probe_topology(const std::filesystem::path& sysfs_root = "/sys");

}  // namespace scxfarm::agent
