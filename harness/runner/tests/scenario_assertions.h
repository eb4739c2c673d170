// What the scenarios e2e test (analyzer_e2e_scenarios_test.cc) asserts on a
// scenario's run.json beyond "passed": each returns the problems it found
// (empty = holds). Kept here, JSON only, so that scenario_assertions_test.cc
// runs the same assertions on real recorded run.json files (testdata/runs/)
// and on copies with the property broken.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace scxfarm::e2e {

using nlohmann::json;
using Problems = std::vector<std::string>;

// The run's summary of scheduler PATH (an empty object when it has none).
inline const json& scheduler(const json& run, const std::string& path) {
  static const json none = json::object();
  auto all = run.find("schedulers");
  if (all == run.end()) return none;
  for (const auto& s : *all)
    if (s.value("path", "") == path) return s;
  return none;
}

inline uint64_t event_delta(const json& sched, const std::string& event) {
  return sched.value("event_deltas", json::object()).value(event, uint64_t{0});
}

inline uint64_t churn_ops(const json& run, const std::string& kind) {
  return run.value("churn_ops_by_kind", json::object()).value(kind, uint64_t{0});
}

// wrong-cid-rescue (rescue bandwidth on, -J wrong-cid on A): the injected
// dispatches to unheld cids are rescued, not bounced. The kernel's
// SCX_EV_SUB_RESCUE (root and A) grew by at least the attempts A made before
// the last sample, less the slack of the host's rescue check
// (runner/src/checks.cc: kRescueSlack = 2, an attempt straddling the
// sample), and not every attempt came back as a reenq-cap bounce.
inline Problems rescue_problems(const json& run, uint64_t min_attempts) {
  Problems out;
  const json& a = scheduler(run, "root/A");
  const uint64_t attempts = a.value("inject_attempts", uint64_t{0});
  const uint64_t sampled = a.value("inject_attempts_sampled", uint64_t{0});
  const uint64_t bounced = a.value("reenq_cap", uint64_t{0});
  const uint64_t rescued = event_delta(scheduler(run, "root"), "SCX_EV_SUB_RESCUE") +
                           event_delta(a, "SCX_EV_SUB_RESCUE");
  if (attempts < min_attempts)
    out.push_back("root/A made " + std::to_string(attempts) +
                  " injection attempts, expected at least " + std::to_string(min_attempts));
  if (sampled == 0) out.push_back("no injection attempt before the last sample");
  if (rescued + 2 < sampled)
    out.push_back("SCX_EV_SUB_RESCUE grew by " + std::to_string(rescued) + " for " +
                  std::to_string(sampled) + " attempts before the last sample");
  if (bounced >= attempts)
    out.push_back("bounced " + std::to_string(bounced) + " of " + std::to_string(attempts) +
                  " attempts with rescue on");
  return out;
}

// subtree-kill (SIGKILL of A's qmap, A1 below it): A and A1 exited because
// of the kill, B did not exit, and the host confirmed the eviction from the
// root qmap's own hier rows (it stopped listing A's cgroup after the kill),
// once per kill, without eviction failures.
inline Problems subtree_kill_problems(const json& run) {
  Problems out;
  const json d = run.value("delegation", json::object());
  const json causes = d.value("exit_causes", json::object());
  for (const char* path : {"root/A", "root/A/A1"})
    if (causes.value(path, "") != "subtree-kill")
      out.push_back(std::string(path) +
                    " did not exit by the subtree kill (exit_causes: " + causes.dump() + ")");
  if (causes.contains("root/B")) out.push_back("root/B exited: " + causes.dump());
  const uint64_t kills = churn_ops(run, "subtree-kill");
  if (kills != 1) out.push_back(std::to_string(kills) + " subtree-kill ops, expected 1");
  const uint64_t confirmed = d.value("evictions_confirmed", uint64_t{0});
  if (confirmed != kills)
    out.push_back(std::to_string(confirmed) +
                  " evictions confirmed from the parent's hier rows for " + std::to_string(kills) +
                  " kills");
  const json failures = d.value("eviction_failures", json::array());
  if (!failures.empty()) out.push_back("eviction failures: " + failures.dump());
  return out;
}

// hotplug-churn: the kernel's hotplug teardown and nothing else (see
// configs/scenarios/hotplug-churn.yaml): every hotplug op applied without
// error, the root disabled by the kernel ("unregistered from the main
// kernel", once or twice: qmap restarts it), A and B exited with "parent
// exiting", all as exits nobody asked for, and no other exit.
inline Problems hotplug_problems(const json& run) {
  Problems out;
  if (churn_ops(run, "hotplug") == 0) out.push_back("no hotplug op applied");
  if (run.value("churn_errors", uint64_t{0}) != 0)
    out.push_back(std::to_string(run.value("churn_errors", uint64_t{0})) + " churn ops failed");
  const json d = run.value("delegation", json::object());
  const json causes = d.value("exit_causes", json::object());
  const json reasons = d.value("exit_reasons", json::object());
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"root", "unregistered from the main kernel"},
      {"root/A", "parent exiting"},
      {"root/B", "parent exiting"}};
  for (const auto& [path, reason] : expected) {
    if (causes.value(path, "?") != "")
      out.push_back(path + " did not exit unasked (exit_causes: " + causes.dump() + ")");
    const json got = reasons.value(path, json::array());
    if (got.empty()) out.push_back(path + ": no exit reason recorded");
    for (const auto& r : got)
      if (r.get<std::string>().find(reason) == std::string::npos)
        out.push_back(path + " exited for '" + r.get<std::string>() + "', expected '" + reason +
                      "'");
  }
  if (causes.size() != expected.size()) out.push_back("other exits: " + causes.dump());
  return out;
}

}  // namespace scxfarm::e2e
