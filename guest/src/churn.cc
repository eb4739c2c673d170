// The agent's churn operations: one due op of the plan's seeded schedule
// (schedule.h) applied to the guest. Instant ops (weights, hotplug, migrate)
// send one ChurnOp; ops that take time (detach-attach, subtree-kill) send a
// "begin" ChurnOp before they act and an "end" one when the kernel has done
// what it promises, and keep sampling while they wait.
#include <signal.h>

#include <algorithm>

#include "agent.h"
#include "cgroups.h"

namespace scxfarm::agent {

namespace fs = std::filesystem;

namespace {

constexpr uint64_t kReattachPauseMs = 1000;

// What OP acts on, for the log: "A,B" or "cpu3".
std::string acted_on(const DueChurnOp& op) {
  if (op.kind == protocol::ChurnKind::kHotplug) return "cpu" + std::to_string(op.cpu);
  return text::join(op.targets, ",");
}

bool is_dir(const fs::path& dir) {
  std::error_code ec;
  return fs::is_directory(dir, ec);
}

}  // namespace

ChildProcess* Agent::scheduler_child(const std::string& cgroup) {
  for (auto& c : children_)
    if (c->is_scheduler && c->cgroup == cgroup) return c.get();
  return nullptr;
}

void Agent::restore_cpus() {
  const fs::path cpu_dir = paths_.sched_ext.parent_path().parent_path() / "devices/system/cpu";
  for (int cpu : offline_cpus_) {
    if (auto s = set_cpu_online(cpu_dir, cpu, true); !s)
      out_.log("error", "cpu" + std::to_string(cpu) + " back online: " + s.error().message);
  }
  offline_cpus_.clear();
}

void Agent::apply_churn(const DueChurnOp& op, const protocol::ScenarioPlan& plan) {
  using protocol::ChurnKind;
  protocol::ChurnOp msg;
  msg.kind = op.kind;
  msg.targets = op.targets;
  Result<std::string> done = make_error("no churn op");
  switch (op.kind) {
    case ChurnKind::kWeightSwap:
      done = swap_weights(paths_, op.targets[0], op.targets[1]);
      break;
    case ChurnKind::kWeightRandom:
      if (auto s = write_weight(paths_, op.targets[0], op.weight); s) {
        done = op.targets[0] + "=" + std::to_string(op.weight);
      } else {
        done = s.error();
      }
      break;
    case ChurnKind::kHotplug: {
      msg.cpu = op.cpu;
      const fs::path cpu_dir = paths_.sched_ext.parent_path().parent_path() / "devices/system/cpu";
      if (auto s = set_cpu_online(cpu_dir, op.cpu, op.online); s) {
        done = "cpu" + std::to_string(op.cpu) + (op.online ? " online" : " offline");
        if (op.online) {
          std::erase(offline_cpus_, op.cpu);
        } else {
          offline_cpus_.push_back(op.cpu);
        }
      } else {
        done = s.error();
      }
      break;
    }
    case ChurnKind::kMigrate:
      done = migrate_one(paths_, op.targets[0], op.targets[1], op.pick, op.forward);
      break;
    case ChurnKind::kDetachAttach:
    case ChurnKind::kSubtreeKill: {
      ChildProcess* c = scheduler_child(op.targets[0]);
      if (!c || c->exited || c->attach_failed) {
        done = make_error(op.targets[0] + ": no running scheduler");
        break;
      }
      protocol::ChurnOp begin = msg;
      begin.stage = "begin";
      begin.t_ms = t_ms();
      out_.send(begin);
      msg.stage = "end";
      std::string detail;
      const bool ok = op.kind == ChurnKind::kDetachAttach ? detach_attach(*c, plan, detail)
                                                          : subtree_kill(*c, detail);
      done = ok ? Result<std::string>(detail) : make_error(detail);
      break;
    }
  }
  msg.t_ms = t_ms();
  last_churn_end_t_ = msg.t_ms;  // the settle counts from here
  if (done) {
    msg.detail = *done;
    ++churn_ops_;
    ++churn_tally_[op.kind].applied;
  } else {
    ++churn_tally_[op.kind].failed;
    msg.ok = false;
    msg.error = done.error().message;
    ++churn_failures_;
    const std::string what = "churn " + protocol::to_string(op.kind);
    if (agent_error_.empty()) agent_error_ = what + ": " + msg.error;
    out_.log("error", what + " " + acted_on(op) + ": " + msg.error);
  }
  out_.send(msg);
}

bool Agent::detach_attach(ChildProcess& c, const protocol::ScenarioPlan& plan,
                          std::string& detail) {
  const uint64_t t0 = now_ms();
  c.stop_requested = true;
  c.stop_cause = protocol::ExitCause::kDetachAttach;
  ::kill(c.pid, SIGINT);
  const bool gone = run_until(
      t0 + timeouts_.qmap_stop_ms,
      [&] {
        maybe_sample();
        return c.exited && !is_dir(c.sysfs_dir);
      },
      timeouts_.attach_poll_ms);
  if (!gone) {
    detail = c.name + ": " + (c.exited ? c.sysfs_dir.string() + " still present" : "did not exit") +
             " " + std::to_string(now_ms() - t0) + " ms after SIGINT";
    return false;
  }
  const uint64_t detached_ms = now_ms() - t0;
  // Give the kernel a moment after the dir goes before the same cgroup
  // gets a new sub-scheduler (keeps sampling meanwhile).
  run_until(
      now_ms() + kReattachPauseMs,
      [&] {
        maybe_sample();
        return false;
      },
      timeouts_.attach_poll_ms);
  // A fresh instance at the same place.
  if (c.out_fd >= 0) c.drain();
  c.exited = c.reported = c.stop_requested = c.attach_failed = false;
  c.stop_cause = protocol::ExitCause::kTeardown;
  c.exit_code = 0;
  c.lines = protocol::LineBuffer();
  c.hier = telemetry::HierParser();
  c.hier_lines = 0;
  c.interval_seen = false;
  const uint64_t attach_timeout = protocol::attach_timeout_ms(plan);
  if (!launch_scheduler(c, attach_timeout)) {
    detail = c.name + ": did not re-attach";
    return false;
  }
  const uint64_t attached_ms = now_ms() - t0 - detached_ms;
  // Re-attached means working: the new instance has printed its first hier
  // line (qmap prints them every -i seconds once its scheduler runs).
  const uint64_t t_attached = now_ms();
  const bool printing = run_until(
      t_attached + attach_timeout,
      [&] {
        maybe_sample();
        return c.exited || c.hier_lines > 0;
      },
      timeouts_.attach_poll_ms);
  if (!printing || c.exited) {
    detail = c.name + ": re-attached in " + std::to_string(attached_ms) +
             " ms but printed no hier line within " + std::to_string(attach_timeout) + " ms";
    return false;
  }
  detail = c.name + " detached in " + std::to_string(detached_ms) + " ms, re-attached in " +
           std::to_string(attached_ms) + " ms, first hier line after " +
           std::to_string(now_ms() - t_attached) + " ms more";
  return true;
}

bool Agent::subtree_kill(ChildProcess& c, std::string& detail) {
  // The killed qmap and every sub-scheduler below it leave with it.
  std::vector<ChildProcess*> subtree;
  for (const auto& path : tree_->subtree(c.name)) {
    for (auto& other : children_)
      if (other->is_scheduler && !other->exited && other->name == path)
        subtree.push_back(other.get());
  }
  for (ChildProcess* s : subtree) {
    s->stop_requested = true;
    s->stop_cause = protocol::ExitCause::kSubtreeKill;
  }
  const uint64_t t0 = now_ms();
  ::kill(c.pid, SIGKILL);
  const bool evicted = run_until(
      t0 + timeouts_.qmap_stop_ms,
      [&] {
        maybe_sample();
        return std::all_of(subtree.begin(), subtree.end(),
                           [](ChildProcess* s) { return !is_dir(s->sysfs_dir); }) &&
               c.exited;
      },
      timeouts_.attach_poll_ms);
  if (!evicted) {
    detail = c.name + ": " + c.sysfs_dir.string() + " still present " +
             std::to_string(now_ms() - t0) + " ms after SIGKILL";
    return false;
  }
  detail = c.name + " evicted with " + std::to_string(subtree.size() - 1) + " sub-schedulers in " +
           std::to_string(now_ms() - t0) + " ms";
  return true;
}

}  // namespace scxfarm::agent
