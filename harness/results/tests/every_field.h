// A RunSummary with every field set to a non-default value, for the
// round-trip tests of the JSON mapping and of run.json / suite.json.
#pragma once

#include "scxfarm/results/run_summary.h"

namespace scxfarm::results::testing {

// Every field non-default: a field missing from the JSON mapping, or read
// back under another key, makes the structs differ.
inline RunSummary every_field_set() {
  SchedulerSummary sched;
  sched.path = "root/A";
  sched.attached = true;
  sched.attach_seconds = 2.75;
  sched.reattach_seconds = {24.5, 49.125};
  sched.sysfs_dir = "/sys/kernel/sched_ext/root/sub/sub-42";
  sched.caps_last = {{"enq", "2-5"}, {"preempt", "0-1,8"}};
  sched.cids_held_last = {{"enq", 4}, {"preempt", 3}};
  sched.caps_changes = {{"enq", 60}};
  sched.caps_distinct = {{"enq", 2}};
  sched.event_deltas = {{"SCX_EV_SUB_RESCUE", 3}, {"SCX_EV_DISPATCH_KEEP_LAST", 47}};
  sched.reenq_cap = 11;
  sched.reenq_immed = 4;
  sched.inject_attempts = 20;
  sched.inject_attempts_sampled = 17;
  sched.rescue_dispatches = 212;
  sched.exited_unexpectedly = true;
  sched.exit_reason = "EXIT: parent exiting";

  WorkloadSummary work;
  work.name = "B-cpu";
  work.kind = "stress-ng";
  work.cgroup = "B";
  work.exit_code = -15;
  work.stopped = true;
  work.values = {{"cpu.bogo_ops_per_s_real", 712.5}};
  work.units = {{"cpu.bogo_ops_per_s_real", "ops_per_second"}};
  work.parse_error = "no metrics line";

  RunSummary s;
  s.run_id = "02-debian-7.3-cloud-numa2x4-weight-churn-r0";
  s.suite = "scenarios";
  s.scenario = "weight-churn";
  s.topology = "numa2x4";
  s.kernel = "debian-7.3-cloud";
  s.kernel_release = "7.3.4+deb13-cloud-amd64";
  s.kernel_package_version = "7.3.4-1~bpo13+1";
  s.seed = 7;
  s.repeat_index = 2;
  s.run_dir = "/results/scenarios-20261201-001845/02";
  s.accel = "tcg";
  s.accel_reason = "TCG requested";
  s.tcg_threads = "single";
  s.outcome = Outcome::kFail;
  s.reason = "churn: 141 operations, expected at least 150";
  s.failures = {{Check::kChurn, "", "141 operations, expected at least 150", s.reason},
                {Check::kAttach, "root/B", "never attached", "scheduler root/B never attached"}};
  s.agent_protocol_version = 2;
  s.agent_outcome = "pass";
  s.agent_reason = "all phases done";
  s.console_reports = {"warning: WARNING in scx_root_disable"};
  s.crash_signature = "warning|scx_root_disable|";
  s.boot_to_agent_seconds = 5.9;
  s.guest_uptime_at_hello = 4.2;
  s.scenario_seconds = 42.8;
  s.wall_seconds = 48.8;
  s.samples = 121;
  s.invariant_violations = 1;
  s.violation_examples = {"sample 3: root/A enq 0-7 not within root 0-3"};
  s.churn_ops_by_kind = {{"weight-swap", 60}};
  s.churn_errors = 1;
  s.schedulers = {sched};
  s.workloads = {work};
  s.started_at = "2026-12-01T00:20:41Z";
  s.topology_checked = true;
  s.topology_mismatches = {"node0: cpus 0-2, declared 0-3"};
  s.pool_cost = 4;
  s.exclusive = true;
  s.pinned_cpus = {2, 3};
  s.crash_reruns = 1;
  s.flaky = true;
  s.crash_determinism = "flaky";
  s.rerun_outcomes = {"pass"};
  s.infra_retries = 1;
  s.infra_errors = {"QEMU missing"};

  auto& d = s.delegation;
  d.workload_max_stall_ms = {{"A1-cpu", 1200}};
  d.task_samples = 900;
  d.partition_checks = 6;
  d.partition_matching_caps = {{"enq", 6}};
  d.partition_mismatches = {"root gives root/A (cgroup 12) cids 0-3 but its sysfs enq cap is 0-2"};
  d.injection_intervals = {{"root/A", 30}};
  d.injection_shortfall_intervals = {{"root/A", 1}};
  d.injection_examples = {"t=12000 inj=+3 reenq cap=+2"};
  d.exit_causes = {{"root/A", "subtree-kill"}};
  d.exit_reasons = {{"root/A", {"parent exiting", ""}}};
  d.reattaches = 2;
  d.evictions_confirmed = 1;
  d.eviction_failures = {"root still lists root/A (cgroup 28)"};

  auto& p = s.run_phase;
  p.reported = true;
  p.duration_ms = 50000;
  p.phase_ms = 52300;
  p.settle_ms = 3000;
  p.last_churn_end_ms = 49100;
  p.settled_at_ms = 52200;
  p.settle_timed_out = true;
  p.waiting_for = "a qmap interval from root/B";
  p.churn = {{"detach-attach", ChurnTally{10, 6, 1, 3}}};
  p.samples_taken = 201;
  p.samples_folded = 3;
  p.sample_max_late_ms = 310;

  auto& k = s.kernel_features;
  k.vmlinux = "/var/cache/scxfarm/kernel/5746f53f/vmlinux";
  k.btf_types = 285519;
  k.probe_ms = 41.5;
  // Every field non-default, which no real feature has at once (a present
  // one has no missing symbols).
  k.features = {{"sub-sched",
                 true,
                 {"sched_ext_ops.sub_attach"},
                 "no sched_ext_ops.sub_attach in the kernel's BTF"}};
  k.kfuncs = {"scx_bpf_cpu_to_cid"};
  k.events = {"SCX_EV_SUB_RESCUE"};
  s.required_features = {"sched-ext", "sub-sched"};
  return s;
}

}  // namespace scxfarm::results::testing
