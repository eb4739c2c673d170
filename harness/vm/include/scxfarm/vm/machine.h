// What a VM is: the declared topology and the guest image, turned into a
// QEMU command line (an argv vector; nothing is ever parsed by a shell).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "scxfarm/common/spelling.h"
#include "scxfarm/config/model.h"

namespace scxfarm::vm {

enum class AccelKind { kKvm, kTcg };
// Its one spelling: run.json, progress lines, the accelerator cache.
inline constexpr Spellings<AccelKind, 2> kAccelKindSpellings = {{
    {"kvm", AccelKind::kKvm},
    {"tcg", AccelKind::kTcg},
}};
std::string_view to_string(AccelKind accel);

struct MachineSpec {
  config::TopologyConfig topology;
  std::filesystem::path kernel;            // bzImage/vmlinuz
  std::filesystem::path initramfs;         // newc cpio with /init
  std::vector<std::string> extra_cmdline;  // appended to the farm's own parameters
  AccelKind accel = AccelKind::kTcg;
  config::TcgThreads tcg_threads = config::TcgThreads::kSingle;
  std::filesystem::path console_log;     // serial console goes here
  std::filesystem::path control_socket;  // unix socket QEMU listens on
  // Host CPUs every QEMU thread is pinned to (taskset -c, set before exec so
  // vCPU threads inherit it); empty = not pinned. Used for exclusive runs.
  std::vector<uint32_t> pin_cpus;
};

// The kernel command line the farm boots with (see protocol/contract.h for
// the scxfarm.* parameters): panic=-1 + -no-reboot make a panic end QEMU.
std::string kernel_cmdline(const MachineSpec& spec);

// The whole argv, starting with QEMU_BINARY.
std::vector<std::string> qemu_argv(const MachineSpec& spec, const std::string& qemu_binary);

// QEMU option values separate fields with ',': a literal comma is doubled.
std::string qemu_escape(const std::string& value);

// The maximal ranges of CPUS, ascending ({0,1,4,5,7} -> "0-1", "4-5", "7"):
// QEMU's -numa cpus= takes one range per cpus= field. telemetry::CidSet
// does the formatting.
std::vector<std::string> cpu_ranges(const std::vector<uint32_t>& cpus);

}  // namespace scxfarm::vm
