// The run-level delegation checks (evictions, settled partition) and the
// scenario's expectations, split from the stream analysis in analyzer.cc.
#include <algorithm>

#include "scxfarm/runner/analyzer.h"

namespace scxfarm::runner {

void RunAnalyzer::check_evictions(results::DelegationChecks& out) const {
  // A whole qmap interval after the kill (settle window: 1.5 x qmap -i).
  const uint64_t kAfterMs = settle_window_ms_;
  for (const auto& [path, end_ms] : kills_) {
    auto killed = schedulers_.find(path);
    if (killed == schedulers_.end() || !killed->second.cgroup_id) continue;
    // The scheduler the killed one was a sub-scheduler of.
    const protocol::PlanScheduler* node = tree_.scheduler(path);
    if (!node || node->parent.empty()) continue;
    const std::string& parent = node->parent;
    auto parent_track = schedulers_.find(parent);
    if (parent_track == schedulers_.end()) continue;
    const SchedulerTrack* p = &parent_track->second;
    const telemetry::HierInterval* after = nullptr;
    for (const auto& [t_ms, interval] : p->intervals)
      if (t_ms >= end_ms + kAfterMs && !after) after = &interval;
    if (!after) {
      out.eviction_failures.push_back(parent + " printed no hier interval after " + path +
                                      " was killed");
      continue;
    }
    const bool listed = std::any_of(after->rows.begin(), after->rows.end(), [&](const auto& row) {
      return row.cgroup_id == killed->second.cgroup_id && row.who != "self";
    });
    if (listed) {
      out.eviction_failures.push_back(
          parent + " still lists " + path + " (cgroup " + std::to_string(killed->second.cgroup_id) +
          ") as a sub-scheduler " + std::to_string(kAfterMs) + " ms after the kill");
    } else {
      ++out.evictions_confirmed;
    }
  }
}

void RunAnalyzer::check_partition(results::DelegationChecks& out) const {
  // Settled: qmap hier intervals that completed at least the settle window
  // (1.5 x qmap -i, protocol::settle_window_ms: the agent awaits the same)
  // after the last churn op and no later than the last sample, compared with
  // the caps of that last sample. Lines after the last sample belong to
  // teardown, where detaching children re-partition (seen: A handed 0-6 once
  // B had gone, while the last sample had 0-4).
  const uint64_t kSettleMs = settle_window_ms_;
  std::map<uint64_t, const SchedulerTrack*> by_cgroup;
  for (const auto& [path, t] : schedulers_)
    if (t.cgroup_id) by_cgroup[t.cgroup_id] = &t;
  for (const auto& [path, parent] : schedulers_) {
    const telemetry::HierInterval* settled = nullptr;
    for (const auto& [t_ms, interval] : parent.intervals) {
      if (t_ms >= last_churn_ms_ + kSettleMs && t_ms <= last_sample_ms_) settled = &interval;
    }
    if (!settled) continue;
    for (const auto& row : settled->rows) {
      if (row.who == "self" || row.cids_truncated) continue;
      auto child = by_cgroup.find(row.cgroup_id);
      if (child == by_cgroup.end() || child->second->exited_in_run || !child->second->last_caps)
        continue;
      const auto& caps = *child->second->last_caps;
      ++out.partition_checks;
      for (const auto& [cap, cids] : caps)
        if (cids == row.cids) ++out.partition_matching_caps[cap];
      auto enq = caps.find("enq");
      if (enq == caps.end() || enq->second != row.cids)
        out.partition_mismatches.push_back(
            path + " gives " + child->second->summary.path + " (cgroup " +
            std::to_string(row.cgroup_id) + ") cids " + row.cids.to_string() +
            " but its sysfs enq cap is " +
            (enq == caps.end() ? std::string("absent") : enq->second.to_string()));
    }
  }
}

namespace {

// The agent's run-phase accounting (protocol 2 on): counts are checked
// against what the run scheduled and did, never against one machine's rate.
void check_run_phase(const results::RunSummary& summary, std::vector<std::string>& failures) {
  const auto& phase = summary.run_phase;
  if (!phase.reported) {
    if (summary.agent_protocol_version >= 2 &&
        summary.agent_outcome == protocol::name_of(protocol::AgentOutcome::kPass))
      failures.push_back("run phase: the agent passed but sent no run_phase report");
    return;
  }
  for (const auto& [kind, t] : phase.churn) {
    if (t.applied + t.failed + t.folded != t.scheduled)
      failures.push_back("churn: " + kind + ": " + std::to_string(t.scheduled) +
                         " ops scheduled but " + std::to_string(t.applied) + " applied, " +
                         std::to_string(t.failed) + " failed, " + std::to_string(t.folded) +
                         " folded (the run phase ended before the schedule did)");
    auto seen = summary.churn_ops_by_kind.find(kind);
    const uint64_t host = seen == summary.churn_ops_by_kind.end() ? 0 : seen->second;
    if (host != t.applied + t.failed)
      failures.push_back("churn: " + kind + ": the agent did " +
                         std::to_string(t.applied + t.failed) + " ops, the host received " +
                         std::to_string(host));
  }
  if (summary.samples < phase.samples_taken)
    failures.push_back("samples: the agent took " + std::to_string(phase.samples_taken) +
                       ", the host received " + std::to_string(summary.samples));
  if (phase.settle_timed_out)
    failures.push_back("run phase: the declared settle never came (waited for " +
                       phase.waiting_for + ")");
}

}  // namespace

std::vector<std::string> check_expectations(const config::ScenarioConfig& scenario,
                                            const results::RunSummary& summary) {
  std::vector<std::string> failures;
  const protocol::PlanTree tree(scenario.plan);
  std::map<std::string, const results::SchedulerSummary*> by_path;
  for (const auto& s : summary.schedulers) by_path[s.path] = &s;

  if (summary.samples == 0) failures.push_back("no samples were received");
  if (scenario.expect.all_schedulers_attach) {
    for (const auto& declared : tree.schedulers()) {
      auto it = by_path.find(declared.path);
      if (it == by_path.end() || !it->second->attached)
        failures.push_back("scheduler " + declared.path + " never attached");
    }
  }
  uint64_t churn = 0;
  for (const auto& [kind, n] : summary.churn_ops_by_kind) churn += n;
  if (churn < scenario.expect.min_churn_ops)
    failures.push_back("churn: " + std::to_string(churn) + " operations, expected at least " +
                       std::to_string(scenario.expect.min_churn_ops));
  if (summary.churn_errors > 0)
    failures.push_back("churn: " + std::to_string(summary.churn_errors) + " operations failed");
  check_run_phase(summary, failures);
  for (const auto& cgroup : scenario.expect.caps_change) {
    const std::string path = protocol::scheduler_path(cgroup);
    auto it = by_path.find(path);
    uint64_t changes = 0;
    if (it != by_path.end())
      for (const auto& [cap, n] : it->second->caps_changes) changes += n;
    if (changes == 0) failures.push_back("caps of " + path + " never changed over the run");
  }
  const auto& d = summary.delegation;
  const auto& ex = scenario.expect;
  for (const auto& cgroup : ex.exits) {
    const std::string path = protocol::scheduler_path(cgroup);
    if (!d.exit_causes.count(path))
      failures.push_back("expected exit of " + path + " (expect.exits) never happened");
  }
  for (const auto& [path, cause] : d.exit_causes) {
    // Re-attached: the attach is checked by the churn op.
    if (cause == protocol::name_of(protocol::ExitCause::kDetachAttach)) continue;
    const protocol::PlanScheduler* node = tree.scheduler(path);
    const bool declared =
        node && std::find(ex.exits.begin(), ex.exits.end(), node->cgroup) != ex.exits.end();
    if (!declared) {
      std::string reason;
      for (const auto& s : summary.schedulers)
        if (s.path == path) reason = s.exit_reason;
      failures.push_back(
          "scheduler " + path + " exited (" + (cause.empty() ? "unexpectedly" : cause) +
          ") and expect.exits does not declare it" + (reason.empty() ? "" : ": " + reason));
    }
  }
  for (const auto& e : d.eviction_failures) failures.push_back("subtree-kill: " + e);
  if (ex.max_starvation_ms > 0) {
    for (const auto& [workload, stall] : d.workload_max_stall_ms)
      if (stall > ex.max_starvation_ms)
        failures.push_back("liveness: a thread of workload " + workload + " stayed runnable " +
                           std::to_string(stall) + " ms without running (bound " +
                           std::to_string(ex.max_starvation_ms) + " ms)");
  }
  if (ex.partition_matches_caps) {
    if (d.partition_checks == 0)
      failures.push_back("partition: no settled qmap hier partition to compare with sysfs caps");
    for (const auto& m : d.partition_mismatches) failures.push_back("partition: " + m);
  }
  if (!ex.injection_cgroup.empty()) {
    const std::string path = protocol::scheduler_path(ex.injection_cgroup);
    const results::SchedulerSummary* s = by_path.count(path) ? by_path.at(path) : nullptr;
    const uint64_t attempts = s ? s->inject_attempts : 0;
    const uint64_t bounced = s ? s->reenq_cap : 0;
    if (attempts < ex.injection_min_attempts)
      failures.push_back("injection: " + path + " made " + std::to_string(attempts) +
                         " attempts, expected at least " +
                         std::to_string(ex.injection_min_attempts));
    if (s && s->exited_unexpectedly)
      failures.push_back("injection: " + path + " was disabled: " + s->exit_reason);
    if (ex.injection_mode == "bounce") {
      auto it = d.injection_shortfall_intervals.find(path);
      if (it != d.injection_shortfall_intervals.end() && it->second > 0)
        failures.push_back("injection: " + std::to_string(it->second) + " intervals of " + path +
                           " had attempts without a reenq-cap bounce (first: " +
                           (d.injection_examples.empty() ? "?" : d.injection_examples[0]) + ")");
      if (bounced < attempts)
        failures.push_back("injection: " + path + " bounced " + std::to_string(bounced) + " of " +
                           std::to_string(attempts) + " attempts");
    } else if (ex.injection_mode == "rescue") {
      // Rescued attempts are diverted, not bounced: the kernel counts them.
      uint64_t rescued = 0;
      for (const auto& sched : summary.schedulers) {
        auto ev = sched.event_deltas.find("SCX_EV_SUB_RESCUE");
        if (ev != sched.event_deltas.end() && (sched.path == path || sched.path == "root"))
          rescued += ev->second;
      }
      // Compared with the attempts printed before the last sample (the
      // sample's events cannot include rescues after it: a slow guest has
      // more intervals between its last sample and teardown; seen: 52
      // attempts in all, 49 rescues). An attempt counted just before its
      // rescue happens can still straddle that sample (seen: 277 vs 276).
      constexpr uint64_t kRescueSlack = 2;
      const uint64_t sampled = s ? s->inject_attempts_sampled : 0;
      if (rescued + kRescueSlack < sampled)
        failures.push_back("injection: " + std::to_string(sampled) + " attempts of " + path +
                           " before the last sample but SCX_EV_SUB_RESCUE grew by " +
                           std::to_string(rescued));
      if (bounced >= attempts && attempts > 0)
        failures.push_back("injection: with rescue on, " + path + " still bounced " +
                           std::to_string(bounced) + " of " + std::to_string(attempts) +
                           " attempts");
    }
  }
  if (summary.invariant_violations > 0)
    failures.push_back(
        std::to_string(summary.invariant_violations) + " invariant violations (first: " +
        (summary.violation_examples.empty() ? "?" : summary.violation_examples[0]) + ")");
  return failures;
}

}  // namespace scxfarm::runner
