// Mann-Whitney U and the Hodges-Lehmann shift (stats.h). The exact null
// distributions come from counting subsets by their rank sum, so ties
// (midranks) get their exact permutation distribution too.
#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <cstdlib>

#include "scxfarm/compare/stats.h"

namespace scxfarm::compare {

namespace {

// How many K-element subsets of SCORES (non-negative integers) have each
// sum: result[s] = count of subsets summing to s. Counts are doubles: exact
// up to 2^53 and relatively precise beyond (C(98, 49) is about 2.5e28).
std::vector<double> subset_sum_counts(std::span<const long> scores, size_t k) {
  long total = 0;
  for (long s : scores) total += s;
  const size_t width = static_cast<size_t>(total) + 1;
  // table[j * width + s]: subsets of j items seen so far with sum s.
  std::vector<double> table((k + 1) * width, 0.0);
  table[0] = 1;
  long reach = 0;  // the largest sum reachable so far
  size_t seen = 0;
  for (long score : scores) {
    ++seen;
    reach += score;
    for (size_t j = std::min(seen, k); j >= 1; --j) {
      double* row = &table[j * width];
      const double* previous = &table[(j - 1) * width];
      for (long s = reach; s >= score; --s) row[s] += previous[s - score];
    }
  }
  return {table.begin() + static_cast<long>(k * width), table.end()};
}

// Midranks of the pooled sample, doubled so they are integers.
struct PooledRanks {
  std::vector<long> doubled;  // per pooled index: baseline first, then candidate
  double tie_term = 0;        // sum over tie groups of t^3 - t
  bool ties = false;
};

PooledRanks pooled_ranks(std::span<const double> x, std::span<const double> y) {
  std::vector<std::pair<double, size_t>> all;
  for (size_t i = 0; i < x.size(); ++i) all.push_back({x[i], i});
  for (size_t j = 0; j < y.size(); ++j) all.push_back({y[j], x.size() + j});
  std::sort(all.begin(), all.end());
  PooledRanks r;
  r.doubled.resize(all.size());
  for (size_t i = 0; i < all.size();) {
    size_t end = i;
    while (end < all.size() && all[end].first == all[i].first) ++end;
    // Ranks i+1 .. end share their mean, (i + 1 + end) / 2; doubled: i + 1 + end.
    for (size_t m = i; m < end; ++m) r.doubled[all[m].second] = static_cast<long>(i + 1 + end);
    const double t = static_cast<double>(end - i);
    if (end - i > 1) {
      r.ties = true;
      r.tie_term += t * t * t - t;
    }
    i = end;
  }
  return r;
}

const boost::math::normal kStandardNormal;

// P(U <= u) for u = 0 .. n1 n2, without ties.
std::vector<double> u_cdf(size_t n1, size_t n2) {
  std::vector<long> ranks(n1 + n2);
  for (size_t i = 0; i < ranks.size(); ++i) ranks[i] = static_cast<long>(i + 1);
  const auto counts = subset_sum_counts(ranks, n2);
  // U of the chosen n2 = their rank sum - n2 (n2 + 1) / 2.
  const size_t offset = n2 * (n2 + 1) / 2;
  std::vector<double> cdf(n1 * n2 + 1);
  double all = 0;
  for (double c : counts) all += c;
  double running = 0;
  for (size_t u = 0; u < cdf.size(); ++u) {
    running += counts[offset + u];
    cdf[u] = running / all;
  }
  return cdf;
}

}  // namespace

double mann_whitney_cdf(double u, size_t n1, size_t n2) {
  if (u < 0) return 0;
  const auto cdf = u_cdf(n1, n2);
  return cdf[std::min(static_cast<size_t>(std::floor(u)), cdf.size() - 1)];
}

double smallest_p(size_t n1, size_t n2) {
  // C(n1 + n2, n1) step by step: every partial product is an integer (exact
  // below 2^53); past a double's range (about 1030 values) it is infinite
  // and the smallest p 0.
  double arrangements = 1;
  const size_t k = std::min(n1, n2);
  for (size_t i = 1; i <= k; ++i)
    arrangements = arrangements * static_cast<double>(n1 + n2 - k + i) / static_cast<double>(i);
  return std::min(1.0, 2 / arrangements);
}

RankTest mann_whitney(std::span<const double> x, std::span<const double> y) {
  const bool small = x.size() < kExactBelow && y.size() < kExactBelow;
  return mann_whitney(x, y, small ? TestMethod::kExact : TestMethod::kNormal);
}

RankTest mann_whitney(std::span<const double> x, std::span<const double> y, TestMethod method) {
  if (x.empty() || y.empty()) std::abort();  // callers check the sample sizes
  const auto ranks = pooled_ranks(x, y);
  const std::span<const long> candidate_ranks(ranks.doubled.data() + x.size(), y.size());
  long doubled_sum = 0;
  for (long r : candidate_ranks) doubled_sum += r;
  const double n1 = static_cast<double>(x.size()), n2 = static_cast<double>(y.size());
  RankTest test{.u = doubled_sum / 2.0 - n2 * (n2 + 1) / 2, .method = method, .ties = ranks.ties};

  if (method == TestMethod::kExact) {
    const auto counts = subset_sum_counts(ranks.doubled, y.size());
    double low = 0, high = 0, all = 0;
    for (long s = 0; s < static_cast<long>(counts.size()); ++s) {
      all += counts[s];
      if (s <= doubled_sum) low += counts[s];
      if (s >= doubled_sum) high += counts[s];
    }
    test.p = std::min(1.0, 2 * std::min(low, high) / all);
    return test;
  }
  const double n = n1 + n2;
  const double variance = n1 * n2 / 12 * ((n + 1) - ranks.tie_term / (n * (n - 1)));
  if (variance <= 0) return test;  // every value equal: nothing differs, p = 1
  const double distance = test.u - n1 * n2 / 2;
  const double continuity = distance > 0 ? 0.5 : (distance < 0 ? -0.5 : 0.0);
  const double z = (distance - continuity) / std::sqrt(variance);
  test.p = std::min(1.0, 2 * cdf(complement(kStandardNormal, std::abs(z))));
  return test;
}

ShiftEstimate hodges_lehmann(std::span<const double> x, std::span<const double> y,
                             double confidence) {
  if (x.empty() || y.empty()) std::abort();  // callers check the sample sizes
  std::vector<double> differences;
  differences.reserve(x.size() * y.size());
  for (double xi : x)
    for (double yj : y) differences.push_back(yj - xi);
  std::sort(differences.begin(), differences.end());
  ShiftEstimate estimate{.shift = median(differences)};

  // The interval is [D(k), D(mn + 1 - k)] of the ordered differences, k the
  // lower alpha/2 quantile of U (R's wilcox.test, conf.int = TRUE).
  const size_t pairs = differences.size();
  const double tail = (1 - confidence) / 2;
  size_t k = 0;
  double below_k = 0;  // P(U <= k - 1)
  if (x.size() < kExactBelow && y.size() < kExactBelow) {
    const auto cdf = u_cdf(x.size(), y.size());
    while (k < pairs && cdf[k] < tail) ++k;
    k = std::max<size_t>(k, 1);
    below_k = cdf[k - 1];
  } else {
    const double n1 = static_cast<double>(x.size()), n2 = static_cast<double>(y.size());
    const double sigma = std::sqrt(n1 * n2 * (n1 + n2 + 1) / 12);
    const double z = quantile(complement(kStandardNormal, tail));
    k = static_cast<size_t>(std::max(1.0, std::floor(n1 * n2 / 2 - z * sigma)));
    below_k = cdf(kStandardNormal, (static_cast<double>(k) - 0.5 - n1 * n2 / 2) / sigma);
  }
  k = std::min(k, (pairs + 1) / 2);
  estimate.low = differences[k - 1];
  estimate.high = differences[pairs - k];
  estimate.confidence = 1 - 2 * below_k;
  return estimate;
}

}  // namespace scxfarm::compare
