#include "scxfarm/results/run_summary.h"

namespace scxfarm::results {

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(SchedulerSummary, path, attached, attach_seconds,
                                                reattach_seconds, sysfs_dir, caps_last,
                                                cids_held_last, caps_changes, caps_distinct,
                                                event_deltas, reenq_cap, reenq_immed,
                                                inject_attempts, inject_attempts_sampled,
                                                rescue_dispatches, exited_unexpectedly, exit_reason)

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(WorkloadSummary, name, kind, cgroup, exit_code,
                                                stopped, values, units, parse_error)

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(DelegationChecks, workload_max_stall_ms,
                                                task_samples, partition_checks,
                                                partition_matching_caps, partition_mismatches,
                                                injection_intervals, injection_shortfall_intervals,
                                                injection_examples, exit_causes, reattaches,
                                                evictions_confirmed, eviction_failures)

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ChurnTally, scheduled, applied, failed, folded)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(RunPhase, reported, duration_ms, phase_ms,
                                                settle_ms, last_churn_end_ms, settled_at_ms,
                                                settle_timed_out, waiting_for, churn, samples_taken,
                                                samples_folded, sample_max_late_ms)

void to_json(nlohmann::json& j, const RunSummary& s) {
  j = nlohmann::json{
      {"run_id", s.run_id},
      {"suite", s.suite},
      {"scenario", s.scenario},
      {"topology", s.topology},
      {"kernel", s.kernel},
      {"kernel_release", s.kernel_release},
      {"kernel_package_version", s.kernel_package_version},
      {"seed", s.seed},
      {"repeat_index", s.repeat_index},
      {"run_dir", s.run_dir},
      {"accel", s.accel},
      {"accel_reason", s.accel_reason},
      {"tcg_threads", s.tcg_threads},
      {"outcome", std::string(to_string(s.outcome))},
      {"reason", s.reason},
      {"failures", s.failures},
      {"agent_protocol_version", s.agent_protocol_version},
      {"agent_outcome", s.agent_outcome},
      {"agent_reason", s.agent_reason},
      {"console_reports", s.console_reports},
      {"crash_signature", s.crash_signature},
      {"boot_to_agent_seconds", s.boot_to_agent_seconds},
      {"guest_uptime_at_hello", s.guest_uptime_at_hello},
      {"scenario_seconds", s.scenario_seconds},
      {"wall_seconds", s.wall_seconds},
      {"samples", s.samples},
      {"invariant_violations", s.invariant_violations},
      {"violation_examples", s.violation_examples},
      {"churn_ops_by_kind", s.churn_ops_by_kind},
      {"churn_errors", s.churn_errors},
      {"schedulers", s.schedulers},
      {"workloads", s.workloads},
      {"started_at", s.started_at},
      {"topology_checked", s.topology_checked},
      {"topology_mismatches", s.topology_mismatches},
      {"pool_cost", s.pool_cost},
      {"exclusive", s.exclusive},
      {"pinned_cpus", s.pinned_cpus},
      {"crash_reruns", s.crash_reruns},
      {"flaky", s.flaky},
      {"crash_determinism", s.crash_determinism},
      {"rerun_outcomes", s.rerun_outcomes},
      {"infra_retries", s.infra_retries},
      {"infra_errors", s.infra_errors},
      {"delegation", s.delegation},
      {"run_phase", s.run_phase},
  };
}

void from_json(const nlohmann::json& j, RunSummary& s) {
  RunSummary d;
  s.run_id = j.value("run_id", d.run_id);
  s.suite = j.value("suite", d.suite);
  s.scenario = j.value("scenario", d.scenario);
  s.topology = j.value("topology", d.topology);
  s.kernel = j.value("kernel", d.kernel);
  s.kernel_release = j.value("kernel_release", d.kernel_release);
  s.kernel_package_version = j.value("kernel_package_version", d.kernel_package_version);
  s.seed = j.value("seed", d.seed);
  s.repeat_index = j.value("repeat_index", d.repeat_index);
  s.run_dir = j.value("run_dir", d.run_dir);
  s.accel = j.value("accel", d.accel);
  s.accel_reason = j.value("accel_reason", d.accel_reason);
  s.tcg_threads = j.value("tcg_threads", d.tcg_threads);
  s.outcome = outcome_from_string(j.value("outcome", std::string("infra-error")))
                  .value_or(Outcome::kInfraError);
  s.reason = j.value("reason", d.reason);
  s.failures = j.value("failures", d.failures);
  s.agent_outcome = j.value("agent_outcome", d.agent_outcome);
  s.agent_reason = j.value("agent_reason", d.agent_reason);
  s.console_reports = j.value("console_reports", d.console_reports);
  s.crash_signature = j.value("crash_signature", d.crash_signature);
  s.boot_to_agent_seconds = j.value("boot_to_agent_seconds", 0.0);
  s.guest_uptime_at_hello = j.value("guest_uptime_at_hello", 0.0);
  s.scenario_seconds = j.value("scenario_seconds", 0.0);
  s.wall_seconds = j.value("wall_seconds", 0.0);
  s.samples = j.value("samples", d.samples);
  s.invariant_violations = j.value("invariant_violations", d.invariant_violations);
  s.violation_examples = j.value("violation_examples", d.violation_examples);
  s.churn_ops_by_kind = j.value("churn_ops_by_kind", d.churn_ops_by_kind);
  s.churn_errors = j.value("churn_errors", d.churn_errors);
  s.schedulers = j.value("schedulers", d.schedulers);
  s.workloads = j.value("workloads", d.workloads);
  s.started_at = j.value("started_at", d.started_at);
  s.topology_checked = j.value("topology_checked", d.topology_checked);
  s.topology_mismatches = j.value("topology_mismatches", d.topology_mismatches);
  s.pool_cost = j.value("pool_cost", d.pool_cost);
  s.exclusive = j.value("exclusive", d.exclusive);
  s.pinned_cpus = j.value("pinned_cpus", d.pinned_cpus);
  s.crash_reruns = j.value("crash_reruns", d.crash_reruns);
  s.flaky = j.value("flaky", d.flaky);
  s.crash_determinism = j.value("crash_determinism", d.crash_determinism);
  s.rerun_outcomes = j.value("rerun_outcomes", d.rerun_outcomes);
  s.infra_retries = j.value("infra_retries", d.infra_retries);
  s.infra_errors = j.value("infra_errors", d.infra_errors);
  s.delegation = j.value("delegation", d.delegation);
  s.agent_protocol_version = j.value("agent_protocol_version", d.agent_protocol_version);
  s.run_phase = j.value("run_phase", d.run_phase);
}

}  // namespace scxfarm::results
