#include "scxfarm/runner/analyzer.h"

#include <algorithm>
#include <optional>
#include <string_view>

#include "scxfarm/common/text.h"
#include "scxfarm/telemetry/invariants.h"
#include "scxfarm/workloads/parsers.h"

namespace scxfarm::runner {

namespace {

// Adds one scheduler instance's event deltas (last minus first sample; a
// counter missing at first counts from 0) into INTO.
void add_event_deltas(const std::optional<telemetry::EventMap>& first,
                      const std::optional<telemetry::EventMap>& last,
                      std::map<std::string, uint64_t>& into) {
  if (!first || !last) return;
  for (const auto& [event, value] : *last) {
    auto it = first->find(event);
    const uint64_t base = it == first->end() ? 0 : it->second;
    into[event] += value >= base ? value - base : 0;
  }
}

// The reason of qmap's exit line ("EXIT: parent exiting" -> "parent
// exiting"): qmap prints it when the kernel disabled it.
std::optional<std::string> exit_line_reason(const std::string& line) {
  constexpr std::string_view kExit = "EXIT: ";
  if (line.rfind(kExit, 0) != 0) return std::nullopt;
  return line.substr(kExit.size());
}

// The reason of the last exit line in OUTPUT (a process's last output), ""
// when it printed none (killed, crashed).
std::string exit_line_reason_in(const std::string& output) {
  std::string reason;
  text::for_each_line(output, [&](size_t, std::string_view line) {
    if (auto r = exit_line_reason(std::string(line))) reason = *r;
  });
  return reason;
}

}  // namespace

std::vector<std::string> declared_schedulers(const protocol::ScenarioPlan& plan) {
  const protocol::PlanTree tree(plan);
  std::vector<std::string> out;
  for (const auto& s : tree.schedulers()) out.push_back(s.path);
  return out;
}

RunAnalyzer::SchedulerTrack& RunAnalyzer::track(const std::string& path) {
  auto& t = schedulers_[path];
  t.summary.path = path;
  return t;
}

void RunAnalyzer::violation(const std::string& text) {
  ++violations_;
  if (examples_.size() < kMaxExamples) examples_.push_back(text);
}

void RunAnalyzer::on_message(const protocol::Envelope& message) {
  using protocol::MessageKind;
  const auto kind = message.kind();
  if (!kind) return;  // a type this host does not know: kept in the stream, ignored
  try {
    switch (*kind) {
      case MessageKind::kHello:
        hello_ = message.body.get<protocol::Hello>();
        break;
      case MessageKind::kSchedulerAttached:
        on_attached(message.body.get<protocol::SchedulerAttached>());
        break;
      case MessageKind::kSample:
        on_sample(message.body.get<protocol::Sample>());
        break;
      case MessageKind::kSchedulerOutput:
        on_output(message.body.get<protocol::SchedulerOutput>());
        break;
      case MessageKind::kSchedulerExited:
        on_exited(message.body.get<protocol::SchedulerExited>());
        break;
      case MessageKind::kWorkloadDone:
        on_workload_done(message.body.get<protocol::WorkloadDone>());
        break;
      case MessageKind::kChurn:
        on_churn(message.body.get<protocol::ChurnOp>());
        break;
      case MessageKind::kPhase:
        if (message.body.get<protocol::Phase>().name == protocol::ScenarioPhase::kTeardown)
          teardown_ = true;
        break;
      case MessageKind::kRunPhase:
        run_phase_ = message.body.get<protocol::RunPhaseReport>();
        break;
      case MessageKind::kResult:
        verdict_ = message.body.get<protocol::Verdict>();
        break;
      case MessageKind::kTopologySeen:  // checked by the executor (vm/topology_check.h)
      case MessageKind::kRun:           // host -> guest
      case MessageKind::kLog:
      case MessageKind::kBye:
        break;
    }
  } catch (const nlohmann::json::exception&) {
    ++undecodable_;  // a message of a known type with the wrong shape
  }
}

void RunAnalyzer::on_output(const protocol::SchedulerOutput& m) {
  auto& t = track(m.path);
  if (auto interval = t.hier.feed(m.line)) on_hier(t, *interval, m.t_ms);
  // qmap prints "EXIT: <reason>" when the kernel disabled it. Before
  // teardown and while the agent is not stopping it, nobody asked for that
  // (on hotplug 7.3 disables the root, which qmap restarts in-process).
  // Each such line is one exit (a restarted root can print several).
  if (auto reason = exit_line_reason(m.line); reason && !teardown_ && !t.churning) {
    record_unasked_exit(t, *reason);
    t.kernel_exited = true;
    t.absent_since_exit = false;
    t.gone = true;
    t.exited_in_run = true;
    t.summary.exited_unexpectedly = true;
    if (t.summary.exit_reason.empty()) t.summary.exit_reason = m.line;
  }
}

void RunAnalyzer::record_unasked_exit(SchedulerTrack& t, const std::string& reason) {
  delegation_.exit_causes[t.summary.path] = protocol::to_string(protocol::ExitCause::kNone);
  delegation_.exit_reasons[t.summary.path].push_back(reason);
  t.unexplained_absence.clear();  // the exit explains why sysfs lost it
}

void RunAnalyzer::on_attached(const protocol::SchedulerAttached& m) {
  auto& t = track(m.path);
  if (t.summary.attached) {
    // A new instance at the same place (detach-attach): its counters
    // start over; keep what the old one counted.
    ++delegation_.reattaches;
    t.summary.reattach_seconds.push_back(static_cast<double>(m.attach_ms) / 1000.0);
    add_event_deltas(t.first_events, t.last_events, t.carried_deltas);
    t.first_events.reset();
    t.last_events.reset();
    t.last_caps.reset();
  }
  t.churning = false;
  t.gone = false;
  t.exited_in_run = false;
  t.kernel_exited = false;
  t.absent_since_exit = false;
  t.cgroup_id = m.cgroup_id;
  if (!t.summary.attached) t.summary.attach_seconds = static_cast<double>(m.attach_ms) / 1000.0;
  t.summary.attached = true;
  t.summary.sysfs_dir = m.sysfs_dir;
}

void RunAnalyzer::on_exited(const protocol::SchedulerExited& m) {
  using protocol::ExitCause;
  auto& exited = track(m.path);
  exited.gone = true;
  exited.exited_in_run = !teardown_;
  if (m.cause == ExitCause::kDetachAttach) exited.churning = true;
  // Exits the agent did not ask for count at any time; asked-for ones
  // only before teardown (subtree-kill, detach-attach). Each with the reason
  // its output gave, unless its EXIT line already counted this exit.
  if (!m.expected) {
    if (!exited.kernel_exited) record_unasked_exit(exited, exit_line_reason_in(m.last_output));
  } else if (!teardown_ && m.cause != ExitCause::kTeardown) {
    delegation_.exit_causes[m.path] = protocol::to_string(m.cause);
    delegation_.exit_reasons[m.path].push_back(exit_line_reason_in(m.last_output));
  }
  exited.kernel_exited = false;
  if (!m.expected) {
    exited.summary.exited_unexpectedly = true;
    exited.summary.exit_reason = m.last_output;
    unexpected_exits_.push_back(m);
  }
}

void RunAnalyzer::on_workload_done(const protocol::WorkloadDone& m) {
  // The workload's results, parsed from the tail of its output.
  results::WorkloadSummary w{m.name, protocol::to_string(m.kind), m.cgroup, m.exit_code, m.stopped};
  if (auto parsed = workloads::parse_workload_output(m.kind, m.output_tail); parsed) {
    w.values = parsed->values;
    w.units = parsed->units;
  } else if (workloads::has_parser(m.kind)) {
    w.parse_error = parsed.error().message;
  }
  workloads_.push_back(std::move(w));
}

void RunAnalyzer::on_sample(const protocol::Sample& sample) {
  ++samples_;
  last_sample_ms_ = sample.t_ms;
  agent_violations_ += sample.violations.size();
  on_tasks(sample);
  std::map<std::string, telemetry::CapMap> caps_by_path;
  for (const auto& state : sample.schedulers) {
    auto& t = track(state.path);
    const std::string where = "sample " + std::to_string(sample.seq) + ": " + state.path;
    if (!state.present) {
      if (t.kernel_exited) t.absent_since_exit = true;
      // Expected alive: attached, not exited, not in a churn op, not torn
      // down. The exit that explains it may be reported a little later.
      if (t.summary.attached && !t.gone && !t.churning && !teardown_)
        t.unexplained_absence.push_back(where + ": scheduler expected alive is missing from sysfs");
      // A scheduler that comes back is a new instance: no monotonic
      // comparison across the gap.
      add_event_deltas(t.first_events, t.last_events, t.carried_deltas);
      t.first_events.reset();
      t.last_events.reset();
      continue;
    }
    // Back without an exit that explains the gap: each missing sample was a violation.
    for (const auto& v : t.unexplained_absence) violation(v);
    t.unexplained_absence.clear();
    if (t.kernel_exited && t.absent_since_exit) {
      // Disabled by the kernel, gone from sysfs, back: qmap restarted in-process.
      t.kernel_exited = false;
      t.absent_since_exit = false;
      t.gone = false;
    }
    if (state.ops.empty()) violation(where + ": ops unreadable (empty)");
    auto caps = telemetry::parse_caps(state.caps);
    if (!caps) {
      violation("sample " + std::to_string(sample.seq) + ": " + state.path +
                ": unparsable caps: " + caps.error().message);
    } else {
      for (const auto& [cap, cids] : *caps) {
        t.distinct[cap].insert(cids.to_string());
        if (t.last_caps) {
          auto prev = t.last_caps->find(cap);
          if (prev == t.last_caps->end() || prev->second != cids) ++t.summary.caps_changes[cap];
        }
      }
      t.last_caps = *caps;
      caps_by_path[state.path] = std::move(*caps);
    }
    auto events = telemetry::parse_events(state.events);
    if (!events) {
      violation("sample " + std::to_string(sample.seq) + ": " + state.path +
                ": unparsable events: " + events.error().message);
      continue;
    }
    if (t.last_events) {
      for (const auto& r : telemetry::check_monotonic(state.path, *t.last_events, *events))
        violation("sample " + std::to_string(sample.seq) + ": " + r.describe());
    }
    if (!t.first_events) t.first_events = *events;
    t.last_events = std::move(*events);
  }
  for (const auto& v : telemetry::check_caps_subset(caps_by_path))
    violation("sample " + std::to_string(sample.seq) + ": " + v.describe());
}

void RunAnalyzer::on_churn(const protocol::ChurnOp& op) {
  if (op.stage == "begin") {
    // The agent is about to detach or kill: absence is expected from here,
    // of the target's scheduler and, for a kill, of its subtree.
    auto expect_absent = [&](const std::string& path) {
      if (auto it = schedulers_.find(path); it != schedulers_.end()) it->second.churning = true;
    };
    for (const auto& target : op.targets) {
      const std::string path = protocol::scheduler_path(target);
      expect_absent(path);
      if (op.kind != protocol::ChurnKind::kSubtreeKill) continue;
      for (const auto& below : tree_.subtree(path)) expect_absent(below);
    }
    return;
  }
  ++churn_by_kind_[protocol::to_string(op.kind)];
  if (!op.ok) ++churn_errors_;
  if (op.kind == protocol::ChurnKind::kSubtreeKill && op.ok)
    for (const auto& target : op.targets)
      kills_.emplace_back(protocol::scheduler_path(target), op.t_ms);
  last_churn_ms_ = std::max(last_churn_ms_, op.t_ms);
}

void RunAnalyzer::on_tasks(const protocol::Sample& sample) {
  for (const auto& task : sample.tasks) {
    ++delegation_.task_samples;
    auto [it, fresh] = tasks_.try_emplace({task.workload, task.tid});
    TaskTrack& tt = it->second;
    auto& worst = delegation_.workload_max_stall_ms[task.workload];
    if (fresh || task.run_ns != tt.run_ns || task.state != "R") {
      tt.run_ns = task.run_ns;
      tt.since_ms = sample.t_ms;
      continue;
    }
    worst = std::max(worst, sample.t_ms - tt.since_ms);
  }
}

void RunAnalyzer::on_hier(SchedulerTrack& t, const telemetry::HierInterval& interval,
                          uint64_t t_ms) {
  // Injection accounting (-B 0): every attempt comes back as a reenq-cap
  // bounce right away (measured: inj=+N and reenq cap +N in the same
  // interval, every interval). Only an attempt whose bounce straddles the
  // print can show up one interval late, so at the end of each interval the
  // bounces seen must cover all attempts up to it but kInjectSlack.
  constexpr uint64_t kInjectSlack = 2;
  if (interval.inject_attempts > 0 || t.cum_inject > 0) {
    const std::string& path = t.summary.path;
    ++delegation_.injection_intervals[path];
    t.cum_reenq_cap += interval.reenq_cap;
    t.cum_inject += interval.inject_attempts;
    if (t.cum_reenq_cap + kInjectSlack < t.cum_inject) {
      ++delegation_.injection_shortfall_intervals[path];
      if (delegation_.injection_examples.size() < kMaxExamples)
        delegation_.injection_examples.push_back(
            path + " at " + std::to_string(t_ms) +
            " ms: " + std::to_string(t.cum_inject - t.cum_reenq_cap) +
            " injection attempts never came back as reenq-cap bounces (this interval: inj=+" +
            std::to_string(interval.inject_attempts) + " reenq cap +" +
            std::to_string(interval.reenq_cap) + ")");
    }
  }
  if (interval.inject_attempts > 0) t.inject_by_time.emplace_back(t_ms, interval.inject_attempts);
  t.intervals.emplace_back(t_ms, interval);
  if (t.intervals.size() > 16) t.intervals.erase(t.intervals.begin());
  t.summary.reenq_cap += interval.reenq_cap;
  t.summary.reenq_immed += interval.reenq_immed;
  t.summary.inject_attempts += interval.inject_attempts;
  t.summary.rescue_dispatches += interval.rescue;
}

void RunAnalyzer::fill(results::RunSummary& out) const {
  out.samples = samples_;
  out.invariant_violations = violations_;
  out.violation_examples = examples_;
  // Absences no exit ever explained.
  for (const auto& [path, t] : schedulers_) {
    out.invariant_violations += t.unexplained_absence.size();
    for (const auto& v : t.unexplained_absence)
      if (out.violation_examples.size() < kMaxExamples) out.violation_examples.push_back(v);
  }
  if (out.invariant_violations == 0 && agent_violations_ > 0) {
    // The agent saw something the host's re-check did not: keep both visible.
    out.invariant_violations = agent_violations_;
    out.violation_examples.push_back("agent reported " + std::to_string(agent_violations_) +
                                     " violations the host re-check did not reproduce");
  }
  out.churn_ops_by_kind = churn_by_kind_;
  out.churn_errors = churn_errors_;
  out.workloads = workloads_;
  out.schedulers.clear();
  for (const auto& [path, t] : schedulers_) {
    results::SchedulerSummary s = t.summary;
    // Intervals still open at the end of the stream count too.
    telemetry::HierParser tail = t.hier;
    if (auto last = tail.flush()) {
      s.reenq_cap += last->reenq_cap;
      s.reenq_immed += last->reenq_immed;
      s.inject_attempts += last->inject_attempts;
      s.rescue_dispatches += last->rescue;
    }
    for (const auto& [t_ms, n] : t.inject_by_time)
      if (t_ms <= last_sample_ms_) s.inject_attempts_sampled += n;
    if (t.last_caps) {
      for (const auto& [cap, cids] : *t.last_caps) {
        s.caps_last[cap] = cids.to_string();
        s.cids_held_last[cap] = static_cast<uint32_t>(cids.count());
        s.caps_changes.try_emplace(cap, 0);
      }
    }
    for (const auto& [cap, sets] : t.distinct) s.caps_distinct[cap] = sets.size();
    for (const auto& [event, n] : t.carried_deltas) s.event_deltas[event] += n;
    add_event_deltas(t.first_events, t.last_events, s.event_deltas);
    out.schedulers.push_back(std::move(s));
  }
  out.run_phase = {};
  if (run_phase_) {
    const auto& p = *run_phase_;
    out.run_phase.reported = true;
    out.run_phase.duration_ms = p.duration_ms;
    out.run_phase.phase_ms = p.phase_ms;
    out.run_phase.settle_ms = p.settle_ms;
    out.run_phase.last_churn_end_ms = p.last_churn_end_ms;
    out.run_phase.settled_at_ms = p.settled_at_ms;
    out.run_phase.settle_timed_out = p.settle_timed_out;
    out.run_phase.waiting_for = p.waiting_for;
    for (const auto& [kind, t] : p.churn)
      out.run_phase.churn[kind] = {t.scheduled, t.applied, t.failed, t.folded};
    out.run_phase.samples_taken = p.samples_taken;
    out.run_phase.samples_folded = p.samples_folded;
    out.run_phase.sample_max_late_ms = p.sample_max_late_ms;
  }
  out.agent_protocol_version = hello_ ? hello_->protocol_version : 0;
  out.delegation = delegation_;
  check_partition(out.delegation);
  check_evictions(out.delegation);
}

}  // namespace scxfarm::runner
