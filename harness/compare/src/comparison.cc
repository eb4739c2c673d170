#include "scxfarm/compare/comparison.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "scxfarm/common/spelling.h"

namespace scxfarm::compare {

namespace {

constexpr Spellings<Verdict, 5> kVerdictNames = {{
    {"regression", Verdict::kRegression},
    {"improvement", Verdict::kImprovement},
    {"no-change", Verdict::kNoChange},
    {"not-enough-runs", Verdict::kNotEnoughRuns},
    {"flaky", Verdict::kFlaky},
}};

// Display order: what needs attention first.
int rank_of(Verdict verdict) {
  switch (verdict) {
    case Verdict::kRegression:
      return 0;
    case Verdict::kFlaky:
      return 1;
    case Verdict::kImprovement:
      return 2;
    case Verdict::kNotEnoughRuns:
      return 3;
    case Verdict::kNoChange:
      return 4;
  }
  return 5;
}

std::string percent(double fraction) {
  return fmt::format("{:.3g} %", fraction * 100);
}

// Everything but the q-value and the verdict.
MetricResult measure(MetricSamples samples, const CompareOptions& options) {
  MetricResult r;
  const auto& x = samples.baseline;
  const auto& y = samples.candidate;
  r.baseline_median = median(x);
  r.candidate_median = median(y);
  r.min_effect = options.min_effect_of(samples.catalog_name);
  const double nan = std::nan("");
  r.change = r.change_low = r.change_high = r.noise = r.mde = nan;
  if (!x.empty() && !y.empty()) {
    r.shift = hodges_lehmann(x, y, options.confidence);
    r.test = mann_whitney(x, y);
    r.tested = smallest_p(x.size(), y.size()) <= options.fdr;
    if (r.baseline_median != 0) {
      const double scale = std::abs(r.baseline_median);
      r.change = r.shift.shift / scale;
      r.change_low = r.shift.low / scale;
      r.change_high = r.shift.high / scale;
      r.noise = rank_noise(r.shift, x.size(), y.size()) / scale;
      r.mde = minimum_detectable_effect(r.noise, x.size(), y.size(), options.fdr, options.power);
    }
  }
  r.runs_needed = runs_needed(r.noise, options.target_effect, options.fdr, options.power);
  r.samples = std::move(samples);
  return r;
}

void decide(MetricResult& r, const CompareOptions& options) {
  const size_t n1 = r.samples.baseline.size(), n2 = r.samples.candidate.size();
  if (n1 == 0 || n2 == 0) {
    r.verdict = Verdict::kNotEnoughRuns;
    r.reason = fmt::format("no value in any {} run", n1 == 0 ? "baseline" : "candidate");
    return;
  }
  if (!r.tested) {
    r.verdict = Verdict::kNotEnoughRuns;
    r.reason = fmt::format("{} vs {} runs: the smallest p the test can give is {:.3g} > {:g}", n1,
                           n2, smallest_p(n1, n2), options.fdr);
    return;
  }
  // Relative when the baseline median allows it, else any nonzero shift counts.
  const bool big = std::isnan(r.change) ? r.shift.shift != 0 : std::abs(r.change) >= r.min_effect;
  if (r.q <= options.fdr && big) {
    const bool higher = r.shift.shift > 0;
    const bool better = r.samples.better == workloads::Better::kHigher ? higher : !higher;
    r.verdict = better ? Verdict::kImprovement : Verdict::kRegression;
    r.reason =
        fmt::format("q {:.3g} <= {:g} and |change| >= {}", r.q, options.fdr, percent(r.min_effect));
    return;
  }
  const std::string why_not =
      r.q <= options.fdr ? fmt::format("change below the {} minimum effect", percent(r.min_effect))
                         : fmt::format("q {:.3g} > {:g}", r.q, options.fdr);
  if (std::isnan(r.mde) || r.mde > options.target_effect) {
    r.verdict = Verdict::kNotEnoughRuns;
    r.reason = std::isnan(r.mde) ? why_not + "; the noise is unknown"
                                 : fmt::format("{}; these runs detect {} at best, not {}", why_not,
                                               percent(r.mde), percent(options.target_effect));
    return;
  }
  r.verdict = Verdict::kNoChange;
  r.reason = why_not;
}

template <typename T>
void sort_for_reading(std::vector<T>& items) {
  std::stable_sort(items.begin(), items.end(),
                   [](const T& a, const T& b) { return rank_of(a.verdict) < rank_of(b.verdict); });
}

SideSummary summary_of(const SuiteSide& side) {
  return {side.dir.string(),   side.record.suite,       side.kernel,
          side.kernel_release, side.record.runs.size(), side.repetitions};
}

}  // namespace

std::string_view to_string(Verdict verdict) {
  return name_of(kVerdictNames, verdict).value_or("?");
}

double CompareOptions::min_effect_of(const std::string& catalog_name) const {
  const auto it = min_effect_by_metric.find(catalog_name);
  return it == min_effect_by_metric.end() ? min_effect : it->second;
}

std::vector<MetricResult> compare_metrics(std::vector<MetricSamples> samples,
                                          const CompareOptions& options) {
  std::vector<MetricResult> results;
  for (auto& s : samples) results.push_back(measure(std::move(s), options));
  std::vector<double> p;
  for (const auto& r : results)
    if (r.tested) p.push_back(r.test.p);
  const auto q = benjamini_hochberg(p);
  size_t next = 0;
  for (auto& r : results)
    if (r.tested) r.q = q[next++];
  for (auto& r : results) decide(r, options);
  return results;
}

CheckResult compare_check(const CheckTally& t) {
  CheckResult r{.tally = t};
  const auto runs = [](uint32_t failed, uint32_t all) {
    return fmt::format("{} of {}", failed, all);
  };
  const bool baseline_flips = t.baseline_failed > 0 && t.baseline_failed < t.baseline_runs;
  const bool candidate_flips = t.candidate_failed > 0 && t.candidate_failed < t.candidate_runs;
  if (t.baseline_runs == 0 || t.candidate_runs == 0) {
    r.verdict = Verdict::kNotEnoughRuns;
    r.reason = fmt::format("no {} run reached a verdict on the kernel (infra-error or skipped)",
                           t.baseline_runs == 0 ? "baseline" : "candidate");
  } else if (t.baseline_failed == 0 && t.candidate_failed > 0) {
    r.verdict = Verdict::kRegression;
    r.reason = fmt::format("fails in {} candidate runs{}, in none of {} baseline runs",
                           runs(t.candidate_failed, t.candidate_runs),
                           candidate_flips ? " (flaky)" : "", t.baseline_runs);
  } else if (baseline_flips || candidate_flips) {
    r.verdict = Verdict::kFlaky;
    r.reason = fmt::format("fails in {} baseline runs, {} candidate runs",
                           runs(t.baseline_failed, t.baseline_runs),
                           runs(t.candidate_failed, t.candidate_runs));
  } else if (t.baseline_failed > 0 && t.candidate_failed == 0) {
    r.verdict = Verdict::kImprovement;
    r.reason = fmt::format("failed in every baseline run ({}), in no candidate run ({})",
                           t.baseline_runs, t.candidate_runs);
  } else {
    r.verdict = Verdict::kNoChange;
    r.reason = t.candidate_failed > 0 ? "fails in every run of both sides"
                                      : "passes in every run of both sides";
  }
  return r;
}

size_t Report::count(Verdict verdict) const {
  size_t n = 0;
  for (const auto& c : checks) n += c.verdict == verdict;
  for (const auto& m : metrics) n += m.verdict == verdict;
  return n;
}

Report compare_suites(const SuitePair& pair, const CompareOptions& options) {
  Report report{summary_of(pair.baseline), summary_of(pair.candidate), options, {}, {}};
  for (const auto& tally : check_tallies(pair)) report.checks.push_back(compare_check(tally));
  report.metrics = compare_metrics(metric_samples(pair), options);
  sort_for_reading(report.checks);
  sort_for_reading(report.metrics);
  return report;
}

std::string verdict_text(const MetricResult& metric, const CompareOptions& options) {
  if (metric.verdict != Verdict::kNotEnoughRuns) {
    std::string text(to_string(metric.verdict));
    std::replace(text.begin(), text.end(), '-', ' ');
    return text;
  }
  if (metric.runs_needed)
    return fmt::format("not enough runs (need {} for a {} effect)", *metric.runs_needed,
                       percent(options.target_effect));
  if (std::isnan(metric.noise))
    return fmt::format(
        "not enough runs (noise unknown: need at least {} per side)",
        runs_needed(0, options.target_effect, options.fdr, options.power).value_or(4));
  return fmt::format("not enough runs (need over 1000 for a {} effect)",
                     percent(options.target_effect));
}

}  // namespace scxfarm::compare
