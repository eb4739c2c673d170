// The statistics of `scxfarm compare`: distribution-free, because run-to-run
// noise under TCG is neither normal nor free of outliers. docs/COMPARE.md
// gives the formulas; tests/stats_test.cc pins them to reference values.
//
// Conventions: BASELINE is sample x (n1 values), CANDIDATE is sample y (n2
// values); a shift is candidate minus baseline.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

namespace scxfarm::compare {

// Median of VALUES (the mean of the middle two for an even count); NaN when empty.
double median(std::span<const double> values);
// Below this many values on both sides the Mann-Whitney test is exact.
inline constexpr size_t kExactBelow = 50;

enum class TestMethod {
  kExact,   // the exact permutation distribution of the rank sum (ties as midranks)
  kNormal,  // normal approximation with tie and continuity correction
};

struct RankTest {
  // The candidate's U: pairs (x, y) with y > x, ties counting 1/2; n1*n2/2
  // when the samples do not differ.
  double u = 0;
  double p = 1;  // two-sided
  TestMethod method = TestMethod::kExact;
  bool ties = false;
};

// Two-sided Mann-Whitney U test; exact when both sides are below
// kExactBelow, normal otherwise. Both sides must be non-empty.
RankTest mann_whitney(std::span<const double> baseline, std::span<const double> candidate);
RankTest mann_whitney(std::span<const double> baseline, std::span<const double> candidate,
                      TestMethod method);

// P(U <= u) under the null for samples of N1 and N2 without ties (R's
// pwilcox): the exact distribution the Hodges-Lehmann interval uses.
double mann_whitney_cdf(double u, size_t n1, size_t n2);

// The smallest two-sided p the exact test can give for N1 and N2 values:
// 2 / C(n1 + n2, n1), at most 1. Above alpha, no difference can be shown.
double smallest_p(size_t n1, size_t n2);

struct ShiftEstimate {
  double shift = 0;  // Hodges-Lehmann: median of all differences y_j - x_i
  double low = 0;    // confidence interval of the shift, from the ordered differences
  double high = 0;
  double confidence =
      0;  // achieved confidence (the discrete distribution rarely hits the asked one)
};

// The Hodges-Lehmann shift and its distribution-free interval (exact below
// kExactBelow on both sides, normal approximation above). Both sides must
// be non-empty; CONFIDENCE in (0, 1).
ShiftEstimate hodges_lehmann(std::span<const double> baseline, std::span<const double> candidate,
                             double confidence);

// Benjamini-Hochberg q-values of P, in P's order: the smallest false
// discovery rate at which each test would be rejected.
std::vector<double> benjamini_hochberg(std::span<const double> p);

// The noise the rank test sees, read off the shift's interval: the
// standard error of the shift, (high - low) / (2 z((1 + confidence) / 2)),
// per run: divided by sqrt(1/n1 + 1/n2). It grows with outliers as much as
// the test's power falls (a MAD would not: tests/calibration_test.cc). NaN
// when either side has fewer than 2 values.
double rank_noise(const ShiftEstimate& shift, size_t n1, size_t n2);

// The smallest shift (in NOISE's unit) the test detects with probability
// POWER at level ALPHA (two-sided), for N1 and N2 runs:
//   (t(1 - alpha/2, df) + t(power, df)) * noise * sqrt(1/n1 + 1/n2),
// df = n1 + n2 - 2. NaN for n1 + n2 < 3 or an unknown noise.
double minimum_detectable_effect(double noise, size_t n1, size_t n2, double alpha, double power);

// The fewest runs per side (equal sides) at which an EFFECT is detectable:
// minimum_detectable_effect <= effect and smallest_p <= alpha; nullopt
// beyond MAX_RUNS or for an unknown noise.
std::optional<size_t> runs_needed(double noise, double effect, double alpha, double power,
                                  size_t max_runs = 1000);

}  // namespace scxfarm::compare
