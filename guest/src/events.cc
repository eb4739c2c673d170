// The agent's side of the event loop: a round of poll() and the reaping
// after it, waiting on a condition, and what its children do (print a line,
// exit).
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "agent.h"
#include "child.h"

namespace scxfarm::agent {

namespace {

std::string last_line(const std::string& text) {
  std::string t = trim(text);
  const auto nl = t.rfind('\n');
  return nl == std::string::npos ? t : t.substr(nl + 1);
}

}  // namespace

void Agent::pump(uint64_t max_wait_ms) {
  if (const int error = loop_.pump(max_wait_ms)) {
    out_.log("error", std::string("poll: ") + std::strerror(error));
    ::usleep(10'000);  // never spin on a broken poll
    return;
  }
  reap_children();  // cheap, and covers a coalesced SIGCHLD
}

bool Agent::run_until(uint64_t deadline_ms, const std::function<bool()>& done,
                      uint64_t recheck_ms) {
  while (true) {
    if (done()) return true;
    const uint64_t now = now_ms();
    if (now >= deadline_ms) return done();
    pump(std::min(recheck_ms, deadline_ms - now));
  }
}

ChildProcess& Agent::add_child() {
  children_.push_back(std::make_unique<ChildProcess>(
      [this](ChildProcess& child, const std::string& line) { on_child_line(child, line); }));
  loop_.add(*children_.back());
  return *children_.back();
}

void Agent::on_child_line(ChildProcess& child, const std::string& line) {
  if (line.empty()) return;
  if (child.is_scheduler) {
    const uint64_t t = t_ms();
    if (line.rfind("hier", 0) == 0) ++child.hier_lines;
    if (child.hier.feed(line)) {
      child.last_interval_t_ms = t;
      child.interval_seen = true;
    }
    out_.send(protocol::SchedulerOutput{child.name, t, line});
  } else if (options_.debug) {
    out_.log("debug", child.name + ": " + line);
  }
}

void Agent::reap_children() {
  while (true) {
    int status = 0;
    const pid_t pid = ::waitpid(-1, &status, WNOHANG);
    if (pid <= 0) return;  // none left to reap now (or no children)
    for (auto& c : children_) {
      if (c->pid != pid || c->exited) continue;
      c->exited = true;
      c->exit_code = exit_code_from_status(status);
      c->drain();  // its last words are already in the pipe
      on_child_exit(*c);
      break;
    }
    // Anything else is an orphan reparented to us (we are a subreaper): reaped.
  }
}

void Agent::on_child_exit(ChildProcess& child) {
  if (child.reported) return;
  child.reported = true;
  if (child.is_scheduler) {
    const bool expected = child.stop_requested && !child.attach_failed;
    out_.send(protocol::SchedulerExited{child.name, t_ms(), expected, child.exit_code,
                                        child.tail.text(),
                                        expected ? child.stop_cause : protocol::ExitCause::kNone});
    out_.log(expected ? "info" : "error", child.name + " (pid " + std::to_string(child.pid) +
                                              ") exited with " + std::to_string(child.exit_code) +
                                              (expected ? "" : ", unexpectedly") + ": " +
                                              last_line(child.tail.text()));
    if (!expected && scheduler_error_.empty()) {
      scheduler_error_ = child.attach_failed ? child.name + " did not attach"
                                             : child.name + " exited unexpectedly (" +
                                                   std::to_string(child.exit_code) +
                                                   "): " + last_line(child.tail.text());
    }
    if (child.name == protocol::scheduler_path("") && !child.stop_requested) root_exited_ = true;
  } else {
    out_.send(protocol::WorkloadDone{child.name, child.kind, child.cgroup, child.exit_code,
                                     child.stop_requested, child.tail.text()});
    out_.log(child.stop_requested ? "info" : "warn",
             "workload " + child.name + " exited with " + std::to_string(child.exit_code) +
                 (child.stop_requested ? " (stopped)" : " before the end of the run"));
  }
}

}  // namespace scxfarm::agent
