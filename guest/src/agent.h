// The in-guest agent: talks to the host over the control port, builds the
// cgroup tree, starts the qmaps and the workloads, samples sysfs, applies
// churn, tears everything down and reports a verdict.
//
// Its implementation is split along its seams:
//   agent.cc     the life (hello, run message, verdict, flush) and the host's lines
//   events.cc    the event loop's rounds and what children do (output, exits)
//   steps.cc     the scenario's steps: cgroups, schedulers, workloads, run phase
//   churn.cc     the churn operations
//   teardown.cc  stopping every child at the end
// with the generic pieces in event_loop.h (EventSource, EventLoop),
// sender.h (messages and log lines out) and children.h (one child process).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "channel.h"
#include "children.h"
#include "commands.h"
#include "event_loop.h"
#include "paths.h"
#include "sampler.h"
#include "schedule.h"
#include "scxfarm/protocol/messages.h"
#include "scxfarm/protocol/plan_tree.h"
#include "sender.h"
#include "sys_io.h"

namespace scxfarm::agent {

inline constexpr const char* kAgentVersion = "0.1.0";

// Bounded waits, before scaling: the plan's timeout_scale (the host's
// timeout table factor) multiplies them once the run message arrives. TCG is
// slow: a root qmap takes 3-6.5 s to load on machines of this kind.
struct Timeouts {
  uint64_t host_run_ms = 600'000;     // hello -> run message
  uint64_t workload_term_ms = 2'000;  // SIGTERM -> SIGKILL
  uint64_t workload_kill_ms = 5'000;  // SIGKILL -> give up waiting
  uint64_t qmap_stop_ms = 15'000;     // SIGINT -> SIGKILL
  uint64_t qmap_kill_ms = 5'000;
  uint64_t final_flush_ms = 30'000;  // verdict -> power off
  uint64_t attach_poll_ms = 20;      // sysfs is not pollable: re-check period (never scaled)

  // Every wait but the poll period times FACTOR.
  Timeouts scaled(double factor) const;
};

class Agent {
 public:
  // PORT_FD: the opened control port (owned). The agent blocks SIGCHLD and
  // reads it through a signalfd.
  Agent(Paths paths, AgentOptions options, int port_fd, Timeouts timeouts = {});
  ~Agent();
  Agent(const Agent&) = delete;
  Agent& operator=(const Agent&) = delete;

  // The whole life: hello, wait for run, scenario, verdict, flush. Returns
  // the verdict's outcome, or nullopt when the host never sent a run.
  std::optional<protocol::AgentOutcome> run();

 private:
  // agent.cc
  uint64_t now_ms() const { return monotonic_ms(); }
  uint64_t t_ms() const;  // since the run message
  void phase(protocol::ScenarioPhase name);
  void handle_host_line(const std::string& line);
  protocol::Verdict verdict() const;
  void final_flush();

  // events.cc: one round of the loop (then reap), rounds until DONE.
  void pump(uint64_t max_wait_ms);
  bool run_until(uint64_t deadline_ms, const std::function<bool()>& done, uint64_t recheck_ms);
  // A child to start: registered with the loop, tracked until the end.
  ChildProcess& add_child();
  void reap_children();
  void on_child_line(ChildProcess& child, const std::string& line);
  void on_child_exit(ChildProcess& child);

  // steps.cc: false ends the scenario early (with a verdict reason set).
  void run_scenario(const protocol::ScenarioPlan& plan);
  bool start_schedulers(const protocol::ScenarioPlan& plan);
  // Spawns C's qmap (C.argv) and waits until its sysfs dir shows; sends
  // SchedulerAttached and tracks it. False: it exited or never attached.
  bool launch_scheduler(ChildProcess& c, uint64_t attach_timeout_ms);
  bool start_workloads();
  void run_phase(const protocol::ScenarioPlan& plan);
  // What a declared settle still lacks ("" = settled): settle_ms since the
  // last churn op, a completed qmap interval of every live scheduler after
  // the settle window, and a sample after those intervals.
  std::string settle_pending(const protocol::ScenarioPlan& plan) const;
  void maybe_sample();
  void take_sample();

  // churn.cc: one due op; blocking ops keep sampling while they wait.
  void apply_churn(const DueChurnOp& op, const protocol::ScenarioPlan& plan);
  bool detach_attach(ChildProcess& c, const protocol::ScenarioPlan& plan, std::string& detail);
  bool subtree_kill(ChildProcess& c, std::string& detail);
  ChildProcess* scheduler_child(const std::string& cgroup);
  void restore_cpus();

  // teardown.cc
  void teardown();
  void stop_children(bool schedulers, int first_signal, uint64_t grace_ms, uint64_t kill_ms);

  Paths paths_;
  AgentOptions options_;
  Timeouts timeouts_;
  Channel channel_;
  Sender out_;
  EventLoop loop_;
  ChildSignals child_signals_;
  PortSource port_;
  uint64_t run_start_ms_ = 0;
  bool have_run_ = false;
  std::optional<protocol::RunRequest> run_request_;
  std::optional<protocol::PlanTree> tree_;  // of the plan being run

  std::vector<std::unique_ptr<ChildProcess>> children_;  // start order
  Sampler sampler_;
  uint64_t sample_seq_ = 0, samples_ = 0, churn_ops_ = 0, churn_failures_ = 0;
  uint64_t violation_samples_ = 0;
  std::vector<std::string> first_violations_;
  std::string agent_error_, scheduler_error_;
  bool root_exited_ = false;
  std::string timeout_error_;  // a declared settle never came (verdict "timeout")
  // Run phase accounting (stream times, ms since the run message).
  uint64_t last_churn_end_t_ = 0, last_sample_t_ = 0;
  std::map<protocol::ChurnKind, protocol::ChurnTally> churn_tally_;
  // Run phase: the sample timer, so blocking churn ops keep sampling.
  std::optional<PeriodicTimer> sample_timer_;
  uint64_t phase_start_ms_ = 0;
  std::vector<int> offline_cpus_;  // hotplug churn: brought back at teardown
};

}  // namespace scxfarm::agent
