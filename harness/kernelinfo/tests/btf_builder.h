// Small kernels' BTF for the probe's unit tests, built with libbpf's writer
// API (btf__new_empty, btf__add_struct, ...) and saved as raw BTF, the same
// format as /sys/kernel/btf/vmlinux.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace scxfarm::kernelinfo::testing {

// What the fake kernel has. Struct members are all `unsigned long`.
struct KernelShape {
  std::vector<std::string> sched_ext_ops;      // members; empty = no struct sched_ext_ops
  std::vector<std::string> functions;          // BTF_KIND_FUNC names (kfuncs and others)
  std::vector<std::string> event_stats;        // members; empty = no struct scx_event_stats
  std::vector<std::string> typedefs;           // e.g. btf_trace_sched_switch
  std::vector<std::string> union_ops_members;  // members of sched_ext_ops inside an anonymous union
};

// sched_ext of 7.3 as the default kernel's BTF has it (the parts the probe
// reads): sub-scheduler ops, grant/revoke/kill kfuncs, cids, 21 events.
KernelShape kernel_7_3();
// Debian 13's 6.12: sched_ext without sub-schedulers, cids or event stats.
KernelShape kernel_6_12();

// Writes SHAPE's BTF to FILE as raw BTF.
void write_raw_btf(const KernelShape& shape, const std::filesystem::path& file);

// A fresh directory under the test temp dir, named after NAME and the pid.
std::filesystem::path scratch_dir(const std::string& name);

}  // namespace scxfarm::kernelinfo::testing
