// The configuration model: what the YAML files under configs/ describe,
// after strict validation. Every field has its unit and default beside it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scxfarm/common/spelling.h"
#include "scxfarm/kernelinfo/features.h"
#include "scxfarm/protocol/scenario.h"

namespace scxfarm::config {

// configs/kernels/NAME.yaml: which kernel to boot and where its tree is.
// Three sources (providers in harness/provision/kernels/): a Debian package,
// an image a developer built, or a build of a tree plus a patch series.
// Paths are absolute or relative to the YAML file's directory.
struct KernelConfig {
  std::string name;  // file stem, e.g. "debian-7.3-cloud"
  enum class Source { kDebian, kImage, kBuild } source = Source::kDebian;
  // source: debian: a Debian package (fetched through the guest root's apt).
  std::string binary_package;  // e.g. "linux-binary-7.3.4+deb13-cloud-amd64"
  // debian: the package whose tree provides tools/sched_ext; build: the tree
  // to build (the linux-source tarball), unless `tree` names a git work tree.
  std::string source_package;  // e.g. "linux-source-7.3"
  std::string version;         // exact package version, e.g. "7.3.4-1~bpo13+1"
  // source: image: a bzImage and the tree it was built from.
  std::filesystem::path image;    // bzImage; required for image
  std::filesystem::path vmlinux;  // optional; default: extracted from the image
  // image: the tree the image was built from (tools/sched_ext, selftests).
  // build: a git work tree to build at its HEAD (plus uncommitted changes to
  // tracked files), instead of source_package.
  std::filesystem::path tree;
  // source: build: applied in order on the tree; each an mbox (git am), a
  // single patch, or a directory of *.patch applied in name order. Default none.
  std::vector<std::filesystem::path> patches;
  // source: build: Kconfig fragments merged onto x86_64_defconfig +
  // kvm_guest.config; at least one (configs/kernels/fragments/sched-ext.config).
  std::vector<std::filesystem::path> fragments;
  // Multiplies every run timeout for this kernel (a debug kernel is slower).
  // Default 1.0; 1.0..20.0.
  double timeout_scale = 1.0;
  std::vector<std::string> extra_cmdline;  // appended to the kernel command line; default none
  std::filesystem::path file;              // where this was loaded from
};

// configs/topologies/NAME.yaml: the guest's CPU and NUMA shape.
struct NumaNode {
  std::vector<uint32_t> cpus;  // vCPU ids, parsed from a cpulist "0-3,8"; may be empty
  uint32_t memory_mib = 0;     // memory of this node, MiB, 0..65536; 0 = a CPU-only node
};

struct TopologyConfig {
  std::string name;
  uint32_t sockets = 1;           // -smp sockets
  uint32_t cores_per_socket = 1;  // -smp cores
  uint32_t threads_per_core = 1;  // -smp threads (SMT); > 1 needs a CPU model with SMT
  std::string cpu_model = "max";  // QEMU -cpu; default "max"
  std::vector<NumaNode> nodes;    // at least one
  // Node distance matrix (SLIT), nodes x nodes; empty = QEMU's default
  // (10 local, 20 remote). Square, symmetric, 10 on the diagonal, 11..254 elsewhere.
  std::vector<std::vector<uint32_t>> distances;
  std::filesystem::path file;

  uint32_t vcpus() const { return sockets * cores_per_socket * threads_per_core; }
  uint32_t memory_mib() const {
    uint32_t total = 0;
    for (const auto& n : nodes) total += n.memory_mib;
    return total;
  }
};

// One entry of expect.exits: a qmap that must exit during the run.
struct ExpectedExit {
  std::string cgroup;  // its cgroup path ("A/A1"); "" = the root scheduler ("/" in YAML)
  // "" = any reason. Otherwise every exit of that qmap before teardown must
  // carry this text in the kernel's exit reason (qmap's "EXIT: ..." line,
  // e.g. "parent exiting"); an exit with another reason fails the run.
  std::string reason;

  bool operator==(const ExpectedExit&) const = default;
};

// What the host checks after a run, beyond the agent's own checks.
struct Expectations {
  uint32_t min_churn_ops = 0;            // at least this many churn ops applied; default 0
  std::vector<std::string> caps_change;  // cgroup paths whose scheduler's caps must change
  bool all_schedulers_attach = true;     // every declared qmap attaches; default true
  // The qmaps that must exit during the run (subtree-kill and what it
  // evicts, a teardown the kernel does by design), each optionally with the
  // exit reason it must give; any other exit before teardown fails the run.
  // Default none.
  std::vector<ExpectedExit> exits;
  // A workload thread runnable ('R') whose run time does not grow for
  // longer than this fails the run, ms; 0 = off; default 5000.
  uint32_t max_starvation_ms = 5000;
  // After churn settles, each parent qmap's hier partition (cids per sub)
  // equals the child's sysfs `enq` cap. Default false.
  bool partition_matches_caps = false;
  // -J wrong-cid on CGROUP's qmap: "bounce" (root -B 0: every injection
  // attempt comes back as a reenq-cap bounce, per interval) or "rescue"
  // (root rescue on: attempts are rescued, not bounced). Empty = no check.
  std::string injection_cgroup;
  std::string injection_mode;           // "bounce" | "rescue"
  uint32_t injection_min_attempts = 1;  // at least this many attempts seen; default 1
};

// configs/scenarios/NAME.yaml.
struct ScenarioConfig {
  protocol::ScenarioPlan plan;  // what the agent runs
  Expectations expect;
  // Run alone on dedicated host CPUs, QEMU pinned to them (timing-sensitive
  // scenarios); default false.
  bool exclusive = false;
  // The kernel features the scenario needs (kernelinfo/features.h), each
  // once, in vocabulary order: its `requires:` list plus the implicit ones,
  // sched-ext always (every scenario attaches a root qmap) and sub-sched when
  // a cgroup has a scheduler. A kernel lacking one skips the run (no VM).
  // Default: the implicit ones.
  std::vector<kernelinfo::Feature> required_features;
  std::string description;
  std::filesystem::path file;
};

// How a run's VM is accelerated.
enum class Accel { kAuto, kKvm, kTcg };
// TCG threading: single is the default on this farm because multi-threaded
// TCG crashes kernels around live text patching (Oops: int3).
enum class TcgThreads { kSingle, kMulti };

// The one spelling of each enum, as in the YAML files and on the command line.
inline constexpr Spellings<KernelConfig::Source, 3> kKernelSourceSpellings = {{
    {"debian", KernelConfig::Source::kDebian},
    {"image", KernelConfig::Source::kImage},
    {"build", KernelConfig::Source::kBuild},
}};
inline constexpr Spellings<Accel, 3> kAccelSpellings = {{
    {"auto", Accel::kAuto},
    {"kvm", Accel::kKvm},
    {"tcg", Accel::kTcg},
}};
inline constexpr Spellings<TcgThreads, 2> kTcgThreadsSpellings = {{
    {"single", TcgThreads::kSingle},
    {"multi", TcgThreads::kMulti},
}};

// One cell of a suite's matrix.
struct RunSpec {
  std::string kernel;    // KernelConfig name
  std::string topology;  // TopologyConfig name
  std::string scenario;  // ScenarioConfig name
  uint32_t repeat_index = 0;
};

// configs/suites/NAME.yaml.
struct SuiteConfig {
  std::string name;
  std::string description;
  std::vector<std::string> kernels;              // names under configs/kernels
  std::vector<std::string> topologies;           // names under configs/topologies
  std::vector<std::string> scenarios;            // names under configs/scenarios
  uint32_t repeat = 1;                           // runs per matrix cell; 1..100
  Accel accel = Accel::kAuto;                    // default auto (KVM if a boot works, else TCG)
  TcgThreads tcg_threads = TcgThreads::kSingle;  // default single
  double timeout_scale = 0;                      // 0 = pick by accel (TCG 1.0 here means ×1)
  bool exclusive = false;  // every run exclusive (see ScenarioConfig); default false
  std::filesystem::path file;

  // kernels × topologies × scenarios × repeat, in that nesting order.
  std::vector<RunSpec> expand() const;
};

// The spelling from the tables above ("debian", "kvm", "single", ...).
std::string_view to_string(KernelConfig::Source source);
std::string_view to_string(Accel accel);
std::string_view to_string(TcgThreads threads);

}  // namespace scxfarm::config
