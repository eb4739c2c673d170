#include "agent.h"

#include <signal.h>
#include <sys/signalfd.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>

#include "agent_child.h"
#include "cgroups.h"
#include "child.h"
#include "faults.h"
#include "schedule.h"
#include "scxfarm/protocol/plan_check.h"
#include "topology_probe.h"

namespace scxfarm::agent {

namespace fs = std::filesystem;

namespace {

uint64_t monotonic_ms() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000 + static_cast<uint64_t>(ts.tv_nsec) / 1'000'000;
}

std::string join(const std::vector<std::string>& parts, const std::string& sep) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : sep) + p;
  return out;
}

std::string last_line(const std::string& text) {
  std::string t = trim(text);
  const auto nl = t.rfind('\n');
  return nl == std::string::npos ? t : t.substr(nl + 1);
}

}  // namespace

Timeouts Timeouts::scaled(double factor) const {
  if (factor <= 0) factor = 1;
  auto scale = [&](uint64_t ms) { return static_cast<uint64_t>(static_cast<double>(ms) * factor); };
  Timeouts t = *this;
  t.host_run_ms = scale(host_run_ms);
  t.workload_term_ms = scale(workload_term_ms);
  t.workload_kill_ms = scale(workload_kill_ms);
  t.qmap_stop_ms = scale(qmap_stop_ms);
  t.qmap_kill_ms = scale(qmap_kill_ms);
  t.final_flush_ms = scale(final_flush_ms);
  return t;
}

Agent::Agent(Paths paths, AgentOptions options, int port_fd, Timeouts timeouts)
    : paths_(std::move(paths)),
      options_(std::move(options)),
      timeouts_(timeouts),
      channel_(port_fd),
      sampler_(paths_) {
  sigset_t mask;
  sigemptyset(&mask);
  sigaddset(&mask, SIGCHLD);
  sigprocmask(SIG_BLOCK, &mask, nullptr);
  signal_fd_ = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
  boot_ms_ = now_ms();
}

Agent::~Agent() {
  for (auto& c : children_) {
    if (c->out_fd >= 0) ::close(c->out_fd);
  }
  if (signal_fd_ >= 0) ::close(signal_fd_);
}

uint64_t Agent::now_ms() const {
  return monotonic_ms();
}
uint64_t Agent::t_ms() const {
  return have_run_ ? now_ms() - run_start_ms_ : 0;
}

template <typename T>
void Agent::send(const T& message) {
  std::string line;
  try {
    line = protocol::encode(message);
  } catch (const std::exception&) {
    // Invalid UTF-8 from a child or the kernel: replace the bad bytes rather
    // than lose the message.
    nlohmann::json j = message;
    j["type"] = protocol::MessageType<T>::name;
    line = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  channel_.send(std::move(line));
}
template void Agent::send<protocol::ChurnOp>(const protocol::ChurnOp&);  // churn.cc

void Agent::log(const std::string& level, const std::string& text) {
  if (level == "debug" && !options_.debug) return;
  std::fprintf(stderr, "[scxfarm-agent %6.3f] %s: %s\n", (now_ms() - boot_ms_) / 1000.0,
               level.c_str(), text.c_str());
  send(protocol::Log{level, text});
}

void Agent::phase(const std::string& name) {
  log("info", "phase " + name);
  send(protocol::Phase{name, t_ms()});
}

// ---------------------------------------------------------------- event loop

void Agent::pump(uint64_t max_wait_ms) {
  std::vector<pollfd> fds;
  std::vector<Child*> owners;
  fds.push_back({signal_fd_, POLLIN, 0});
  owners.push_back(nullptr);
  const uint64_t now = now_ms();
  int port_index = -1;
  if (channel_.pollable(now)) {
    port_index = static_cast<int>(fds.size());
    fds.push_back({channel_.fd(), channel_.events(), 0});
    owners.push_back(nullptr);
  } else {
    max_wait_ms = std::min(max_wait_ms, channel_.reprobe_at_ms() - now);
  }
  for (auto& c : children_) {
    if (c->out_fd < 0) continue;
    fds.push_back({c->out_fd, POLLIN, 0});
    owners.push_back(c.get());
  }
  const int timeout = static_cast<int>(std::min<uint64_t>(max_wait_ms, 60'000));
  const int n = ::poll(fds.data(), fds.size(), timeout);
  if (n < 0 && errno != EINTR) {
    log("error", std::string("poll: ") + std::strerror(errno));
    ::usleep(10'000);  // never spin on a broken poll
    return;
  }
  if (n > 0) {
    for (size_t i = 0; i < fds.size(); ++i) {
      if (owners[i] && fds[i].revents) drain_output(*owners[i]);
    }
    if (port_index >= 0 && fds[port_index].revents) {
      channel_.on_poll(fds[port_index].revents, now_ms());
      while (auto line = channel_.next_incoming()) handle_host_line(*line);
    }
    if (fds[0].revents & POLLIN) {
      signalfd_siginfo info;
      while (::read(signal_fd_, &info, sizeof info) == sizeof info) {
      }
    }
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

void Agent::drain_output(Child& child) {
  if (child.out_fd < 0) return;
  char buf[16384];
  bool eof = false;
  while (true) {
    const ssize_t n = ::read(child.out_fd, buf, sizeof buf);
    if (n > 0) {
      child.tail.append(std::string_view(buf, static_cast<size_t>(n)));
      child.lines.feed(buf, static_cast<size_t>(n));
      while (auto line = child.lines.next()) on_child_line(child, *line);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    eof = n == 0 || errno != EAGAIN;
    break;
  }
  if (eof) {
    child.lines.feed("\n", 1);  // a last line without its newline
    while (auto line = child.lines.next()) on_child_line(child, *line);
    ::close(child.out_fd);
    child.out_fd = -1;
  }
}

void Agent::on_child_line(Child& child, const std::string& line) {
  if (line.empty()) return;
  if (child.is_scheduler) {
    const uint64_t t = t_ms();
    if (line.rfind("hier", 0) == 0) ++child.hier_lines;
    if (child.hier.feed(line)) {
      child.last_interval_t_ms = t;
      child.interval_seen = true;
    }
    send(protocol::SchedulerOutput{child.name, t, line});
  } else if (options_.debug) {
    log("debug", child.name + ": " + line);
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
      drain_output(*c);  // its last words are already in the pipe
      on_child_exit(*c);
      break;
    }
    // Anything else is an orphan reparented to us (we are a subreaper): reaped.
  }
}

void Agent::on_child_exit(Child& child) {
  if (child.reported) return;
  child.reported = true;
  if (child.is_scheduler) {
    const bool expected = child.stop_requested && !child.attach_failed;
    send(protocol::SchedulerExited{child.name, t_ms(), expected, child.exit_code, child.tail.text(),
                                   expected ? child.stop_cause : protocol::ExitCause::kNone});
    log(expected ? "info" : "error", child.name + " (pid " + std::to_string(child.pid) +
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
    send(protocol::WorkloadDone{child.name, child.kind, child.cgroup, child.exit_code,
                                child.stop_requested, child.tail.text()});
    log(child.stop_requested ? "info" : "warn",
        "workload " + child.name + " exited with " + std::to_string(child.exit_code) +
            (child.stop_requested ? " (stopped)" : " before the end of the run"));
  }
}

void Agent::handle_host_line(const std::string& line) {
  auto envelope = protocol::decode_line(line);
  if (!envelope) {
    log("warn",
        "ignoring a host line that is not a message (" + std::to_string(line.size()) + " bytes)");
    return;
  }
  if (envelope->type != protocol::MessageType<protocol::RunRequest>::name || have_run_) {
    log("debug", "ignoring host message of type " + envelope->type);
    return;
  }
  have_run_ = true;
  run_start_ms_ = now_ms();
  try {
    run_request_ = envelope->body.get<protocol::RunRequest>();
  } catch (const std::exception& e) {
    agent_error_ = std::string("malformed run message: ") + e.what();
  }
}

// ------------------------------------------------------------------ scenario

std::optional<protocol::AgentOutcome> Agent::run() {
  protocol::Hello hello;
  hello.protocol_version = protocol::kProtocolVersion;
  hello.agent_version = kAgentVersion;
  utsname uts{};
  if (::uname(&uts) == 0) hello.kernel_release = uts.release;
  const long cpus = ::sysconf(_SC_NPROCESSORS_ONLN);
  hello.nr_cpus = cpus > 0 ? static_cast<uint32_t>(cpus) : 0;
  if (auto uptime = read_text(paths_.proc / "uptime", 4096)) {
    hello.uptime_s = std::strtod(uptime->c_str(), nullptr);
  }
  send(hello);
  send(probe_topology());  // what the kernel sees, checked by the host
  std::fprintf(stderr, "[scxfarm-agent] hello queued (uptime %.2f s, %u cpus, %s)\n",
               hello.uptime_s, hello.nr_cpus, hello.kernel_release.c_str());

  const bool got_run = run_until(
      now_ms() + timeouts_.host_run_ms, [&] { return have_run_; }, 1000);
  if (!got_run) {
    log("error", "no run message from the host within " +
                     std::to_string(timeouts_.host_run_ms / 1000) + " s");
    final_flush();
    return std::nullopt;
  }
  log("info", "run message received (host connected: " +
                  std::string(channel_.connected() ? "yes" : "no") + ")");
  if (run_request_) run_scenario(run_request_->plan);

  const protocol::Verdict v = verdict();
  log("info", "verdict " + protocol::to_string(v.outcome) + ": " + v.reason);
  send(v);
  send(protocol::Bye{});
  final_flush();
  return v.outcome;
}

void Agent::run_scenario(const protocol::ScenarioPlan& plan) {
  if (const auto problems = protocol::check_plan(plan); !problems.empty()) {
    agent_error_ = "invalid plan:";
    for (const auto& p : problems) agent_error_ += (&p == &problems[0] ? " " : "; ") + p.describe();
    log("error", agent_error_);
    return;
  }
  timeouts_ = timeouts_.scaled(plan.timeout_scale);
  tree_.emplace(plan);
  log("info", "scenario " + plan.name + ": duration " + std::to_string(plan.duration_ms) +
                  " ms, sample every " + std::to_string(plan.sample_interval_ms) +
                  " ms, timeout scale " + std::to_string(plan.timeout_scale).substr(0, 4) +
                  " (attach " + std::to_string(protocol::attach_timeout_ms(plan)) + " ms)");
  phase("cgroups");
  auto built =
      create_cgroups(paths_, tree_->cgroups(), [&](const std::string& step) { log("info", step); });
  if (!built) {
    agent_error_ = "cgroups: " + built.error().message;
    log("error", agent_error_);
  } else {
    phase("schedulers");
    if (start_schedulers(plan)) {
      phase("workloads");
      if (start_workloads()) {
        phase("churn");
        arm_faults(plan.faults, [&](const std::string& line) { log("warn", line); });
        run_phase(plan);
      }
    }
  }
  phase("teardown");
  teardown();
}

bool Agent::start_schedulers(const protocol::ScenarioPlan& plan) {
  std::map<std::string, fs::path> dirs;
  for (const auto& node : tree_->schedulers()) {
    auto child = std::make_unique<Child>();
    child->is_scheduler = true;
    child->name = node.path;
    child->cgroup = node.cgroup;
    if (node.cgroup.empty()) {
      child->sysfs_dir = root_sysfs_dir(paths_);
    } else {
      auto id = cgroup_id(paths_.cgroup_root / node.cgroup);
      if (!id) {
        agent_error_ = node.path + ": " + id.error().message;
        log("error", agent_error_);
        return false;
      }
      child->cgroup_id = *id;
      child->sysfs_dir = sub_sysfs_dir(dirs.at(node.parent), *id);
    }
    child->argv = qmap_argv(paths_.qmap.string(), paths_.cgroup_root.string(), node,
                            plan.qmap_stats_interval_s);
    Child& c = *child;
    children_.push_back(std::move(child));
    if (!launch_scheduler(c, protocol::attach_timeout_ms(plan))) return false;
    dirs[c.name] = c.sysfs_dir;
  }
  return true;
}

bool Agent::launch_scheduler(Child& c, uint64_t attach_timeout_ms) {
  c.start_ms = now_ms();
  auto spawned = spawn_child({c.argv, {}, false});
  if (!spawned) {
    agent_error_ = c.name + ": " + spawned.error().message;
    log("error", agent_error_);
    // Nothing runs to stop or report: teardown would otherwise signal its
    // pid, -1 on a first start (kill(-1): every process) or a reaped one.
    c.exited = c.reported = true;
    return false;
  }
  c.pid = spawned->pid;
  c.out_fd = spawned->output_fd;
  log("info", "started " + c.name + " (pid " + std::to_string(c.pid) + "): " + join(c.argv, " ") +
                  "; waiting for " + c.sysfs_dir.string());

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
    log("error", c.name + " did not attach within " + std::to_string(attach_timeout_ms) +
                     " ms (no " + c.sysfs_dir.string() + ")");
    return false;  // teardown stops it and reports it
  }
  const uint64_t attach_ms = now_ms() - c.start_ms;
  send(protocol::SchedulerAttached{c.name, c.sysfs_dir.string(), c.cgroup_id, attach_ms, c.pid});
  log("info",
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
    auto child = std::make_unique<Child>();
    child->name = w.spec.name;
    child->kind = w.spec.kind;
    child->cgroup = w.cgroup;
    child->start_ms = now_ms();
    auto spawned = spawn_child({*argv, paths_.cgroup_root / w.cgroup, true});
    if (!spawned) {
      agent_error_ = "workload " + w.spec.name + ": " + spawned.error().message;
      log("error", agent_error_);
      return false;
    }
    child->pid = spawned->pid;
    child->out_fd = spawned->output_fd;
    log("info", "started workload " + w.spec.name + " (pid " + std::to_string(child->pid) +
                    ") in " + w.cgroup + ": " + join(*argv, " "));
    children_.push_back(std::move(child));
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
      log("warn", "the root scheduler exited: ending the run early");
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
        log("error", timeout_error_);
        break;
      }
    }
    uint64_t next = after < plan.duration_ms ? plan.duration_ms : hard_end;
    if (auto d = sample_timer_->next_deadline()) next = std::min(next, *d);
    if (auto d = churn.next_deadline()) next = std::min(next, *d);
    // Child output (hier lines) wakes the pump early; re-check then.
    pump(next > after ? next - after : 0);
  }
  report.phase_ms = now_ms() - start;
  report.last_churn_end_ms = last_churn_end_t_;
  for (const auto& [kind, n] : churn.folded_by_kind()) churn_tally_[kind].folded = n;
  for (const auto& [kind, tally] : churn_tally_) report.churn[protocol::to_string(kind)] = tally;
  report.samples_taken = sample_timer_->fired();
  report.samples_folded = sample_timer_->skipped();
  report.sample_max_late_ms = sample_timer_->max_late_ms();
  log("info", "run phase took " + std::to_string(report.phase_ms) + " ms (declared " +
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
  send(report);
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
  send(sample);
  for (const auto& w : sampler_.take_warnings()) log("warn", w);
}

// ------------------------------------------------------------------ teardown

void Agent::stop_children(bool schedulers, int first_signal, uint64_t grace_ms, uint64_t kill_ms) {
  std::vector<Child*> targets;
  for (auto it = children_.rbegin(); it != children_.rend(); ++it) {
    if ((*it)->is_scheduler == schedulers && !(*it)->exited) targets.push_back(it->get());
  }
  // Workloads all at once, each as a process group; schedulers one at a
  // time, children before parents (reverse start order).
  auto stop_batch = [&](const std::vector<Child*>& batch) {
    auto signal_all = [&](int sig) {
      for (Child* c : batch) {
        if (c->exited) continue;
        if (schedulers || ::kill(-c->pid, sig) != 0) ::kill(c->pid, sig);
      }
    };
    auto all_exited = [&] {
      return std::all_of(batch.begin(), batch.end(), [](Child* c) { return c->exited; });
    };
    for (Child* c : batch) c->stop_requested = true;
    signal_all(first_signal);
    if (!run_until(now_ms() + grace_ms, all_exited, 50)) {
      for (Child* c : batch) {
        if (!c->exited)
          log("warn", c->name + " ignored signal " + std::to_string(first_signal) + ": SIGKILL");
      }
      signal_all(SIGKILL);
      run_until(now_ms() + kill_ms, all_exited, 50);
    }
    for (Child* c : batch) {
      if (!schedulers) ::kill(-c->pid, SIGKILL);  // helpers left in its group
      if (!c->exited) {
        log("error", c->name + " (pid " + std::to_string(c->pid) + ") survived SIGKILL");
        c->exit_code = -SIGKILL;
        on_child_exit(*c);
      }
    }
  };
  if (schedulers) {
    for (Child* c : targets) stop_batch({c});
  } else {
    stop_batch(targets);
  }
}

void Agent::teardown() {
  restore_cpus();
  stop_children(false, SIGTERM, timeouts_.workload_term_ms, timeouts_.workload_kill_ms);
  stop_children(true, SIGINT, timeouts_.qmap_stop_ms, timeouts_.qmap_kill_ms);
  // Output still in flight from exited children (helpers may hold pipes).
  for (auto& c : children_) drain_output(*c);
  if (auto state = read_text(paths_.sched_ext / "state", 4096)) {
    log("info", "sched_ext state after teardown: " + trim(*state));
  }
}

protocol::Verdict Agent::verdict() const {
  protocol::Verdict v;
  v.samples = samples_;
  v.churn_ops = churn_ops_;
  if (!agent_error_.empty()) {
    v.outcome = protocol::AgentOutcome::kError;
    v.reason = agent_error_;
  } else if (!scheduler_error_.empty()) {
    v.outcome = protocol::AgentOutcome::kSchedulerError;
    v.reason = scheduler_error_;
  } else if (!timeout_error_.empty()) {
    v.outcome = protocol::AgentOutcome::kTimeout;
    v.reason = timeout_error_;
  } else if (violation_samples_ > 0) {
    v.outcome = protocol::AgentOutcome::kFail;
    v.reason = std::to_string(violation_samples_) + " of " + std::to_string(samples_) +
               " samples had invariant violations; first: " + join(first_violations_, "; ");
  } else {
    size_t schedulers = 0;
    for (const auto& c : children_) schedulers += c->is_scheduler;
    v.outcome = protocol::AgentOutcome::kPass;
    v.reason = std::to_string(schedulers) + " schedulers attached; " + std::to_string(samples_) +
               " samples, " + std::to_string(churn_ops_) + " churn ops, no violations";
  }
  return v;
}

void Agent::final_flush() {
  const bool flushed = run_until(
      now_ms() + timeouts_.final_flush_ms, [&] { return channel_.pending_bytes() == 0; }, 50);
  if (!flushed) {
    std::fprintf(stderr, "[scxfarm-agent] %zu bytes never reached the host\n",
                 channel_.pending_bytes());
  }
  if (channel_.dropped_lines() > 0) {
    std::fprintf(stderr, "[scxfarm-agent] %llu lines dropped (host not reading)\n",
                 static_cast<unsigned long long>(channel_.dropped_lines()));
  }
}

}  // namespace scxfarm::agent
