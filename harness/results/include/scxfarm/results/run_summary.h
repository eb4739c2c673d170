// What one run produced, condensed: written to run.json, printed as the
// terminal summary, turned into metrics. Raw data (every sample) stays in
// samples.jsonl beside it.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "scxfarm/kernelinfo/features.h"
#include "scxfarm/results/failure.h"
#include "scxfarm/results/outcome.h"

namespace scxfarm::results {

struct SchedulerSummary {
  std::string path;  // "root", "root/A", ... (stable across boots)
  bool attached = false;
  double attach_seconds = 0;             // qmap start to sysfs directory present
  std::vector<double> reattach_seconds;  // each re-attach (detach-attach churn), s
  std::string sysfs_dir;
  // cap -> cids held in the last sample ("0-3,8"), and how many cids that is.
  std::map<std::string, std::string> caps_last;
  std::map<std::string, uint32_t> cids_held_last;
  // cap -> number of samples in which this cap's cid set differed from the previous sample.
  std::map<std::string, uint64_t> caps_changes;
  // cap -> distinct cid sets seen over the run.
  std::map<std::string, uint64_t> caps_distinct;
  // SCX_EV_* -> last minus first sample.
  std::map<std::string, uint64_t> event_deltas;
  // From qmap's hier lines, summed over intervals.
  uint64_t reenq_cap = 0;
  uint64_t reenq_immed = 0;
  uint64_t inject_attempts = 0;
  // Of those, the attempts in intervals the host received no later than the
  // last sample: the ones whose kernel-side effects (SCX_EV_SUB_RESCUE) that
  // sample's events can include. Teardown-time intervals come after it.
  uint64_t inject_attempts_sampled = 0;
  uint64_t rescue_dispatches = 0;
  bool exited_unexpectedly = false;
  std::string exit_reason;

  bool operator==(const SchedulerSummary&) const = default;
};

// What the host measured of the delegation machinery (runner/analyzer.cc);
// the scenario's expect: block decides which of these fail the run.
struct DelegationChecks {
  // Liveness: per workload, the longest span (ms) one of its threads stayed
  // runnable ('R') without its run time growing.
  std::map<std::string, uint64_t> workload_max_stall_ms;
  uint64_t task_samples = 0;  // thread observations seen
  // Settled partition vs caps: parent hier rows (cids per sub) compared with
  // the child's caps in the last sample; cap -> comparisons it matched.
  uint64_t partition_checks = 0;
  std::map<std::string, uint64_t> partition_matching_caps;
  std::vector<std::string> partition_mismatches;  // row vs `enq`, one line each
  // Injection (-J wrong-cid): per scheduler path, hier intervals whose
  // injection attempts were not matched by reenq-cap bounces (the deficit
  // outlived one interval), and the first few of them.
  std::map<std::string, uint64_t> injection_intervals;
  std::map<std::string, uint64_t> injection_shortfall_intervals;
  std::vector<std::string> injection_examples;
  // Scheduler exits before teardown (and unexpected ones at any time):
  // path -> cause ("subtree-kill", "detach-attach", "" = not caused by the
  // agent: its process exited unasked, or it printed qmap's "EXIT:" line,
  // the kernel disabling it, e.g. before restarting in-process).
  std::map<std::string, std::string> exit_causes;
  // The same exits' reasons as the kernel gave them, one per exit (a qmap
  // restarted in-process can exit more than once): path -> the text of
  // qmap's "EXIT: " line ("parent exiting"), "" when it printed none.
  std::map<std::string, std::vector<std::string>> exit_reasons;
  uint64_t reattaches = 0;  // SchedulerAttached for a path seen attached before
  // subtree-kill: the parent qmap's hier rows no longer list the killed
  // child's cgroup once the kill is done (the kernel detached it).
  uint64_t evictions_confirmed = 0;
  std::vector<std::string> eviction_failures;

  bool operator==(const DelegationChecks&) const = default;
};

// Per churn kind: the seeded schedule's ops and what became of them.
struct ChurnTally {
  uint64_t scheduled = 0;  // in the schedule
  uint64_t applied = 0;
  uint64_t failed = 0;
  uint64_t folded = 0;  // skipped: a later op of the same driver was due too (late agent)

  bool operator==(const ChurnTally&) const = default;
};

// How the run phase went by the agent's clock (its run_phase report): what
// was late shows here rather than as a failed check. Times in ms; *_at_ms are
// stream times (since the run message).
struct RunPhase {
  bool reported = false;           // the agent sent its report
  uint64_t duration_ms = 0;        // declared
  uint64_t phase_ms = 0;           // taken, settle included
  uint64_t settle_ms = 0;          // declared; 0 = none awaited
  uint64_t last_churn_end_ms = 0;  // 0 = no churn op ran
  uint64_t settled_at_ms = 0;      // 0 = none declared or never
  bool settle_timed_out = false;
  std::string waiting_for;                  // what the settle lacked when it timed out
  std::map<std::string, ChurnTally> churn;  // by kind
  uint64_t samples_taken = 0;
  uint64_t samples_folded = 0;  // sample deadlines folded into a late sample
  uint64_t sample_max_late_ms = 0;

  bool operator==(const RunPhase&) const = default;
};

// One workload's end (the agent's WorkloadDone) and what its output said,
// parsed on the host by harness/workloads (units: "ops_per_second", "ops",
// "seconds", "microseconds", "nanoseconds", "count").
struct WorkloadSummary {
  std::string name;
  std::string kind;      // "stress-ng", "hackbench", "cyclictest", "wakeup-probe", "command"
  std::string cgroup;    // its leaf cgroup path
  int exit_code = 0;     // -signal when killed
  bool stopped = false;  // stopped by the agent at the end of the run (SIGTERM)
  std::map<std::string, double> values;      // metric -> value, e.g. "cpu.bogo_ops_per_s_real"
  std::map<std::string, std::string> units;  // metric -> unit
  std::string parse_error;  // why nothing was parsed ("" when parsed or kind has no parser)

  bool operator==(const WorkloadSummary&) const = default;
};

struct RunSummary {
  std::string run_id;  // directory name under the results root
  std::string suite;
  std::string scenario;
  std::string topology;
  std::string kernel;                  // kernel config name
  std::string kernel_release;          // uname -r seen by the agent
  std::string kernel_package_version;  // Debian package version, if any
  uint64_t seed = 0;
  uint32_t repeat_index = 0;  // which repetition of its matrix cell
  std::string run_dir;        // where run.json and the raw files are
  std::string accel;          // "kvm" | "tcg"
  std::string accel_reason;
  std::string tcg_threads;  // "single" | "multi" (TCG only)
  Outcome outcome = Outcome::kInfraError;
  std::string reason;              // one line: why this outcome (a failure's text when one failed)
  std::vector<Failure> failures;   // every failed check
  int agent_protocol_version = 0;  // the agent's hello; 0 = no hello
  std::string agent_outcome;       // the agent's own verdict ("pass", "fail", ...), "" if none
  std::string agent_reason;
  std::vector<std::string> console_reports;  // "kind: title" of every console report
  std::string crash_signature;               // stable signature of the first kernel crash, if any

  double boot_to_agent_seconds = 0;  // QEMU start to agent hello (host clock)
  double guest_uptime_at_hello = 0;  // guest's own /proc/uptime at hello
  double scenario_seconds = 0;       // run message to result message
  double wall_seconds = 0;           // whole run, QEMU start to exit

  uint64_t samples = 0;
  uint64_t invariant_violations = 0;
  std::vector<std::string> violation_examples;  // first few, verbatim
  std::map<std::string, uint64_t> churn_ops_by_kind;
  uint64_t churn_errors = 0;
  std::vector<SchedulerSummary> schedulers;
  std::vector<WorkloadSummary> workloads;
  std::string started_at;  // ISO 8601 UTC

  // The topology the guest kernel reported vs the declared one.
  bool topology_checked = false;                 // the agent's report arrived and was compared
  std::vector<std::string> topology_mismatches;  // one line per difference
  // The pool: what the run cost, and the host CPUs it was pinned to (exclusive runs).
  uint32_t pool_cost = 0;  // host CPUs of budget (1 per TCG thread=single VM, else vCPUs)
  bool exclusive = false;
  std::vector<uint32_t> pinned_cpus;  // empty = not pinned
  // Crash reruns: a kernel-crash run is rerun (into rerun-K/) to tell a
  // deterministic crash from a flaky one; the outcome stays kernel-crash.
  uint32_t crash_reruns = 0;                // reruns done
  bool flaky = false;                       // some rerun did not crash the same way
  std::string crash_determinism;            // "deterministic" | "flaky" | "" (no crash)
  std::vector<std::string> rerun_outcomes;  // "<outcome>[: <crash signature>]" per rerun
  // Infrastructure retries: earlier attempts that ended in infra-error.
  uint32_t infra_retries = 0;
  std::vector<std::string> infra_errors;  // their reasons, oldest first
  DelegationChecks delegation;
  RunPhase run_phase;
  // The kernel's BTF probe (kernelinfo/probe.h), done once per kernel per
  // suite before any run; not probed (no features) in files older than v2.
  kernelinfo::KernelFeatures kernel_features;
  // The features the scenario requires of the kernel, its `requires:` and
  // the implicit ones (configs/README.md); a lacking one makes the run skipped.
  std::vector<std::string> required_features;

  bool operator==(const RunSummary&) const = default;
};

// run.json's keys are the member names. Read and write these files through
// result_files.h (schema_version, older versions); these only map the structs.
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(SchedulerSummary, path, attached, attach_seconds,
                                                reattach_seconds, sysfs_dir, caps_last,
                                                cids_held_last, caps_changes, caps_distinct,
                                                event_deltas, reenq_cap, reenq_immed,
                                                inject_attempts, inject_attempts_sampled,
                                                rescue_dispatches, exited_unexpectedly, exit_reason)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(DelegationChecks, workload_max_stall_ms,
                                                task_samples, partition_checks,
                                                partition_matching_caps, partition_mismatches,
                                                injection_intervals, injection_shortfall_intervals,
                                                injection_examples, exit_causes, exit_reasons,
                                                reattaches, evictions_confirmed, eviction_failures)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ChurnTally, scheduled, applied, failed, folded)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(RunPhase, reported, duration_ms, phase_ms,
                                                settle_ms, last_churn_end_ms, settled_at_ms,
                                                settle_timed_out, waiting_for, churn, samples_taken,
                                                samples_folded, sample_max_late_ms)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(WorkloadSummary, name, kind, cgroup, exit_code,
                                                stopped, values, units, parse_error)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(
    RunSummary, run_id, suite, scenario, topology, kernel, kernel_release, kernel_package_version,
    seed, repeat_index, run_dir, accel, accel_reason, tcg_threads, outcome, reason, failures,
    agent_protocol_version, agent_outcome, agent_reason, console_reports, crash_signature,
    boot_to_agent_seconds, guest_uptime_at_hello, scenario_seconds, wall_seconds, samples,
    invariant_violations, violation_examples, churn_ops_by_kind, churn_errors, schedulers,
    workloads, started_at, topology_checked, topology_mismatches, pool_cost, exclusive, pinned_cpus,
    crash_reruns, flaky, crash_determinism, rerun_outcomes, infra_retries, infra_errors, delegation,
    run_phase, kernel_features, required_features)

}  // namespace scxfarm::results
