// The run-level delegation checks (evictions, settled partition) and the
// scenario's expectations, split from the stream analysis in analyzer.cc.
#include <algorithm>

#include "scxfarm/runner/analyzer.h"
#include "scxfarm/workloads/parsers.h"

namespace scxfarm::runner {

void RunAnalyzer::check_evictions(results::DelegationChecks& out) const {
  // A whole qmap interval after the kill (settle window: 1.5 x qmap -i).
  const uint64_t kAfterMs = settle_window_ms_;
  // Data the verdict needs that the run did not provide is a failure naming
  // it, never a silent pass.
  auto cannot_judge = [&](const std::string& path, const std::string& missing) {
    out.eviction_failures.push_back("cannot confirm the eviction of " + path + ": " + missing);
  };
  for (const auto& [path, end_ms] : kills_) {
    auto killed = schedulers_.find(path);
    if (killed == schedulers_.end() || !killed->second.cgroup_id) {
      cannot_judge(path,
                   "it never reported attaching (no cgroup id to look for in its parent's "
                   "hier rows)");
      continue;
    }
    // The scheduler the killed one was a sub-scheduler of.
    const protocol::PlanScheduler* node = tree_.scheduler(path);
    if (!node || node->parent.empty()) {
      cannot_judge(path, "the plan declares no parent scheduler for it");
      continue;
    }
    const std::string& parent = node->parent;
    auto parent_track = schedulers_.find(parent);
    if (parent_track == schedulers_.end()) {
      cannot_judge(path, "its parent " + parent + " sent nothing (no hier output, no sample)");
      continue;
    }
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

using results::Check;
using results::Failure;

// A failure whose line is "LABEL: [SUBJECT: ]DETAIL" ("churn: weight-swap: ...").
Failure labeled(Check check, const std::string& label, const std::string& subject,
                const std::string& detail) {
  return {check, subject, detail, label + ": " + (subject.empty() ? "" : subject + ": ") + detail};
}

// The agent's run-phase accounting (protocol 2 on): counts are checked
// against what the run scheduled and did, never against one machine's rate.
void check_run_phase(const results::RunSummary& summary, std::vector<Failure>& failures) {
  const auto& phase = summary.run_phase;
  if (!phase.reported) {
    if (summary.agent_protocol_version >= 2 &&
        summary.agent_outcome == protocol::name_of(protocol::AgentOutcome::kPass))
      failures.push_back(labeled(Check::kRunPhase, "run phase", "",
                                 "the agent passed but sent no run_phase report"));
    return;
  }
  for (const auto& [kind, t] : phase.churn) {
    if (t.applied + t.failed + t.folded != t.scheduled)
      failures.push_back(labeled(
          Check::kChurn, "churn", kind,
          std::to_string(t.scheduled) + " ops scheduled but " + std::to_string(t.applied) +
              " applied, " + std::to_string(t.failed) + " failed, " + std::to_string(t.folded) +
              " folded (the run phase ended before the schedule did)"));
    auto seen = summary.churn_ops_by_kind.find(kind);
    const uint64_t host = seen == summary.churn_ops_by_kind.end() ? 0 : seen->second;
    if (host != t.applied + t.failed)
      failures.push_back(labeled(Check::kChurn, "churn", kind,
                                 "the agent did " + std::to_string(t.applied + t.failed) +
                                     " ops, the host received " + std::to_string(host)));
  }
  if (summary.samples < phase.samples_taken)
    failures.push_back(labeled(Check::kSamples, "samples", "",
                               "the agent took " + std::to_string(phase.samples_taken) +
                                   ", the host received " + std::to_string(summary.samples)));
  if (phase.settle_timed_out)
    failures.push_back(
        labeled(Check::kRunPhase, "run phase", "",
                "the declared settle never came (waited for " + phase.waiting_for + ")"));
}

// The -J wrong-cid injection accounting of one scheduler, by expect.injection_mode.
void check_injection(const config::Expectations& ex, const results::RunSummary& summary,
                     const results::SchedulerSummary* s, const std::string& path,
                     std::vector<Failure>& failures) {
  const auto& d = summary.delegation;
  auto fail = [&](const std::string& detail) {
    failures.push_back({Check::kInjection, path, detail, "injection: " + path + " " + detail});
  };
  const uint64_t attempts = s ? s->inject_attempts : 0;
  const uint64_t bounced = s ? s->reenq_cap : 0;
  if (attempts < ex.injection_min_attempts)
    fail("made " + std::to_string(attempts) + " attempts, expected at least " +
         std::to_string(ex.injection_min_attempts));
  if (s && s->exited_unexpectedly) fail("was disabled: " + s->exit_reason);
  if (ex.injection_mode == "bounce") {
    auto it = d.injection_shortfall_intervals.find(path);
    if (it != d.injection_shortfall_intervals.end() && it->second > 0) {
      const std::string n = std::to_string(it->second);
      const std::string rest = " had attempts without a reenq-cap bounce (first: " +
                               (d.injection_examples.empty() ? "?" : d.injection_examples[0]) + ")";
      failures.push_back({Check::kInjection, path, n + " intervals" + rest,
                          "injection: " + n + " intervals of " + path + rest});
    }
    if (bounced < attempts)
      fail("bounced " + std::to_string(bounced) + " of " + std::to_string(attempts) + " attempts");
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
    if (rescued + kRescueSlack < sampled) {
      const std::string rest =
          " before the last sample but SCX_EV_SUB_RESCUE grew by " + std::to_string(rescued);
      failures.push_back({Check::kInjection, path, std::to_string(sampled) + " attempts" + rest,
                          "injection: " + std::to_string(sampled) + " attempts of " + path + rest});
    }
    if (bounced >= attempts && attempts > 0) {
      const std::string rest = "still bounced " + std::to_string(bounced) + " of " +
                               std::to_string(attempts) + " attempts";
      failures.push_back({Check::kInjection, path, rest + " with rescue on",
                          "injection: with rescue on, " + path + " " + rest});
    }
  }
}

// expect.exits: every declared exit happened, no other exit did, and a
// declared exit that names its reason happened for that reason, every time
// (a qmap the kernel restarts in-process can exit more than once).
void check_exits(const protocol::PlanTree& tree, const config::Expectations& ex,
                 const results::RunSummary& summary, std::vector<Failure>& failures) {
  const auto& d = summary.delegation;
  for (const auto& declared : ex.exits) {
    const std::string path = protocol::scheduler_path(declared.cgroup);
    if (!d.exit_causes.count(path))
      failures.push_back({Check::kExits, path, "declared in expect.exits, never happened",
                          "expected exit of " + path + " (expect.exits) never happened"});
  }
  for (const auto& [path, cause] : d.exit_causes) {
    // Re-attached: the attach is checked by the churn op.
    if (cause == protocol::name_of(protocol::ExitCause::kDetachAttach)) continue;
    const protocol::PlanScheduler* node = tree.scheduler(path);
    auto declared =
        node ? std::find_if(ex.exits.begin(), ex.exits.end(),
                            [&](const config::ExpectedExit& e) { return e.cgroup == node->cgroup; })
             : ex.exits.end();
    if (declared == ex.exits.end()) {
      std::string reason;
      for (const auto& s : summary.schedulers)
        if (s.path == path) reason = s.exit_reason;
      const std::string detail = "exited (" + (cause.empty() ? "unexpectedly" : cause) +
                                 ") and expect.exits does not declare it" +
                                 (reason.empty() ? "" : ": " + reason);
      failures.push_back({Check::kExits, path, detail, "scheduler " + path + " " + detail});
      continue;
    }
    if (declared->reason.empty()) continue;
    // The analyzer records a reason ("" = none printed) for every exit in
    // exit_causes; none recorded is judged as none printed.
    auto recorded = d.exit_reasons.find(path);
    const std::vector<std::string> reasons =
        recorded == d.exit_reasons.end() ? std::vector<std::string>{""} : recorded->second;
    for (const auto& reason : reasons) {
      if (reason.find(declared->reason) != std::string::npos) continue;
      const std::string detail =
          (reason.empty() ? std::string("exited without printing an exit reason")
                          : "exited for '" + reason + "'") +
          ", expect.exits declares '" + declared->reason + "'";
      failures.push_back({Check::kExits, path, detail, "scheduler " + path + " " + detail});
    }
  }
}

// Every subtree-kill the plan schedules must have been judged (eviction
// confirmed or failed): a kill the stream never showed completing leaves
// nothing to judge, which must not pass as "no eviction failures".
void check_kills_judged(const protocol::ScenarioPlan& plan, const results::DelegationChecks& d,
                        std::vector<Failure>& failures) {
  uint64_t planned = 0;
  for (const auto& churn : plan.churn)
    if (churn.kind == protocol::ChurnKind::kSubtreeKill) planned += churn.targets.size();
  const uint64_t judged = d.evictions_confirmed + d.eviction_failures.size();
  if (judged < planned)
    failures.push_back(labeled(Check::kEviction, "subtree-kill", "",
                               std::to_string(planned) + " subtree kill(s) planned but " +
                                   std::to_string(judged) +
                                   " eviction(s) judged: no completed kill op for the rest"));
}

// A latency probe's parsed numbers are what the run measures: output that did
// not parse, or never arrived, leaves the run without its result.
void check_latency_probes(const protocol::PlanTree& tree, const results::RunSummary& summary,
                          std::vector<Failure>& failures) {
  for (const auto& planned : tree.workloads()) {
    if (!workloads::is_latency_probe(planned.spec.kind)) continue;
    const std::string& name = planned.spec.name;
    auto done = std::find_if(summary.workloads.begin(), summary.workloads.end(),
                             [&](const results::WorkloadSummary& w) { return w.name == name; });
    std::string detail;
    if (done == summary.workloads.end()) {
      detail = "sent no output (no workload_done from the agent): nothing was measured";
    } else if (!done->parse_error.empty()) {
      detail = done->kind + " output did not parse: " + done->parse_error;
    } else {
      continue;
    }
    failures.push_back({Check::kWorkloadOutput, name, detail, "workload " + name + ": " + detail});
  }
}

}  // namespace

std::vector<Failure> check_expectations(const config::ScenarioConfig& scenario,
                                        const results::RunSummary& summary) {
  std::vector<Failure> failures;
  const protocol::PlanTree tree(scenario.plan);
  std::map<std::string, const results::SchedulerSummary*> by_path;
  for (const auto& s : summary.schedulers) by_path[s.path] = &s;

  if (summary.samples == 0)
    failures.push_back(
        {Check::kSamples, "", "no samples were received", "no samples were received"});
  if (scenario.expect.all_schedulers_attach) {
    for (const auto& declared : tree.schedulers()) {
      auto it = by_path.find(declared.path);
      if (it == by_path.end() || !it->second->attached)
        failures.push_back({Check::kAttach, declared.path, "never attached",
                            "scheduler " + declared.path + " never attached"});
    }
  }
  uint64_t churn = 0;
  for (const auto& [kind, n] : summary.churn_ops_by_kind) churn += n;
  if (churn < scenario.expect.min_churn_ops)
    failures.push_back(labeled(Check::kChurn, "churn", "",
                               std::to_string(churn) + " operations, expected at least " +
                                   std::to_string(scenario.expect.min_churn_ops)));
  if (summary.churn_errors > 0)
    failures.push_back(labeled(Check::kChurn, "churn", "",
                               std::to_string(summary.churn_errors) + " operations failed"));
  check_run_phase(summary, failures);
  for (const auto& cgroup : scenario.expect.caps_change) {
    const std::string path = protocol::scheduler_path(cgroup);
    auto it = by_path.find(path);
    uint64_t changes = 0;
    if (it != by_path.end())
      for (const auto& [cap, n] : it->second->caps_changes) changes += n;
    if (changes == 0)
      failures.push_back({Check::kCapsChange, path, "never changed over the run",
                          "caps of " + path + " never changed over the run"});
  }
  const auto& d = summary.delegation;
  const auto& ex = scenario.expect;
  check_exits(tree, ex, summary, failures);
  for (const auto& e : d.eviction_failures)
    failures.push_back(labeled(Check::kEviction, "subtree-kill", "", e));
  check_kills_judged(scenario.plan, d, failures);
  check_latency_probes(tree, summary, failures);
  if (ex.max_starvation_ms > 0) {
    for (const auto& [workload, stall] : d.workload_max_stall_ms) {
      if (stall <= ex.max_starvation_ms) continue;
      const std::string rest = "stayed runnable " + std::to_string(stall) +
                               " ms without running (bound " +
                               std::to_string(ex.max_starvation_ms) + " ms)";
      failures.push_back({Check::kLiveness, workload, "a thread " + rest,
                          "liveness: a thread of workload " + workload + " " + rest});
    }
  }
  if (ex.partition_matches_caps) {
    if (d.partition_checks == 0)
      failures.push_back(labeled(Check::kPartition, "partition", "",
                                 "no settled qmap hier partition to compare with sysfs caps"));
    for (const auto& m : d.partition_mismatches)
      failures.push_back(labeled(Check::kPartition, "partition", "", m));
  }
  if (!ex.injection_cgroup.empty()) {
    const std::string path = protocol::scheduler_path(ex.injection_cgroup);
    check_injection(ex, summary, by_path.count(path) ? by_path.at(path) : nullptr, path, failures);
  }
  if (summary.invariant_violations > 0) {
    const std::string line =
        std::to_string(summary.invariant_violations) + " invariant violations (first: " +
        (summary.violation_examples.empty() ? "?" : summary.violation_examples[0]) + ")";
    failures.push_back({Check::kInvariants, "", line, line});
  }
  return failures;
}

}  // namespace scxfarm::runner
