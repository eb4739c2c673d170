// The scenario's steps, in order: the cgroup tree, the schedulers (each
// awaited until attached), the workloads, then the run phase (churn on its
// schedule, samples on theirs, until the duration and a declared settle).
#include <algorithm>
#include <map>

#include "agent.h"
#include "cgroups.h"
#include "child.h"
#include "faults.h"
#include "scxfarm/protocol/plan_check.h"

namespace scxfarm::agent {

namespace fs = std::filesystem;

void Agent::run_scenario(const protocol::ScenarioPlan& plan) {
  if (const auto problems = protocol::check_plan(plan); !problems.empty()) {
    std::vector<std::string> described;
    for (const auto& p : problems) described.push_back(p.describe());
    agent_error_ = "invalid plan: " + text::join(described, "; ");
    out_.log("error", agent_error_);
    return;
  }
  timeouts_ = timeouts_.scaled(plan.timeout_scale);
  tree_.emplace(plan);
  out_.log("info", "scenario " + plan.name + ": duration " + std::to_string(plan.duration_ms) +
                       " ms, sample every " + std::to_string(plan.sample_interval_ms) +
                       " ms, timeout scale " + std::to_string(plan.timeout_scale).substr(0, 4) +
                       " (attach " + std::to_string(protocol::attach_timeout_ms(plan)) + " ms)");
  phase(protocol::ScenarioPhase::kCgroups);
  auto built = create_cgroups(paths_, tree_->cgroups(),
                              [&](const std::string& step) { out_.log("info", step); });
  if (!built) {
    agent_error_ = "cgroups: " + built.error().message;
    out_.log("error", agent_error_);
  } else {
    phase(protocol::ScenarioPhase::kSchedulers);
    if (start_schedulers(plan)) {
      phase(protocol::ScenarioPhase::kWorkloads);
      if (start_workloads()) {
        phase(protocol::ScenarioPhase::kChurn);
        arm_faults(plan.faults, [&](const std::string& line) { out_.log("warn", line); });
        run_phase(plan);
      }
    }
  }
  phase(protocol::ScenarioPhase::kTeardown);
  teardown();
}

bool Agent::start_schedulers(const protocol::ScenarioPlan& plan) {
  std::map<std::string, fs::path> dirs;
  for (const auto& node : tree_->schedulers()) {
    fs::path sysfs_dir = root_sysfs_dir(paths_);
    uint64_t id = 0;
    if (!node.cgroup.empty()) {
      auto found = cgroup_id(paths_.cgroup_root / node.cgroup);
      if (!found) {
        agent_error_ = node.path + ": " + found.error().message;
        out_.log("error", agent_error_);
        return false;
      }
      id = *found;
      sysfs_dir = sub_sysfs_dir(dirs.at(node.parent), id);
    }
    ChildProcess& c = add_child();
    c.is_scheduler = true;
    c.name = node.path;
    c.cgroup = node.cgroup;
    c.cgroup_id = id;
    c.sysfs_dir = sysfs_dir;
    c.argv = qmap_argv(paths_.qmap.string(), paths_.cgroup_root.string(), node,
                       plan.qmap_stats_interval_s);
    if (!launch_scheduler(c, protocol::attach_timeout_ms(plan))) return false;
    dirs[c.name] = c.sysfs_dir;
  }
  return true;
}

bool Agent::launch_scheduler(ChildProcess& c, uint64_t attach_timeout_ms) {
  c.start_ms = now_ms();
  auto spawned = spawn_child({c.argv, {}, false});
  if (!spawned) {
    agent_error_ = c.name + ": " + spawned.error().message;
    out_.log("error", agent_error_);
    // Nothing runs to stop or report: teardown would otherwise signal its
    // pid, -1 on a first start (every process) or a re-attach's reaped one.
    c.exited = c.reported = true;
    return false;
  }
  c.pid = spawned->pid;
  c.out_fd = spawned->output_fd;
  out_.log("info", "started " + c.name + " (pid " + std::to_string(c.pid) +
                       "): " + text::join(c.argv, " ") + "; waiting for " + c.sysfs_dir.string());

  const bool is_root = c.cgroup.empty();
  auto attached = [&] {
    std::error_code ec;
    if (!fs::is_directory(c.sysfs_dir, ec)) return false;
    if (!is_root) return true;
    auto state = read_text(paths_.sched_ext / "state", 4096);
    return state && trim(*state) == "enabled";
  };
  const bool ok = run_until(
      c.start_ms + attach_timeout_ms,
      [&] {
        maybe_sample();
        return c.exited || attached();
      },
      timeouts_.attach_poll_ms);
  if (c.exited) {
    // on_child_exit reported it as unexpected.
    return false;
  }
  if (!ok) {
    c.attach_failed = true;
    out_.log("error", c.name + " did not attach within " + std::to_string(attach_timeout_ms) +
                          " ms (no " + c.sysfs_dir.string() + ")");
    return false;  // teardown stops it and reports it
  }
  const uint64_t attach_ms = now_ms() - c.start_ms;
  out_.send(
      protocol::SchedulerAttached{c.name, c.sysfs_dir.string(), c.cgroup_id, attach_ms, c.pid});
  out_.log("info",
           c.name + " attached in " + std::to_string(attach_ms) + " ms at " + c.sysfs_dir.string());
  sampler_.track(c.name, c.sysfs_dir);
  return true;
}

bool Agent::start_workloads() {
  for (const auto& w : tree_->workloads()) {
    auto argv = workload_argv(w.spec);
    if (!argv) {  // check_plan already checked; kept for safety
      agent_error_ = argv.error().message;
      return false;
    }
    const uint64_t start_ms = now_ms();
    auto spawned = spawn_child({*argv, paths_.cgroup_root / w.cgroup, true});
    if (!spawned) {
      agent_error_ = "workload " + w.spec.name + ": " + spawned.error().message;
      out_.log("error", agent_error_);
      return false;
    }
    ChildProcess& c = add_child();
    c.name = w.spec.name;
    c.kind = w.spec.kind;
    c.cgroup = w.cgroup;
    c.start_ms = start_ms;
    c.pid = spawned->pid;
    c.out_fd = spawned->output_fd;
    out_.log("info", "started workload " + w.spec.name + " (pid " + std::to_string(c.pid) +
                         ") in " + w.cgroup + ": " + text::join(*argv, " "));
  }
  std::vector<std::pair<std::string, int>> groups;
  for (const auto& c : children_)
    if (!c->is_scheduler) groups.emplace_back(c->name, c->pid);
  sampler_.set_workloads(std::move(groups));
  return true;
}

void Agent::maybe_sample() {
  if (sample_timer_ && sample_timer_->fire(now_ms() - phase_start_ms_)) take_sample();
}

void Agent::run_phase(const protocol::ScenarioPlan& plan) {
  const uint64_t start = now_ms();
  const uint64_t start_t = t_ms();
  phase_start_ms_ = start;
  // The phase ends when the declared duration has passed, every scheduled
  // churn op has run, and a declared settle has happened; a settle that
  // never comes ends it SETTLE_TIMEOUT after the duration, as a timeout.
  const bool settle_declared = plan.settle_ms > 0;
  const uint64_t settle_timeout = protocol::scaled_ms(plan, protocol::kSettleTimeoutMs);
  const uint64_t hard_end = plan.duration_ms + settle_timeout;
  sample_timer_.emplace(plan.sample_interval_ms, 0, hard_end);
  ChurnScheduler churn(plan);
  for (const auto& [kind, n] : churn.scheduled_by_kind()) churn_tally_[kind].scheduled = n;
  last_churn_end_t_ = 0;
  protocol::RunPhaseReport report;
  report.duration_ms = plan.duration_ms;
  report.settle_ms = plan.settle_ms;
  uint64_t late_churn = 0;
  while (true) {
    const uint64_t now = now_ms() - start;
    for (const auto& op : churn.due(now)) {
      if (op.late_ms > 50) ++late_churn;
      apply_churn(op, plan);
    }
    maybe_sample();
    if (root_exited_) {
      out_.log("warn", "the root scheduler exited: ending the run early");
      break;
    }
    const uint64_t after = now_ms() - start;
    if (after >= plan.duration_ms && churn.finished()) {
      if (!settle_declared) break;
      const std::string pending = settle_pending(plan);
      if (pending.empty()) {
        report.settled_at_ms = t_ms();
        break;
      }
      if (after >= hard_end) {
        report.settle_timed_out = true;
        report.waiting_for = pending;
        timeout_error_ = "run phase: no settle " + std::to_string(after - plan.duration_ms) +
                         " ms past the declared " + std::to_string(plan.duration_ms) +
                         " ms; waited for " + pending;
        out_.log("error", timeout_error_);
        break;
      }
    }
    uint64_t next = after < plan.duration_ms ? plan.duration_ms : hard_end;
    if (auto d = sample_timer_->next_deadline()) next = std::min(next, *d);
    if (auto d = churn.next_deadline()) next = std::min(next, *d);
    // ChildProcess output (hier lines) wakes the pump early; re-check then.
    pump(next > after ? next - after : 0);
  }
  report.phase_ms = now_ms() - start;
  report.last_churn_end_ms = last_churn_end_t_;
  for (const auto& [kind, n] : churn.folded_by_kind()) churn_tally_[kind].folded = n;
  for (const auto& [kind, tally] : churn_tally_) report.churn[protocol::to_string(kind)] = tally;
  report.samples_taken = sample_timer_->fired();
  report.samples_folded = sample_timer_->skipped();
  report.sample_max_late_ms = sample_timer_->max_late_ms();
  out_.log("info",
           "run phase took " + std::to_string(report.phase_ms) + " ms (declared " +
               std::to_string(plan.duration_ms) + " ms" +
               (report.settled_at_ms ? ", settled at t=" + std::to_string(report.settled_at_ms) +
                                           " ms, last churn op ended at t=" +
                                           std::to_string(last_churn_end_t_) + " ms"
                                     : std::string()) +
               ", phase started at t=" + std::to_string(start_t) + " ms); samples " +
               std::to_string(sample_timer_->fired()) + " (folded " +
               std::to_string(sample_timer_->skipped()) + ", max late " +
               std::to_string(sample_timer_->max_late_ms()) + " ms); churn ops " +
               std::to_string(churn.fired()) + " (folded " + std::to_string(churn.skipped()) +
               ", late >50 ms " + std::to_string(late_churn) + ", max late " +
               std::to_string(churn.max_late_ms()) + " ms); transient caps mismatches " +
               std::to_string(sampler_.transient_subset_violations()));
  out_.send(report);
  sample_timer_.reset();
}

std::string Agent::settle_pending(const protocol::ScenarioPlan& plan) const {
  const uint64_t now = t_ms();
  const uint64_t since = last_churn_end_t_;
  if (now < since + plan.settle_ms)
    return std::to_string(plan.settle_ms) +
           " ms of settle after the last churn op (ended at t=" + std::to_string(since) + " ms)";
  const uint64_t need = since + protocol::settle_window_ms(plan);
  uint64_t latest = 0;
  std::string lacking;
  for (const auto& c : children_) {
    if (!c->is_scheduler || c->exited || c->attach_failed || c->stop_requested) continue;
    if (!c->interval_seen || c->last_interval_t_ms < need) {
      lacking +=
          (lacking.empty() ? "" : ", ") + c->name + " (last: " +
          (c->interval_seen ? "t=" + std::to_string(c->last_interval_t_ms) + " ms" : "none") + ")";
      continue;
    }
    latest = std::max(latest, c->last_interval_t_ms);
  }
  if (!lacking.empty())
    return "a qmap interval completed after t=" + std::to_string(need) + " ms from " + lacking;
  if (last_sample_t_ < latest)
    return "a sample after the settled intervals (t=" + std::to_string(latest) + " ms)";
  return "";
}

void Agent::take_sample() {
  last_sample_t_ = t_ms();
  protocol::Sample sample = sampler_.take(sample_seq_++, last_sample_t_);
  ++samples_;
  if (!sample.violations.empty()) {
    ++violation_samples_;
    for (const auto& v : sample.violations) {
      if (first_violations_.size() < 3) first_violations_.push_back(v);
    }
  }
  out_.send(sample);
  for (const auto& w : sampler_.take_warnings()) out_.log("warn", w);
}

}  // namespace scxfarm::agent
