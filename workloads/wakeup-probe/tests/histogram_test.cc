#include "histogram.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace scxfarm::probe {
namespace {

// Nearest-rank reference: the ceil(q*n)-th smallest value.
uint64_t reference_quantile(const std::vector<uint64_t>& sorted, double q) {
  auto rank = static_cast<size_t>(std::ceil(q * static_cast<double>(sorted.size())));
  rank = std::clamp<size_t>(rank, 1, sorted.size());
  return sorted[rank - 1];
}

void expect_quantiles_match(std::vector<uint64_t> values) {
  LogLinearHistogram h;
  for (uint64_t v : values) h.record(v);
  std::sort(values.begin(), values.end());
  ASSERT_EQ(h.count(), values.size());
  EXPECT_EQ(h.min(), values.front());
  EXPECT_EQ(h.max(), values.back());
  for (double q : {0.0, 0.001, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 0.9999, 1.0}) {
    const uint64_t want = reference_quantile(values, q);
    const uint64_t got = h.quantile(q);
    // Never below the true sample, at most one bucket (<= 1/128 of it) above.
    EXPECT_GE(got, want) << "q=" << q;
    EXPECT_LE(got - want, want / LogLinearHistogram::kSubCount) << "q=" << q << " want " << want;
  }
}

TEST(LogLinearHistogram, QuantilesMatchSortedReferenceOnUniformData) {
  std::mt19937_64 rng(1);
  std::uniform_int_distribution<uint64_t> d(0, 5'000'000);
  std::vector<uint64_t> v(100'000);
  for (auto& x : v) x = d(rng);
  expect_quantiles_match(v);
}

TEST(LogLinearHistogram, QuantilesMatchSortedReferenceOnLogUniformData) {
  std::mt19937_64 rng(2);
  std::uniform_real_distribution<double> exp10(0, 12);  // 1 ns .. 1000 s
  std::vector<uint64_t> v(50'000);
  for (auto& x : v) x = static_cast<uint64_t>(std::pow(10.0, exp10(rng)));
  expect_quantiles_match(v);
}

TEST(LogLinearHistogram, QuantilesMatchSortedReferenceOnHeavyTail) {
  std::mt19937_64 rng(3);
  std::exponential_distribution<double> body(1.0 / 20'000);  // ~20 µs
  std::vector<uint64_t> v(20'000);
  for (auto& x : v) x = static_cast<uint64_t>(body(rng));
  for (int i = 0; i < 30; ++i)
    v[static_cast<size_t>(i) * 97] = 3'000'000 + i * 1'000'000;  // ms spikes
  expect_quantiles_match(v);
}

TEST(LogLinearHistogram, SmallValuesAreExact) {
  LogLinearHistogram h;
  for (uint64_t v = 0; v < 100; ++v) h.record(v);
  EXPECT_EQ(h.quantile(0.5), 49u);
  EXPECT_EQ(h.quantile(0.99), 98u);
  EXPECT_EQ(h.quantile(1.0), 99u);
  EXPECT_DOUBLE_EQ(h.mean(), 49.5);
}

TEST(LogLinearHistogram, BucketsAreContiguousAndCoverUint64) {
  EXPECT_EQ(LogLinearHistogram::bucket_low(0), 0u);
  for (size_t i = 0; i + 1 < LogLinearHistogram::kBuckets; ++i) {
    ASSERT_EQ(LogLinearHistogram::bucket_high(i) + 1, LogLinearHistogram::bucket_low(i + 1)) << i;
    ASSERT_EQ(LogLinearHistogram::bucket_of(LogLinearHistogram::bucket_low(i)), i);
    ASSERT_EQ(LogLinearHistogram::bucket_of(LogLinearHistogram::bucket_high(i)), i);
  }
  EXPECT_EQ(LogLinearHistogram::bucket_high(LogLinearHistogram::kBuckets - 1), UINT64_MAX);
  EXPECT_EQ(LogLinearHistogram::bucket_of(UINT64_MAX), LogLinearHistogram::kBuckets - 1);
  LogLinearHistogram h;
  h.record(UINT64_MAX);
  EXPECT_EQ(h.quantile(0.5), UINT64_MAX);
}

TEST(LogLinearHistogram, EmptyHistogramReportsZeros) {
  LogLinearHistogram h;
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.quantile(0.99), 0u);
  EXPECT_EQ(h.min(), 0u);
  EXPECT_EQ(h.max(), 0u);
}

TEST(LogLinearHistogram, MergeEqualsRecordingEverythingInOne) {
  std::mt19937_64 rng(4);
  std::uniform_int_distribution<uint64_t> d(0, 10'000'000);
  LogLinearHistogram a, b, all;
  for (int i = 0; i < 10'000; ++i) {
    const uint64_t v = d(rng);
    (i % 3 ? a : b).record(v);
    all.record(v);
  }
  a.merge(b);
  EXPECT_EQ(a.count(), all.count());
  EXPECT_EQ(a.min(), all.min());
  EXPECT_EQ(a.max(), all.max());
  for (double q : {0.5, 0.9, 0.99, 0.999}) EXPECT_EQ(a.quantile(q), all.quantile(q));
}

}  // namespace
}  // namespace scxfarm::probe
