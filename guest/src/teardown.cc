// The end of a scenario: workloads stopped all at once, then schedulers one
// at a time, children before parents, each first asked and then killed.
#include <signal.h>

#include <algorithm>

#include "agent.h"

namespace scxfarm::agent {

void Agent::teardown() {
  restore_cpus();
  stop_children(false, SIGTERM, timeouts_.workload_term_ms, timeouts_.workload_kill_ms);
  stop_children(true, SIGINT, timeouts_.qmap_stop_ms, timeouts_.qmap_kill_ms);
  // Output still in flight from exited children (helpers may hold pipes).
  for (auto& c : children_) c->drain();
  if (auto state = read_text(paths_.sched_ext / "state", 4096)) {
    out_.log("info", "sched_ext state after teardown: " + trim(*state));
  }
}

void Agent::stop_children(bool schedulers, int first_signal, uint64_t grace_ms, uint64_t kill_ms) {
  std::vector<ChildProcess*> targets;
  for (auto it = children_.rbegin(); it != children_.rend(); ++it) {
    if ((*it)->is_scheduler == schedulers && !(*it)->exited) targets.push_back(it->get());
  }
  // Workloads all at once, each as a process group; schedulers one at a
  // time, children before parents (reverse start order).
  auto stop_batch = [&](const std::vector<ChildProcess*>& batch) {
    auto signal_all = [&](int sig) {
      for (ChildProcess* c : batch) {
        if (c->exited) continue;
        if (schedulers || ::kill(-c->pid, sig) != 0) ::kill(c->pid, sig);
      }
    };
    auto all_exited = [&] {
      return std::all_of(batch.begin(), batch.end(), [](ChildProcess* c) { return c->exited; });
    };
    for (ChildProcess* c : batch) c->stop_requested = true;
    signal_all(first_signal);
    if (!run_until(now_ms() + grace_ms, all_exited, 50)) {
      for (ChildProcess* c : batch) {
        if (!c->exited)
          out_.log("warn",
                   c->name + " ignored signal " + std::to_string(first_signal) + ": SIGKILL");
      }
      signal_all(SIGKILL);
      run_until(now_ms() + kill_ms, all_exited, 50);
    }
    for (ChildProcess* c : batch) {
      if (!schedulers) ::kill(-c->pid, SIGKILL);  // helpers left in its group
      if (!c->exited) {
        out_.log("error", c->name + " (pid " + std::to_string(c->pid) + ") survived SIGKILL");
        c->exit_code = -SIGKILL;
        on_child_exit(*c);
      }
    }
  };
  if (schedulers) {
    for (ChildProcess* c : targets) stop_batch({c});
  } else {
    stop_batch(targets);
  }
}

}  // namespace scxfarm::agent
