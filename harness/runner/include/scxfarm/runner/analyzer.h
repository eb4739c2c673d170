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
#include "scxfarm/results/run_summary.h"
#include "scxfarm/telemetry/hier.h"
#include "scxfarm/telemetry/sysfs.h"

namespace scxfarm::runner {

// Scheduler paths a plan declares, root first, in tree pre-order.
std::vector<std::string> declared_schedulers(const protocol::ScenarioPlan& plan);

class RunAnalyzer {
 public:
  static constexpr size_t kMaxExamples = 10;  // violations quoted verbatim in run.json

  void on_message(const protocol::Envelope& message);

  const std::optional<protocol::Hello>& hello() const { return hello_; }
  const std::optional<protocol::Verdict>& verdict() const { return verdict_; }
  const std::vector<protocol::SchedulerExited>& unexpected_exits() const { return unexpected_exits_; }
  uint64_t samples() const { return samples_; }
  size_t undecodable() const { return undecodable_; }

  // Fills the per-scheduler summaries, counts and violations of OUT.
  void fill(results::RunSummary& out) const;

 private:
  struct SchedulerTrack {
    results::SchedulerSummary summary;
    std::optional<telemetry::CapMap> last_caps;
    std::optional<telemetry::EventMap> first_events, last_events;
    std::map<std::string, std::set<std::string>> distinct;  // cap -> cid lists seen
    telemetry::HierParser hier;
  };
  SchedulerTrack& track(const std::string& path);
  void on_sample(const protocol::Sample& sample);
  void on_hier(SchedulerTrack& t, const telemetry::HierInterval& interval);
  void violation(const std::string& text);

  std::optional<protocol::Hello> hello_;
  std::optional<protocol::Verdict> verdict_;
  std::map<std::string, SchedulerTrack> schedulers_;
  std::vector<protocol::SchedulerExited> unexpected_exits_;
  std::map<std::string, uint64_t> churn_by_kind_;
  uint64_t churn_errors_ = 0;
  uint64_t samples_ = 0;
  uint64_t violations_ = 0;
  uint64_t agent_violations_ = 0;
  std::vector<std::string> examples_;
  std::vector<results::WorkloadSummary> workloads_;  // one per WorkloadDone, parsed
  size_t undecodable_ = 0;
};

// The scenario's expectations checked against a filled summary; each
// failure is one line naming what was expected and what was seen.
std::vector<std::string> check_expectations(const config::ScenarioConfig& scenario,
                                            const results::RunSummary& summary);

}  // namespace scxfarm::runner
