#include "scxfarm/compare/samples.h"

#include <cmath>
#include <map>
#include <set>

#include "scxfarm/results/failure.h"
#include "scxfarm/results/outcome.h"

namespace scxfarm::compare {

namespace {

using results::Outcome;

// Infra errors (the farm's fault) and skipped runs (the kernel lacks a
// required feature: no VM ran) say nothing about the kernel's behaviour.
bool is_verdict(const results::RunSummary& run) {
  return run.outcome != Outcome::kInfraError && run.outcome != Outcome::kSkipped;
}

// The runs of SIDE in repetition order (suite.json is in matrix order
// already; sorting keeps the values' order stable if it ever is not).
std::vector<const results::RunSummary*> runs_in_order(const SuiteSide& side) {
  std::vector<const results::RunSummary*> runs;
  for (const auto& run : side.record.runs) runs.push_back(&run);
  std::stable_sort(runs.begin(), runs.end(),
                   [](const auto* a, const auto* b) { return a->repeat_index < b->repeat_index; });
  return runs;
}

void add_metrics(const SuiteSide& side, bool is_baseline, std::map<MetricKey, MetricSamples>& out) {
  for (const auto* run : runs_in_order(side)) {
    if (!is_verdict(*run)) continue;
    for (const auto& workload : run->workloads) {
      const auto kind = protocol::from_string<protocol::WorkloadKind>(workload.kind);
      if (!kind) continue;  // a kind this build does not know: nothing to compare by
      for (const auto& [metric, value] : workload.values) {
        const auto* spec = workloads::find_metric(*kind, metric);
        if (spec == nullptr || !spec->compared || !std::isfinite(value)) continue;
        const MetricKey key{{run->topology, run->scenario}, workload.name, metric};
        auto [it, fresh] = out.try_emplace(key);
        if (fresh) {
          it->second.key = key;
          const auto unit = workload.units.find(metric);
          it->second.unit = unit == workload.units.end() ? spec->unit : unit->second;
          it->second.catalog_name = spec->name;
          it->second.better = spec->better;
        }
        (is_baseline ? it->second.baseline : it->second.candidate).push_back(value);
      }
    }
  }
}

// The checks RUN failed: (check, subject) -> one failure's text.
std::map<std::pair<std::string, std::string>, std::string> failed_checks(
    const results::RunSummary& run) {
  std::map<std::pair<std::string, std::string>, std::string> failed;
  for (const auto& f : run.failures)
    failed.try_emplace({std::string(results::to_string(f.check)), f.subject}, f.text);
  if (run.invariant_violations > 0)
    failed.try_emplace({std::string(results::to_string(results::Check::kInvariants)), ""},
                       std::to_string(run.invariant_violations) + " invariant violations");
  if (run.outcome != Outcome::kPass && run.outcome != Outcome::kFail)
    failed.try_emplace({"outcome", std::string(results::to_string(run.outcome))}, run.reason);
  return failed;
}

}  // namespace

std::vector<MetricSamples> metric_samples(const SuitePair& pair) {
  std::map<MetricKey, MetricSamples> by_key;
  add_metrics(pair.baseline, true, by_key);
  add_metrics(pair.candidate, false, by_key);
  std::vector<MetricSamples> out;
  for (auto& [key, samples] : by_key) out.push_back(std::move(samples));
  return out;
}

std::vector<CheckTally> check_tallies(const SuitePair& pair) {
  std::map<CheckKey, CheckTally> tallies;
  std::map<Cell, std::pair<uint32_t, uint32_t>>
      runs_per_cell;  // evaluated runs: baseline, candidate
  for (const bool is_baseline : {true, false}) {
    const SuiteSide& side = is_baseline ? pair.baseline : pair.candidate;
    for (const auto& run : side.record.runs) {
      if (!is_verdict(run)) continue;
      const Cell cell{run.topology, run.scenario};
      auto& runs = runs_per_cell[cell];
      ++(is_baseline ? runs.first : runs.second);
      for (const auto& [check, text] : failed_checks(run)) {
        const CheckKey key{cell, check.first, check.second};
        auto& tally = tallies[key];
        tally.key = key;
        ++(is_baseline ? tally.baseline_failed : tally.candidate_failed);
        if (tally.example.empty() || !is_baseline) tally.example = text;
      }
    }
  }
  std::vector<CheckTally> out;
  for (auto& [key, tally] : tallies) {
    const auto& runs = runs_per_cell[key.cell];
    tally.baseline_runs = runs.first;
    tally.candidate_runs = runs.second;
    out.push_back(std::move(tally));
  }
  return out;
}

}  // namespace scxfarm::compare
