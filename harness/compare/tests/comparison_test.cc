// Verdicts: checks by their failures alone, metrics by the statistics, on
// suites written through the results writer.
#include "scxfarm/compare/comparison.h"

#include <gtest/gtest.h>

#include "suite_builder.h"

namespace scxfarm::compare {
namespace {

using testing::SuiteBuilder;
using testing::temp_dir;

CheckTally tally(uint32_t baseline_failed, uint32_t baseline_runs, uint32_t candidate_failed,
                 uint32_t candidate_runs) {
  return {.key = {{"numa2x4", "smoke-nested"}, "invariants", ""},
          .baseline_failed = baseline_failed,
          .baseline_runs = baseline_runs,
          .candidate_failed = candidate_failed,
          .candidate_runs = candidate_runs};
}

TEST(CheckVerdict, FailingOnlyOnTheCandidateIsARegressionEvenOnce) {
  const auto always = compare_check(tally(0, 5, 5, 5));
  EXPECT_EQ(always.verdict, Verdict::kRegression);
  EXPECT_EQ(always.reason, "fails in 5 of 5 candidate runs, in none of 5 baseline runs");
  const auto once = compare_check(tally(0, 10, 1, 10));
  EXPECT_EQ(once.verdict, Verdict::kRegression);
  EXPECT_EQ(once.reason, "fails in 1 of 10 candidate runs (flaky), in none of 10 baseline runs");
}

TEST(CheckVerdict, FlakyFixedAndStillFailing) {
  EXPECT_EQ(compare_check(tally(2, 5, 2, 5)).verdict, Verdict::kFlaky);
  EXPECT_EQ(compare_check(tally(2, 5, 0, 5)).verdict, Verdict::kFlaky);  // was flaky: no fix shown
  EXPECT_EQ(compare_check(tally(5, 5, 3, 5)).verdict, Verdict::kFlaky);
  EXPECT_EQ(compare_check(tally(5, 5, 0, 5)).verdict, Verdict::kImprovement);
  const auto still = compare_check(tally(5, 5, 4, 4));
  EXPECT_EQ(still.verdict, Verdict::kNoChange);
  EXPECT_EQ(still.reason, "fails in every run of both sides");
  EXPECT_EQ(compare_check(tally(0, 0, 2, 2)).verdict, Verdict::kNotEnoughRuns);  // all infra
}

const std::vector<double> kBaselineP99 = {1000, 1030, 990, 1010, 1020, 980, 1005, 995, 1015, 1025};

std::vector<double> scaled(const std::vector<double>& values, double factor) {
  std::vector<double> out;
  for (double v : values) out.push_back(v * factor);
  return out;
}

Report compare_dirs(const SuiteBuilder& a, const SuiteBuilder& b, const std::string& name,
                    const CompareOptions& options = {}) {
  const auto dir = temp_dir(name);
  EXPECT_TRUE(a.write(dir / "a").ok());
  EXPECT_TRUE(b.write(dir / "b").ok());
  auto pair = load_suite_pair(dir / "a", dir / "b");
  EXPECT_TRUE(pair.ok()) << pair.error().message;
  return compare_suites(*pair, options);
}

const MetricResult& find(const Report& report, const std::string& name) {
  for (const auto& m : report.metrics)
    if (m.samples.key.name() == name) return m;
  ADD_FAILURE() << "no metric " << name;
  static const MetricResult none;
  return none;
}

TEST(MetricVerdict, LatencyUpAndThroughputDownAreRegressions) {
  SuiteBuilder a("wakeup"), b("wakeup", "candidate-kernel");
  a.add_runs_with("numa1x4", "wakeup-latency", "probe", "wakeup-probe", "latency_p99",
                  kBaselineP99);
  b.add_runs_with("numa1x4", "wakeup-latency", "probe", "wakeup-probe", "latency_p99",
                  scaled(kBaselineP99, 1.2));
  for (uint32_t r = 0; r < 10; ++r) {
    testing::set_metric(a.runs()[r], "B-cpu", "stress-ng", "cpu.bogo_ops_per_s_real",
                        800 + 3.0 * r);
    testing::set_metric(b.runs()[r], "B-cpu", "stress-ng", "cpu.bogo_ops_per_s_real",
                        600 + 3.0 * r);
    // Same on both sides: no change. Not compared at all: workers.
    testing::set_metric(a.runs()[r], "probe", "wakeup-probe", "requests_per_s", 250 + r);
    testing::set_metric(b.runs()[r], "probe", "wakeup-probe", "requests_per_s", 250.5 + r);
    testing::set_metric(a.runs()[r], "probe", "wakeup-probe", "workers", 4);
    testing::set_metric(b.runs()[r], "probe", "wakeup-probe", "workers", 4);
  }
  const auto report = compare_dirs(a, b, "metric-regressions");
  ASSERT_EQ(report.metrics.size(), 3u);  // workers is not compared
  const auto& p99 = find(report, "probe/latency_p99");
  EXPECT_EQ(p99.verdict, Verdict::kRegression) << p99.reason;
  EXPECT_EQ(p99.samples.unit, "nanoseconds");
  EXPECT_DOUBLE_EQ(p99.baseline_median, 1007.5);
  EXPECT_NEAR(p99.change, 0.2, 0.01);
  EXPECT_LE(p99.change_low, p99.change);
  EXPECT_GE(p99.change_high, p99.change);
  EXPECT_LE(p99.q, 0.05);
  EXPECT_EQ(p99.test.method, TestMethod::kExact);
  const auto& ops = find(report, "B-cpu/cpu.bogo_ops_per_s_real");
  EXPECT_EQ(ops.verdict, Verdict::kRegression);
  EXPECT_LT(ops.change, -0.2);
  EXPECT_EQ(find(report, "probe/requests_per_s").verdict, Verdict::kNoChange);
  EXPECT_TRUE(report.has_regression());
  EXPECT_EQ(report.metrics.back().verdict, Verdict::kNoChange);  // regressions first
  EXPECT_EQ(report.baseline.kernel, "debian-7.3-cloud");
  EXPECT_EQ(report.candidate.kernel, "candidate-kernel");
}

TEST(MetricVerdict, BetterIsAnImprovement) {
  SuiteBuilder a("w"), b("w");
  a.add_runs_with("numa1x4", "s", "probe", "wakeup-probe", "latency_p50", kBaselineP99);
  b.add_runs_with("numa1x4", "s", "probe", "wakeup-probe", "latency_p50",
                  scaled(kBaselineP99, 0.8));
  const auto report = compare_dirs(a, b, "metric-improvement");
  EXPECT_EQ(report.metrics[0].verdict, Verdict::kImprovement);
  EXPECT_FALSE(report.has_regression());
}

TEST(MetricVerdict, BelowTheMinimumEffectNothingIsFlagged) {
  SuiteBuilder a("w"), b("w");
  a.add_runs_with("numa1x4", "s", "probe", "wakeup-probe", "latency_p99", kBaselineP99);
  b.add_runs_with("numa1x4", "s", "probe", "wakeup-probe", "latency_p99",
                  scaled(kBaselineP99, 1.04));  // +4 %, clearly there
  const auto report = compare_dirs(a, b, "metric-small");
  const auto& m = report.metrics[0];
  EXPECT_LE(m.q, 0.05);
  EXPECT_EQ(m.verdict, Verdict::kNoChange) << m.reason;
  EXPECT_EQ(m.reason, "change below the 5 % minimum effect");
  // The metric's own minimum effect: 3 % for latency_p99 flags it.
  CompareOptions strict;
  strict.min_effect_by_metric["latency_p99"] = 0.03;
  EXPECT_EQ(compare_dirs(a, b, "metric-small-strict", strict).metrics[0].verdict,
            Verdict::kRegression);
}

TEST(MetricVerdict, TooFewRunsSayHowManyAreNeeded) {
  SuiteBuilder a("w"), b("w");
  a.add_runs_with("numa1x4", "s", "probe", "wakeup-probe", "latency_p99", {1000, 1100, 900});
  b.add_runs_with("numa1x4", "s", "probe", "wakeup-probe", "latency_p99", {1500, 1650, 1350});
  const auto report = compare_dirs(a, b, "metric-few");
  const auto& m = report.metrics[0];
  EXPECT_EQ(m.verdict, Verdict::kNotEnoughRuns);
  EXPECT_FALSE(m.tested);  // 3 vs 3: p >= 0.1 whatever the values
  ASSERT_TRUE(m.runs_needed);
  EXPECT_EQ(verdict_text(m, report.options),
            "not enough runs (need " + std::to_string(*m.runs_needed) + " for a 10 % effect)");
  EXPECT_GT(*m.runs_needed, 3u);
  EXPECT_FALSE(report.has_regression());
}

TEST(MetricVerdict, NoisyRunsCannotClaimNoChange) {
  SuiteBuilder a("w"), b("w");
  const std::vector<double> noisy = {1000, 1400, 700, 1200, 850, 1300, 650, 1100, 950, 1250};
  a.add_runs_with("numa1x4", "s", "probe", "wakeup-probe", "latency_p99", noisy);
  b.add_runs_with("numa1x4", "s", "probe", "wakeup-probe", "latency_p99", scaled(noisy, 1.02));
  const auto report = compare_dirs(a, b, "metric-noisy");
  const auto& m = report.metrics[0];
  EXPECT_TRUE(m.tested);
  EXPECT_GT(m.mde, 0.10);
  EXPECT_EQ(m.verdict, Verdict::kNotEnoughRuns) << m.reason;
  EXPECT_GT(*m.runs_needed, 10u);
}

TEST(MetricVerdict, AMetricOneSideNeverReportedIsNotEnoughRuns) {
  SuiteBuilder a("w"), b("w");
  a.add_runs_with("numa1x4", "s", "probe", "wakeup-probe", "latency_p99", kBaselineP99);
  for (uint32_t r = 0; r < 10; ++r)
    b.add_run("numa1x4", "s", r);  // the probe's output never parsed
  const auto report = compare_dirs(a, b, "metric-missing");
  ASSERT_EQ(report.metrics.size(), 1u);
  EXPECT_EQ(report.metrics[0].verdict, Verdict::kNotEnoughRuns);
  EXPECT_EQ(report.metrics[0].reason, "no value in any candidate run");
}

TEST(ChecksInSuites, NewFailuresCrashesAndViolationsAreRegressions) {
  SuiteBuilder a("smoke"), b("smoke");
  for (uint32_t r = 0; r < 4; ++r) {
    auto& base = a.add_run("numa2x4", "smoke-nested", r);
    base.failures.push_back({results::Check::kAttach, "root/B", "never attached",
                             "scheduler root/B never attached"});  // fails on both: no change
    auto& cand = b.add_run("numa2x4", "smoke-nested", r);
    cand.failures = base.failures;
  }
  b.runs()[1].invariant_violations = 3;  // no failure line: still counts
  b.runs()[2].outcome = results::Outcome::kKernelCrash;
  b.runs()[2].reason = "kernel BUG at kernel/sched/ext.c:123";
  b.runs()[3].outcome = results::Outcome::kInfraError;  // no verdict on the kernel
  b.runs()[3].failures.clear();
  const auto report = compare_dirs(a, b, "checks");
  ASSERT_EQ(report.checks.size(), 3u);
  EXPECT_EQ(report.checks[0].verdict, Verdict::kRegression);
  EXPECT_EQ(report.checks[1].verdict, Verdict::kRegression);
  EXPECT_EQ(report.checks[2].verdict, Verdict::kNoChange);
  EXPECT_EQ(report.checks[2].tally.key.name(), "attach root/B");
  EXPECT_EQ(report.checks[2].tally.candidate_runs, 3u);  // the infra-error run is not counted
  for (const auto& c : {report.checks[0], report.checks[1]}) {
    if (c.tally.key.check == "outcome") {
      EXPECT_EQ(c.tally.key.subject, "kernel-crash");
      EXPECT_EQ(c.tally.example, "kernel BUG at kernel/sched/ext.c:123");
    } else {
      EXPECT_EQ(c.tally.key.name(), "invariants");
      EXPECT_EQ(c.tally.candidate_failed, 1u);
    }
  }
  EXPECT_TRUE(report.has_regression());
  EXPECT_EQ(report.count(Verdict::kRegression), 2u);
}

// A skipped run (the candidate kernel lacks a required feature) booted
// nothing: it is neither a failed check nor a run with a verdict.
TEST(ChecksInSuites, SkippedRunsAreNoVerdict) {
  SuiteBuilder a("smoke"), b("smoke");
  for (uint32_t r = 0; r < 3; ++r) {
    a.add_run("numa2x4", "smoke-nested", r)
        .failures.push_back({results::Check::kAttach, "root/B", "never attached",
                             "scheduler root/B never attached"});
    auto& cand = b.add_run("numa2x4", "smoke-nested", r);
    cand.outcome = results::Outcome::kSkipped;
    cand.reason = "kernel lacks sub-sched (no sched_ext_ops.sub_attach in the kernel's BTF)";
  }
  const auto report = compare_dirs(a, b, "skipped");
  ASSERT_EQ(report.checks.size(), 1u);
  EXPECT_EQ(report.checks[0].tally.key.name(), "attach root/B");
  EXPECT_EQ(report.checks[0].tally.candidate_runs, 0u);
  EXPECT_EQ(report.checks[0].verdict, Verdict::kNotEnoughRuns);
  EXPECT_EQ(report.checks[0].reason,
            "no candidate run reached a verdict on the kernel (infra-error or skipped)");
  EXPECT_FALSE(report.has_regression());
}

}  // namespace
}  // namespace scxfarm::compare
