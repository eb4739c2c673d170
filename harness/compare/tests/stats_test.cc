// The statistics against reference values: R's wilcox.test example and
// values computed with SciPy 1.10 (scipy.stats.mannwhitneyu, whose exact and
// asymptotic methods are R's) or by enumerating every arrangement, and
// against a brute-force enumeration in this file.
#include "scxfarm/compare/stats.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

namespace scxfarm::compare {
namespace {

// ?wilcox.test in R: "depression" scores x (10) and y (5).
// wilcox.test(x, y) gives W = 35, p-value = 0.2544; with conf.int = TRUE the
// x - y estimate 0.305 and interval -0.15 .. 0.76 (here y - x: the mirror).
const std::vector<double> kRx = {0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46};
const std::vector<double> kRy = {1.15, 0.88, 0.90, 0.74, 1.21};

TEST(MannWhitney, RDocumentationExample) {
  const auto t = mann_whitney(kRx, kRy);
  EXPECT_EQ(t.method, TestMethod::kExact);
  EXPECT_FALSE(t.ties);
  EXPECT_DOUBLE_EQ(t.u, 15);  // the candidate's U: n1 n2 - W = 50 - 35
  EXPECT_NEAR(t.p, 0.2544122544122544, 1e-12);
  // Swapping the sides mirrors U, not p.
  const auto swapped = mann_whitney(kRy, kRx);
  EXPECT_DOUBLE_EQ(swapped.u, 35);
  EXPECT_NEAR(swapped.p, t.p, 1e-12);
}

TEST(MannWhitney, ExactNullDistributionIsPwilcox) {
  // SciPy / enumeration of all C(20, 10) arrangements.
  EXPECT_NEAR(mann_whitney_cdf(23, 10, 10), 0.02162852627248912, 1e-12);
  EXPECT_NEAR(mann_whitney_cdf(24, 10, 10), 0.026212951135551756, 1e-12);
  EXPECT_NEAR(mann_whitney_cdf(3, 4, 6), 0.03333333333333333, 1e-12);
  EXPECT_DOUBLE_EQ(mann_whitney_cdf(-1, 4, 6), 0);
  EXPECT_DOUBLE_EQ(mann_whitney_cdf(24, 4, 6), 1);
}

TEST(MannWhitney, SmallestAttainableP) {
  EXPECT_DOUBLE_EQ(smallest_p(3, 3), 0.1);         // 2 / C(6, 3): never below 0.05
  EXPECT_NEAR(smallest_p(4, 4), 2.0 / 70, 1e-15);  // the fewest equal sides that can
  EXPECT_DOUBLE_EQ(smallest_p(1, 1), 1);
  EXPECT_NEAR(smallest_p(10, 10), 2.0 / 184756, 1e-18);
  EXPECT_EQ(smallest_p(1000, 1000), 0);  // C(2000, 1000) does not fit a double: no overflow
  const std::vector<double> low = {1, 2, 3, 4}, high = {5, 6, 7, 8};
  EXPECT_NEAR(mann_whitney(low, high).p, smallest_p(4, 4), 1e-15);
}

TEST(MannWhitney, TiesGetTheExactPermutationDistribution) {
  const std::vector<double> x = {1, 2, 2, 3, 3, 3, 4}, y = {3, 4, 4, 5, 5, 6};
  const auto exact = mann_whitney(x, y);
  EXPECT_TRUE(exact.ties);
  EXPECT_EQ(exact.method, TestMethod::kExact);
  EXPECT_DOUBLE_EQ(exact.u, 38.5);
  EXPECT_NEAR(exact.p, 0.015151515151515152, 1e-12);  // enumeration of C(13, 6) rank sums
  // R's wilcox.test (exact = FALSE, correct = TRUE) and SciPy's asymptotic method.
  const auto normal = mann_whitney(x, y, TestMethod::kNormal);
  EXPECT_NEAR(normal.p, 0.012999854364387305, 1e-12);
}

TEST(MannWhitney, LargeSamplesUseTheTieCorrectedNormal) {
  std::vector<double> x, y;
  for (int i = 0; i < 60; ++i) x.push_back(100 + (i * 37) % 61);
  for (int i = 0; i < 55; ++i) y.push_back(108 + (i * 53) % 67);
  const auto t = mann_whitney(x, y);
  EXPECT_EQ(t.method, TestMethod::kNormal);
  EXPECT_TRUE(t.ties);
  EXPECT_DOUBLE_EQ(t.u, 2194);
  EXPECT_NEAR(t.p, 0.0023402385052496907, 1e-12);  // SciPy, asymptotic with continuity
}

TEST(MannWhitney, IdenticalSamplesGiveOne) {
  const std::vector<double> same = {5, 5, 5, 5, 5};
  EXPECT_DOUBLE_EQ(mann_whitney(same, same).p, 1);
  EXPECT_DOUBLE_EQ(mann_whitney(same, same, TestMethod::kNormal).p, 1);
}

// The exact p by brute force: every way to pick the candidate's positions in
// the pooled sample, its rank sum against the observed one.
double enumerated_p(const std::vector<double>& x, const std::vector<double>& y) {
  std::vector<double> pooled = x;
  pooled.insert(pooled.end(), y.begin(), y.end());
  const size_t n = pooled.size();
  std::vector<double> rank(n);
  for (size_t i = 0; i < n; ++i) {
    double below = 0, equal = 0;
    for (double v : pooled) {
      below += v < pooled[i];
      equal += v == pooled[i];
    }
    rank[i] = below + (equal + 1) / 2;
  }
  double observed = 0;
  for (size_t j = x.size(); j < n; ++j) observed += rank[j];
  double low = 0, high = 0, all = 0;
  for (unsigned mask = 0; mask < (1u << n); ++mask) {
    if (static_cast<size_t>(__builtin_popcount(mask)) != y.size()) continue;
    double sum = 0;
    for (size_t i = 0; i < n; ++i)
      if (mask & (1u << i)) sum += rank[i];
    all += 1;
    low += sum <= observed + 1e-9;
    high += sum >= observed - 1e-9;
  }
  return std::min(1.0, 2 * std::min(low, high) / all);
}

TEST(MannWhitney, ExactPMatchesBruteForceWithAndWithoutTies) {
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 40; ++trial) {
    const size_t n1 = 2 + rng() % 6, n2 = 2 + rng() % 6;
    const unsigned levels = trial % 2 == 0 ? 4 : 1000;  // even trials: many ties
    std::vector<double> x(n1), y(n2);
    for (auto& v : x) v = static_cast<double>(rng() % levels);
    for (auto& v : y) v = static_cast<double>(rng() % levels + trial % 3);
    EXPECT_NEAR(mann_whitney(x, y).p, enumerated_p(x, y), 1e-12) << "trial " << trial;
  }
}

TEST(HodgesLehmann, RDocumentationExample) {
  const auto hl = hodges_lehmann(kRx, kRy, 0.95);
  EXPECT_NEAR(hl.shift, -0.305, 1e-12);
  EXPECT_NEAR(hl.low, -0.76, 1e-12);
  EXPECT_NEAR(hl.high, 0.15, 1e-12);
  EXPECT_NEAR(hl.confidence, 0.9600399600399601, 1e-12);  // 1 - 2 P(U <= 8), n = 10, 5
}

TEST(HodgesLehmann, TooFewRunsGiveTheWholeRangeAndSayItsConfidence) {
  const std::vector<double> x = {10, 11, 12}, y = {20, 21, 22};
  const auto hl = hodges_lehmann(x, y, 0.95);
  EXPECT_DOUBLE_EQ(hl.shift, 10);
  EXPECT_DOUBLE_EQ(hl.low, 8);             // the smallest difference
  EXPECT_DOUBLE_EQ(hl.high, 12);           // the largest
  EXPECT_NEAR(hl.confidence, 0.9, 1e-12);  // all 3 vs 3 can give: 1 - 2 / 20
}

// Coverage: over many samples with a known shift, the 95 % interval holds it
// in about its achieved confidence (95.7 % at 10 vs 10), exact and normal.
TEST(HodgesLehmann, IntervalCoversTheTrueShift) {
  std::mt19937_64 rng(11);
  std::exponential_distribution<double> skewed(1.0);  // skewed noise; the test is distribution-free
  for (const size_t n : {10, 60}) {
    const int trials = n == 10 ? 2000 : 400;
    int covered = 0;
    double confidence = 0;
    for (int t = 0; t < trials; ++t) {
      std::vector<double> x(n), y(n);
      for (auto& v : x) v = 100 + 10 * skewed(rng);
      for (auto& v : y) v = 103 + 10 * skewed(rng);
      const auto hl = hodges_lehmann(x, y, 0.95);
      covered += hl.low <= 3 && 3 <= hl.high;
      confidence = hl.confidence;
    }
    const double rate = static_cast<double>(covered) / trials;
    EXPECT_GE(confidence, 0.95) << n;
    EXPECT_GE(rate, 0.93) << n;
    EXPECT_LE(rate, 0.98) << n;
  }
}

TEST(BenjaminiHochberg, TheirPapersExample) {
  // Benjamini & Hochberg (1995), section 4: 15 p-values; at 0.05 the first
  // four are rejected. q-values as R's p.adjust(p, "BH").
  const std::vector<double> p = {0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344,
                                 0.0459, 0.3240, 0.4262, 0.5719, 0.6528, 0.7590, 1.000};
  const std::vector<double> expected = {0.0015,
                                        0.003,
                                        0.0095,
                                        0.035625,
                                        0.0603,
                                        0.06385714285714286,
                                        0.06385714285714286,
                                        0.0645,
                                        0.0765,
                                        0.486,
                                        0.5811818181818182,
                                        0.714875,
                                        0.7532307692307694,
                                        0.8132142857142857,
                                        1};
  // Shuffled input: q-values come back in the input's order.
  std::vector<size_t> order = {7, 3, 14, 0, 9, 1, 12, 5, 2, 11, 8, 4, 13, 6, 10};
  std::vector<double> shuffled;
  for (size_t i : order) shuffled.push_back(p[i]);
  const auto q = benjamini_hochberg(shuffled);
  ASSERT_EQ(q.size(), p.size());
  int rejected = 0;
  for (size_t k = 0; k < order.size(); ++k) {
    EXPECT_NEAR(q[k], expected[order[k]], 1e-12) << "p " << shuffled[k];
    rejected += q[k] <= 0.05;
  }
  EXPECT_EQ(rejected, 4);
  EXPECT_TRUE(benjamini_hochberg({}).empty());
}

TEST(Median, OddEvenAndEmpty) {
  EXPECT_DOUBLE_EQ(median(std::vector<double>{1, 2, 3, 4, 100}), 3);
  EXPECT_DOUBLE_EQ(median(std::vector<double>{4, 1, 3, 2}), 2.5);
  EXPECT_TRUE(std::isnan(median(std::vector<double>{})));
}

TEST(RankNoise, ReadOffTheShiftInterval) {
  // R's example: interval -0.76 .. 0.15 at 96.0 %: SE = 0.91 / (2 z(0.98002)),
  // per run / sqrt(1/10 + 1/5); z from SciPy.
  const auto hl = hodges_lehmann(kRx, kRy, 0.95);
  EXPECT_NEAR(rank_noise(hl, 10, 5), 0.40440464294719924, 1e-9);
  EXPECT_TRUE(std::isnan(rank_noise(hl, 1, 5)));
  // At the normal it is sigma * sqrt(pi / 3) (the Hodges-Lehmann estimator's
  // asymptotic spread): 1.023 for sigma 1, here from 400 runs a side.
  std::mt19937_64 rng(3);
  std::normal_distribution<double> normal(0, 1);
  std::vector<double> x(400), y(400);
  for (auto& v : x) v = normal(rng);
  for (auto& v : y) v = normal(rng);
  EXPECT_NEAR(rank_noise(hodges_lehmann(x, y, 0.95), 400, 400), std::sqrt(M_PI / 3), 0.08);
}

TEST(DetectableEffect, FormulaAndRunsNeeded) {
  // (t(0.975, 18) + t(0.8, 18)) * 0.05 * sqrt(1/10 + 1/10), t from SciPy.
  EXPECT_NEAR(minimum_detectable_effect(0.05, 10, 10, 0.05, 0.8), 0.06625403918944225, 1e-9);
  EXPECT_TRUE(std::isnan(minimum_detectable_effect(std::nan(""), 10, 10, 0.05, 0.8)));
  EXPECT_TRUE(std::isnan(minimum_detectable_effect(0.05, 1, 1, 0.05, 0.8)));
  // More runs, smaller effects.
  EXPECT_LT(minimum_detectable_effect(0.05, 20, 20, 0.05, 0.8),
            minimum_detectable_effect(0.05, 10, 10, 0.05, 0.8));
  const auto n = runs_needed(0.05, 0.10, 0.05, 0.8);
  ASSERT_TRUE(n);
  EXPECT_LE(minimum_detectable_effect(0.05, *n, *n, 0.05, 0.8), 0.10);
  EXPECT_GT(minimum_detectable_effect(0.05, *n - 1, *n - 1, 0.05, 0.8), 0.10);
  EXPECT_EQ(runs_needed(0, 0.10, 0.05, 0.8), 4u);  // no noise: the test's own floor
  EXPECT_FALSE(runs_needed(std::nan(""), 0.10, 0.05, 0.8));
  EXPECT_FALSE(runs_needed(5.0, 0.10, 0.05, 0.8, 100));
}

}  // namespace
}  // namespace scxfarm::compare
