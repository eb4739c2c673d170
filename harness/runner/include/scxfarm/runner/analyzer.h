// Turns the agent's message stream into a RunSummary, re-checking every
// invariant on the host from the raw sysfs text the agent sent: the verdict
// does not rest on the agent's word alone.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "scxfarm/config/model.h"
#include "scxfarm/protocol/messages.h"
#include "scxfarm/protocol/plan_tree.h"
#include "scxfarm/results/run_summary.h"
#include "scxfarm/telemetry/hier.h"
#include "scxfarm/telemetry/sysfs.h"

namespace scxfarm::runner {

// Scheduler paths a plan declares, root first, in tree pre-order
// (protocol::PlanTree::schedulers).
std::vector<std::string> declared_schedulers(const protocol::ScenarioPlan& plan);

class RunAnalyzer {
 public:
  static constexpr size_t kMaxExamples = 10;  // violations quoted verbatim in run.json

  // PLAN: what was sent to the agent (its tree says which schedulers a
  // subtree-kill takes and whose parent lists whom; its qmap interval sets
  // the settle window of the partition and eviction checks).
  RunAnalyzer() : RunAnalyzer(protocol::ScenarioPlan{}) {}
  explicit RunAnalyzer(const protocol::ScenarioPlan& plan)
      : tree_(plan), settle_window_ms_(protocol::settle_window_ms(plan)) {}

  void on_message(const protocol::Envelope& message);

  const std::optional<protocol::Hello>& hello() const { return hello_; }
  const std::optional<protocol::Verdict>& verdict() const { return verdict_; }
  const std::vector<protocol::SchedulerExited>& unexpected_exits() const {
    return unexpected_exits_;
  }
  uint64_t samples() const { return samples_; }
  size_t undecodable() const { return undecodable_; }

  // Fills the per-scheduler summaries, counts and violations of OUT.
  void fill(results::RunSummary& out) const;

 private:
  struct SchedulerTrack {
    results::SchedulerSummary summary;
    std::optional<telemetry::CapMap> last_caps;
    std::optional<telemetry::EventMap> first_events, last_events;
    std::map<std::string, uint64_t> carried_deltas;         // event deltas of earlier instances
    std::map<std::string, std::set<std::string>> distinct;  // cap -> cid lists seen
    telemetry::HierParser hier;
    uint64_t cgroup_id = 0;
    bool churning = false;       // detached or being killed by the agent's churn
    bool gone = false;           // exited (expected or not): absence is no violation
    bool exited_in_run = false;  // exited before teardown (evicted, killed, detached)
    // The kernel disabled this instance (qmap printed "EXIT: ...") unasked;
    // cleared when it is back in sysfs (qmap restarted in-process) or re-attached.
    bool kernel_exited = false;
    bool absent_since_exit = false;  // missing from sysfs since that EXIT line
    // "missing from sysfs" while expected alive, not yet explained: an exit
    // reported later (its EXIT line, its process exit) explains them; coming
    // back without one, or the end of the stream, makes them violations.
    std::vector<std::string> unexplained_absence;
    // -J wrong-cid accounting over completed hier intervals.
    uint64_t cum_inject = 0, cum_reenq_cap = 0;
    // Injection attempts per completed interval, with its stream time (all).
    std::vector<std::pair<uint64_t, uint64_t>> inject_by_time;
    // Completed hier intervals with the stream time they completed at (last few).
    std::vector<std::pair<uint64_t, telemetry::HierInterval>> intervals;
  };
  struct TaskTrack {
    uint64_t run_ns = 0;
    uint64_t since_ms = 0;  // when it was last seen making progress (or not runnable)
  };
  SchedulerTrack& track(const std::string& path);
  void on_attached(const protocol::SchedulerAttached& m);
  void on_exited(const protocol::SchedulerExited& m);
  void on_workload_done(const protocol::WorkloadDone& m);
  void on_sample(const protocol::Sample& sample);
  void on_tasks(const protocol::Sample& sample);
  void on_hier(SchedulerTrack& t, const telemetry::HierInterval& interval, uint64_t t_ms);
  void on_churn(const protocol::ChurnOp& op);
  void on_output(const protocol::SchedulerOutput& m);
  // An exit of T nobody asked for, for REASON (qmap's EXIT line text).
  void record_unasked_exit(SchedulerTrack& t, const std::string& reason);
  void check_partition(results::DelegationChecks& out) const;
  void check_evictions(results::DelegationChecks& out) const;
  void violation(const std::string& text);

  protocol::PlanTree tree_;
  uint64_t settle_window_ms_;
  std::optional<protocol::RunPhaseReport> run_phase_;
  std::optional<protocol::Hello> hello_;
  std::optional<protocol::Verdict> verdict_;
  std::map<std::string, SchedulerTrack> schedulers_;
  std::vector<protocol::SchedulerExited> unexpected_exits_;
  std::map<std::string, uint64_t> churn_by_kind_;
  uint64_t last_churn_ms_ = 0;                           // stream time of the last churn op
  std::vector<std::pair<std::string, uint64_t>> kills_;  // subtree-kill: scheduler path, end time
  uint64_t last_sample_ms_ = 0;
  bool teardown_ = false;  // the agent started tearing down: schedulers may vanish
  std::map<std::pair<std::string, int>, TaskTrack> tasks_;
  results::DelegationChecks delegation_;
  uint64_t churn_errors_ = 0;
  uint64_t samples_ = 0;
  uint64_t violations_ = 0;
  uint64_t agent_violations_ = 0;
  std::vector<std::string> examples_;
  std::vector<results::WorkloadSummary> workloads_;  // one per WorkloadDone, parsed
  size_t undecodable_ = 0;
};

// The scenario's expectations checked against a filled summary; each
// failure names its check and subject, and its text says what was expected
// and what was seen. Beyond the
// basics (attach, churn counts, caps changes, invariants): declared and
// undeclared scheduler exits (a declared one with a reason must exit for
// that reason, every time), liveness (expect.max_starvation_ms), settled
// partition vs caps, and the -J wrong-cid injection accounting.
std::vector<results::Failure> check_expectations(const config::ScenarioConfig& scenario,
                                                 const results::RunSummary& summary);

}  // namespace scxfarm::runner
