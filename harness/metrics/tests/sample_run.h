// A hand-built RunSummary shared by the metrics tests and benchmark.
#pragma once

#include <string>

#include "scxfarm/results/run_summary.h"

namespace scxfarm::metrics::testing {

// EVENTS_PER_SCHEDULER SCX_EV_* names per scheduler, "SCX_EV_SUB_RESCUE" first.
inline results::RunSummary sample_run(const std::string& scenario = "churn", int schedulers = 2,
                                      int events_per_scheduler = 3) {
  results::RunSummary run;
  run.run_id = "20261126T015000Z-churn-5f3a";
  run.suite = "smoke";
  run.scenario = scenario;
  run.topology = "2s4c";
  run.kernel = "qmap-debug";
  run.kernel_release = "7.3.0-rc2-scxfarm";
  run.kernel_package_version = "7.3.0~rc2-1";
  run.seed = 987654321;
  run.accel = "tcg";
  run.tcg_threads = "multi";
  run.outcome = results::Outcome::kPass;
  run.boot_to_agent_seconds = 14.5;
  run.wall_seconds = 95;
  run.invariant_violations = 2;
  run.churn_ops_by_kind = {{"cgroup_create", 7}, {"scheduler_restart", 3}};
  run.started_at = "2026-11-26T01:50:00Z";
  const char* paths[] = {"root", "root/A", "root/A/A1", "root/B"};
  for (int i = 0; i < schedulers; ++i) {
    results::SchedulerSummary s;
    s.path = paths[i % 4];
    if (i >= 4) s.path += "/" + std::to_string(i);
    s.attached = true;
    s.attach_seconds = 0.25 + i;
    s.sysfs_dir = "/sys/kernel/sched_ext/" + std::to_string(1000 + i);
    s.caps_last = {{"enq", "0-3"}, {"preempt", "0-1,8"}};
    s.cids_held_last = {{"enq", 4}, {"preempt", 3}};
    s.caps_changes = {{"enq", 5}, {"preempt", 1}};
    s.caps_distinct = {{"enq", 3}, {"preempt", 2}};
    s.event_deltas["SCX_EV_SUB_RESCUE"] = 3;
    for (int e = 1; e < events_per_scheduler; ++e)
      s.event_deltas["SCX_EV_EVENT_" + std::to_string(e)] = static_cast<uint64_t>(e);
    s.reenq_cap = 11;
    s.reenq_immed = 4;
    s.inject_attempts = 20;
    s.rescue_dispatches = 2;
    run.schedulers.push_back(s);
  }
  return run;
}

}  // namespace scxfarm::metrics::testing
