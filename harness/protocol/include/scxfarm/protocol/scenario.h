// The scenario plan: what the agent is asked to do inside the guest. The
// host's config loader produces it from YAML (with validation and defaults);
// it travels to the agent as the "run" message. One schema, both ends.
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "scxfarm/protocol/vocabulary.h"

namespace scxfarm::protocol {

// Limits of the plan's values, checked by check_plan (plan_check.h).
inline constexpr uint32_t kMinWeight = 1;       // cgroup v2 cpu.weight
inline constexpr uint32_t kMaxWeight = 10000;   // cgroup v2 cpu.weight
inline constexpr uint32_t kMaxCgroupDepth = 8;  // top-level cgroups are depth 1
inline constexpr size_t kMaxNameLength = 64;    // cgroup and workload names

// A program run in a leaf cgroup for the scenario's whole duration.
struct WorkloadSpec {
  std::string name;  // unique within the scenario, e.g. "A1-cpu"
  // wakeup-probe runs /opt/scxfarm/bin/scxfarm-wakeup-probe in the guest;
  // command runs args[0]. Default command (which then needs args).
  WorkloadKind kind = WorkloadKind::kCommand;
  std::vector<std::string> args;  // extra argv after the program (no shell)
};

// A qmap instance. On the root cgroup it is the root scheduler; elsewhere it
// attaches as a sub-scheduler with `-c <cgroup path>` (added by the agent).
struct SchedulerSpec {
  std::vector<std::string> qmap_args;  // e.g. {"-B", "0"}; default none
};

struct CgroupSpec {
  std::string name;            // path component, [A-Za-z0-9_-]{1,64}
  uint32_t weight = 100;       // cpu.weight, kMinWeight..kMaxWeight; default 100
  bool has_scheduler = false;  // run a qmap attached to this cgroup
  SchedulerSpec scheduler;     // used when has_scheduler
  std::vector<WorkloadSpec> workloads;
  std::vector<CgroupSpec> children;
};

// One churn driver. Times are relative to the start of the churn phase.
// Every random choice comes from std::mt19937_64 seeded from plan.seed, so
// one seed replays the same schedule exactly.
struct ChurnSpec {
  // weight-swap: swap cpu.weight of the two cgroups in `targets` (paths
  //   like "A", "B/B1").
  // weight-random: give one target (chosen at random) a random cpu.weight
  //   in [min_weight, max_weight].
  // detach-attach: stop a target's qmap with SIGINT, wait until its sysfs
  //   dir is gone, start it again, wait until it is attached again.
  // subtree-kill: SIGKILL a target's qmap; the kernel must evict it and
  //   its sub-schedulers (their sysfs dirs disappear). Once per target.
  // hotplug: take a random cpu of `cpus` offline, next op online again.
  // migrate: move one running workload process (random) between the two
  //   cgroups in `targets` by writing its pid to cgroup.procs.
  ChurnKind kind = ChurnKind::kWeightSwap;  // required in scenario files
  std::vector<std::string> targets;
  uint32_t period_ms = 500;          // default 500; ignored when at_ms is set
  std::vector<uint32_t> at_ms;       // timed script instead of a period; default none
  uint32_t min_weight = kMinWeight;  // weight-random, kMinWeight..kMaxWeight; default 1
  uint32_t max_weight = kMaxWeight;  // weight-random, kMinWeight..kMaxWeight; default 10000
  std::vector<uint32_t> cpus;        // hotplug: cpus it may offline (never cpu0)
};

// A fault the agent injects into its own guest, to prove the farm's failure
// handling (configs/scenarios/fault-*.yaml). Times are relative to the start
// of the churn phase.
struct FaultSpec {
  // "panic": write 'c' to /proc/sysrq-trigger (a kernel crash);
  // "hang": freeze the agent (SIGSTOP): it sends nothing more while the
  // kernel keeps running.
  std::string kind;
  uint32_t at_ms = 0;  // default 0
};

struct ScenarioPlan {
  std::string name;
  uint64_t seed = 1;                   // drives every random choice in churn
  uint32_t duration_ms = 30000;        // workload+churn phase length
  uint32_t sample_interval_ms = 250;   // sysfs sampling period
  uint32_t qmap_stats_interval_s = 1;  // qmap -i (hier lines cadence)
  uint32_t attach_timeout_ms = 30000;  // per qmap, until its sysfs dir shows
  SchedulerSpec root_scheduler;        // the root qmap
  std::vector<CgroupSpec> cgroups;     // top-level cgroups under the root
  std::vector<ChurnSpec> churn;
  std::vector<FaultSpec> faults;  // default none
  // Churn stops this long before duration_ms so the last samples and qmap
  // hier lines show a settled partition; default 0 (churn until the end).
  // A declared settle (> 0) is awaited: the run phase ends only once this
  // long has passed after the last churn op completed and every scheduler
  // has printed a qmap interval after it (see settle_window_ms), however
  // late the churn ran on a slow machine.
  uint32_t settle_ms = 0;
  // Set by the host, not by scenario files: the run's timeout scale (the
  // host's timeout table factor, 3 under TCG). Every wait of the agent and
  // attach_timeout_ms are multiplied by it; default 1.
  double timeout_scale = 1.0;
};

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(WorkloadSpec, name, kind, args)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(SchedulerSpec, qmap_args)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(CgroupSpec, name, weight, has_scheduler, scheduler,
                                                workloads, children)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ChurnSpec, kind, targets, period_ms, at_ms,
                                                min_weight, max_weight, cpus)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(FaultSpec, kind, at_ms)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ScenarioPlan, name, seed, duration_ms,
                                                sample_interval_ms, qmap_stats_interval_s,
                                                attach_timeout_ms, root_scheduler, cgroups, churn,
                                                faults, settle_ms, timeout_scale)

// Waits both ends derive from the plan, so the host's budget and the agent's
// deadlines agree. A scenario's attach_timeout_ms is a base value scaled
// like every other wait.
inline uint64_t scaled_ms(const ScenarioPlan& plan, uint64_t base_ms) {
  const double scale = plan.timeout_scale > 0 ? plan.timeout_scale : 1.0;
  return static_cast<uint64_t>(static_cast<double>(base_ms) * scale);
}
inline uint64_t attach_timeout_ms(const ScenarioPlan& plan) {
  return scaled_ms(plan, plan.attach_timeout_ms);
}
// A qmap interval counts as settled when the line that completes it arrives
// at least this long after the last churn op: 1.5 stats intervals (qmap -i),
// so the partition it prints was computed after the churn. Qmap's own
// clock, not a wait: not scaled.
inline uint64_t settle_window_ms(const ScenarioPlan& plan) {
  return static_cast<uint64_t>(plan.qmap_stats_interval_s) * 1500;
}
// Longest the run phase waits past duration_ms for a declared settle, before
// scaling. A blocking churn op (a re-attach took 24-49 s under TCG on
// machines of this kind) can push the last op towards the end of the phase.
inline constexpr uint64_t kSettleTimeoutMs = 60'000;

// Scheduler paths name schedulers by their place in the tree: "root",
// "root/A", "root/A/A1" (stable across boots, unlike cgroup ids).
inline std::string scheduler_path(const std::string& cgroup_path) {
  return cgroup_path.empty() ? "root" : "root/" + cgroup_path;
}

}  // namespace scxfarm::protocol
