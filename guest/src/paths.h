// Where the agent finds the kernel's and the image's files. Production uses
// the defaults; tests point every root at a temporary directory.
#pragma once

#include <filesystem>
#include <string>

#include "scxfarm/protocol/contract.h"

namespace scxfarm::agent {

struct Paths {
  std::filesystem::path sched_ext{std::string(protocol::kSchedExtSysfs)};
  std::filesystem::path cgroup_root{std::string(protocol::kGuestCgroupRoot)};
  std::filesystem::path qmap{std::string(protocol::kGuestQmapPath)};
  std::filesystem::path virtio_ports = "/sys/class/virtio-ports";
  std::filesystem::path dev = "/dev";
  std::filesystem::path proc = "/proc";
};

}  // namespace scxfarm::agent
