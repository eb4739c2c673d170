#include "scxfarm/runner/analyzer.h"

#include "scxfarm/telemetry/invariants.h"
#include "scxfarm/workloads/parsers.h"

namespace scxfarm::runner {

namespace {

void collect(const protocol::CgroupSpec& cg, const std::string& prefix, std::vector<std::string>& out) {
  const std::string path = prefix.empty() ? cg.name : prefix + "/" + cg.name;
  if (cg.has_scheduler) out.push_back(protocol::scheduler_path(path));
  for (const auto& child : cg.children) collect(child, path, out);
}

}  // namespace

std::vector<std::string> declared_schedulers(const protocol::ScenarioPlan& plan) {
  std::vector<std::string> out = {protocol::scheduler_path("")};
  for (const auto& cg : plan.cgroups) collect(cg, "", out);
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
  try {
    const auto& type = message.type;
    if (type == protocol::MessageType<protocol::Hello>::name) {
      hello_ = message.body.get<protocol::Hello>();
    } else if (type == protocol::MessageType<protocol::SchedulerAttached>::name) {
      auto m = message.body.get<protocol::SchedulerAttached>();
      auto& t = track(m.path);
      t.summary.attached = true;
      t.summary.attach_seconds = static_cast<double>(m.attach_ms) / 1000.0;
      t.summary.sysfs_dir = m.sysfs_dir;
    } else if (type == protocol::MessageType<protocol::Sample>::name) {
      on_sample(message.body.get<protocol::Sample>());
    } else if (type == protocol::MessageType<protocol::SchedulerOutput>::name) {
      auto m = message.body.get<protocol::SchedulerOutput>();
      auto& t = track(m.path);
      if (auto interval = t.hier.feed(m.line)) on_hier(t, *interval);
    } else if (type == protocol::MessageType<protocol::SchedulerExited>::name) {
      auto m = message.body.get<protocol::SchedulerExited>();
      if (!m.expected) {
        auto& t = track(m.path);
        t.summary.exited_unexpectedly = true;
        t.summary.exit_reason = m.last_output;
        unexpected_exits_.push_back(m);
      }
    } else if (type == protocol::MessageType<protocol::WorkloadDone>::name) {
      // The workload's results, parsed from the tail of its output.
      auto m = message.body.get<protocol::WorkloadDone>();
      results::WorkloadSummary w{m.name, m.kind, m.cgroup, m.exit_code, m.stopped};
      if (auto parsed = workloads::parse_workload_output(m.kind, m.output_tail); parsed) {
        w.values = parsed->values;
        w.units = parsed->units;
      } else if (workloads::has_parser(m.kind)) {
        w.parse_error = parsed.error().message;
      }
      workloads_.push_back(std::move(w));
    } else if (type == protocol::MessageType<protocol::ChurnOp>::name) {
      auto m = message.body.get<protocol::ChurnOp>();
      ++churn_by_kind_[m.kind];
      if (!m.ok) ++churn_errors_;
    } else if (type == protocol::MessageType<protocol::Verdict>::name) {
      verdict_ = message.body.get<protocol::Verdict>();
    }
  } catch (const nlohmann::json::exception&) {
    ++undecodable_;  // a message of a known type with the wrong shape
  }
}

void RunAnalyzer::on_sample(const protocol::Sample& sample) {
  ++samples_;
  agent_violations_ += sample.violations.size();
  std::map<std::string, telemetry::CapMap> caps_by_path;
  for (const auto& state : sample.schedulers) {
    if (!state.present) continue;
    auto& t = track(state.path);
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

void RunAnalyzer::on_hier(SchedulerTrack& t, const telemetry::HierInterval& interval) {
  t.summary.reenq_cap += interval.reenq_cap;
  t.summary.reenq_immed += interval.reenq_immed;
  t.summary.inject_attempts += interval.inject_attempts;
  t.summary.rescue_dispatches += interval.rescue;
}

void RunAnalyzer::fill(results::RunSummary& out) const {
  out.samples = samples_;
  out.invariant_violations = violations_;
  out.violation_examples = examples_;
  if (violations_ == 0 && agent_violations_ > 0) {
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
    if (t.last_caps) {
      for (const auto& [cap, cids] : *t.last_caps) {
        s.caps_last[cap] = cids.to_string();
        s.cids_held_last[cap] = static_cast<uint32_t>(cids.count());
        s.caps_changes.try_emplace(cap, 0);
      }
    }
    for (const auto& [cap, sets] : t.distinct) s.caps_distinct[cap] = sets.size();
    if (t.first_events && t.last_events) {
      for (const auto& [event, last] : *t.last_events) {
        auto first = t.first_events->find(event);
        uint64_t base = first == t.first_events->end() ? 0 : first->second;
        s.event_deltas[event] = last >= base ? last - base : 0;
      }
    }
    out.schedulers.push_back(std::move(s));
  }
}

std::vector<std::string> check_expectations(const config::ScenarioConfig& scenario,
                                            const results::RunSummary& summary) {
  std::vector<std::string> failures;
  std::map<std::string, const results::SchedulerSummary*> by_path;
  for (const auto& s : summary.schedulers) by_path[s.path] = &s;

  if (summary.samples == 0) failures.push_back("no samples were received");
  if (scenario.expect.all_schedulers_attach) {
    for (const auto& path : declared_schedulers(scenario.plan)) {
      auto it = by_path.find(path);
      if (it == by_path.end() || !it->second->attached)
        failures.push_back("scheduler " + path + " never attached");
    }
  }
  uint64_t churn = 0;
  for (const auto& [kind, n] : summary.churn_ops_by_kind) churn += n;
  if (churn < scenario.expect.min_churn_ops)
    failures.push_back("churn: " + std::to_string(churn) + " operations, expected at least " +
                       std::to_string(scenario.expect.min_churn_ops));
  if (summary.churn_errors > 0)
    failures.push_back("churn: " + std::to_string(summary.churn_errors) + " operations failed");
  for (const auto& cgroup : scenario.expect.caps_change) {
    const std::string path = protocol::scheduler_path(cgroup);
    auto it = by_path.find(path);
    uint64_t changes = 0;
    if (it != by_path.end())
      for (const auto& [cap, n] : it->second->caps_changes) changes += n;
    if (changes == 0) failures.push_back("caps of " + path + " never changed over the run");
  }
  if (summary.invariant_violations > 0)
    failures.push_back(std::to_string(summary.invariant_violations) +
                       " invariant violations (first: " +
                       (summary.violation_examples.empty() ? "?" : summary.violation_examples[0]) + ")");
  return failures;
}

}  // namespace scxfarm::runner
