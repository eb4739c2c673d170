// The verdicts of `scxfarm compare`: per metric from the statistics
// (stats.h), per check from the failures alone (enforcement is not
// performance: a check that starts failing is a regression whatever the
// numbers say). docs/COMPARE.md explains every number.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scxfarm/compare/samples.h"
#include "scxfarm/compare/stats.h"

namespace scxfarm::compare {

enum class Verdict {
  kRegression,     // worse beyond the minimum effect at the FDR (metric), or newly failing (check)
  kImprovement,    // better beyond the minimum effect (metric), or no longer failing (check)
  kNoChange,       // no effect the runs could have shown, or the same failures on both sides
  kNotEnoughRuns,  // too few runs to test, or to rule out the target effect
  kFlaky,          // a check that fails in some repetitions of a side and passes in others
};
std::string_view to_string(Verdict verdict);  // "regression", "no-change", ...

struct CompareOptions {
  double fdr = 0.05;  // q-value at or below which a difference is significant; default 0.05
  // Smallest relative effect (of the baseline median) that is flagged;
  // default 0.05 (5 %).
  double min_effect = 0.05;
  // Per catalog metric name ("latency_p99"): its own minimum effect.
  std::map<std::string, double> min_effect_by_metric;
  // The effect a "no change" must have been able to detect (MDE <= it);
  // otherwise the verdict is "not enough runs"; default 0.10 (10 %).
  double target_effect = 0.10;
  double power = 0.80;       // of the minimum detectable effect; default 0.8
  double confidence = 0.95;  // of the Hodges-Lehmann interval; default 0.95

  double min_effect_of(const std::string& catalog_name) const;
};

struct MetricResult {
  MetricSamples samples;
  double baseline_median = 0;
  double candidate_median = 0;
  bool tested = false;  // enough runs for the test to reach the FDR level at all
  RankTest test;
  double q = 1;         // Benjamini-Hochberg over every tested metric of the comparison
  ShiftEstimate shift;  // absolute, candidate - baseline
  // Relative to the baseline median (NaN when that median is 0):
  double change = 0;  // the shift's estimate
  double change_low = 0;
  double change_high = 0;
  // The per-run noise the test sees (stats.h rank_noise), relative to the
  // baseline median; NaN with fewer than 2 runs on a side.
  double noise = 0;
  double mde = 0;  // minimum detectable effect at these runs, relative (NaN: noise unknown)
  double min_effect = 0;
  std::optional<size_t> runs_needed;  // per side, for the target effect
  Verdict verdict = Verdict::kNotEnoughRuns;
  std::string reason;  // one line: why this verdict
};

struct CheckResult {
  CheckTally tally;
  Verdict verdict = Verdict::kNoChange;
  std::string reason;
};

// The verdict of every metric; q-values over all of them together.
std::vector<MetricResult> compare_metrics(std::vector<MetricSamples> samples,
                                          const CompareOptions& options);
CheckResult compare_check(const CheckTally& tally);

struct SideSummary {
  std::string dir;
  std::string suite;
  std::string kernel;
  std::string kernel_release;
  size_t runs = 0;
  uint32_t repetitions = 0;
};

struct Report {
  SideSummary baseline;
  SideSummary candidate;
  CompareOptions options;
  std::vector<CheckResult> checks;    // regressions first
  std::vector<MetricResult> metrics;  // regressions first
  size_t count(Verdict verdict) const;
  bool has_regression() const { return count(Verdict::kRegression) > 0; }
};

Report compare_suites(const SuitePair& pair, const CompareOptions& options);

// "not enough runs (need 12 for a 10 % effect)" and the like: the verdict as
// a reader sees it.
std::string verdict_text(const MetricResult& metric, const CompareOptions& options);

}  // namespace scxfarm::compare
