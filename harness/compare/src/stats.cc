// Medians, multiple testing, noise and detectable effects (stats.h).
#include "scxfarm/compare/stats.h"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>
#include <numeric>

namespace scxfarm::compare {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}  // namespace

double median(std::span<const double> values) {
  if (values.empty()) return kNaN;
  std::vector<double> sorted(values.begin(), values.end());
  std::sort(sorted.begin(), sorted.end());
  const size_t mid = sorted.size() / 2;
  return sorted.size() % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

std::vector<double> benjamini_hochberg(std::span<const double> p) {
  const size_t m = p.size();
  std::vector<size_t> order(m);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return p[a] < p[b]; });
  std::vector<double> q(m);
  double running_min = 1;
  // From the largest p down: q_(i) = min over j >= i of m p_(j) / j.
  for (size_t rank = m; rank >= 1; --rank) {
    const size_t i = order[rank - 1];
    running_min = std::min(running_min, p[i] * static_cast<double>(m) / static_cast<double>(rank));
    q[i] = running_min;
  }
  return q;
}

double rank_noise(const ShiftEstimate& shift, size_t n1, size_t n2) {
  if (n1 < 2 || n2 < 2 || shift.confidence <= 0) return kNaN;
  const double z = quantile(boost::math::normal(), (1 + shift.confidence) / 2);
  const double standard_error = (shift.high - shift.low) / (2 * z);
  return standard_error / std::sqrt(1.0 / static_cast<double>(n1) + 1.0 / static_cast<double>(n2));
}

double minimum_detectable_effect(double noise, size_t n1, size_t n2, double alpha, double power) {
  if (std::isnan(noise) || n1 == 0 || n2 == 0 || n1 + n2 < 3) return kNaN;
  const boost::math::students_t t(static_cast<double>(n1 + n2 - 2));
  const double z = quantile(t, 1 - alpha / 2) + quantile(t, power);
  return z * noise * std::sqrt(1.0 / static_cast<double>(n1) + 1.0 / static_cast<double>(n2));
}

std::optional<size_t> runs_needed(double noise, double effect, double alpha, double power,
                                  size_t max_runs) {
  if (std::isnan(noise) || max_runs < 2) return std::nullopt;
  // Both conditions only get easier with more runs: bisect for the first n.
  const auto enough = [&](size_t n) {
    return smallest_p(n, n) <= alpha &&
           minimum_detectable_effect(noise, n, n, alpha, power) <= effect;
  };
  if (!enough(max_runs)) return std::nullopt;
  size_t too_few = 1, enough_runs = max_runs;
  while (enough_runs - too_few > 1) {
    const size_t mid = too_few + (enough_runs - too_few) / 2;
    (enough(mid) ? enough_runs : too_few) = mid;
  }
  return enough_runs;
}

}  // namespace scxfarm::compare
