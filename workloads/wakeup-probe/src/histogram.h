// A log-linear ("HDR-style") histogram of non-negative 64-bit values
// (nanoseconds here): values below 2^kSubBits are counted exactly; above,
// each power-of-two range [2^e, 2^(e+1)) is split into 2^kSubBits equal
// buckets, so a bucket's width is at most 1/2^kSubBits (0.78 %) of the
// values in it. Memory is fixed (kBuckets counters, ~58 KiB) whatever the
// range or the number of samples; record() is a few shifts and an add.
//
// Percentiles use the nearest-rank definition (the value of the
// ceil(q * count)-th smallest sample) and report the highest value of that
// sample's bucket, clamped to the largest value recorded: the answer is
// never below the true sample and at most one bucket width above it.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <memory>

namespace scxfarm::probe {

class LogLinearHistogram {
 public:
  static constexpr int kSubBits = 7;
  static constexpr uint64_t kSubCount = uint64_t{1} << kSubBits;  // buckets per octave
  // Exact buckets [0, kSubCount) plus kSubCount per octave 2^kSubBits..2^63.
  static constexpr size_t kBuckets = kSubCount + (64 - kSubBits) * kSubCount;

  LogLinearHistogram() : counts_(std::make_unique<std::array<uint64_t, kBuckets>>()) {
    counts_->fill(0);
  }
  LogLinearHistogram(LogLinearHistogram&&) noexcept = default;
  LogLinearHistogram& operator=(LogLinearHistogram&&) noexcept = default;

  static size_t bucket_of(uint64_t v) {
    if (v < kSubCount) return static_cast<size_t>(v);
    const int e = std::bit_width(v) - 1;  // 2^e <= v < 2^(e+1), e >= kSubBits
    const int shift = e - kSubBits;
    const uint64_t sub = (v >> shift) - kSubCount;  // 0 .. kSubCount-1
    return static_cast<size_t>(kSubCount + static_cast<uint64_t>(shift) * kSubCount + sub);
  }
  static uint64_t bucket_low(size_t index) {
    if (index < kSubCount) return index;
    const uint64_t shift = (index - kSubCount) / kSubCount;
    const uint64_t sub = (index - kSubCount) % kSubCount;
    return (kSubCount + sub) << shift;
  }
  static uint64_t bucket_high(size_t index) {
    if (index < kSubCount) return index;
    const uint64_t shift = (index - kSubCount) / kSubCount;
    return bucket_low(index) + ((uint64_t{1} << shift) - 1);
  }

  void record(uint64_t v) {
    ++(*counts_)[bucket_of(v)];
    ++count_;
    sum_ += v;
    min_ = std::min(min_, v);
    max_ = std::max(max_, v);
  }

  void merge(const LogLinearHistogram& other) {
    for (size_t i = 0; i < kBuckets; ++i) (*counts_)[i] += (*other.counts_)[i];
    count_ += other.count_;
    sum_ += other.sum_;
    min_ = std::min(min_, other.min_);
    max_ = std::max(max_, other.max_);
  }

  uint64_t count() const { return count_; }
  uint64_t min() const { return count_ == 0 ? 0 : min_; }
  uint64_t max() const { return max_; }
  double mean() const { return count_ == 0 ? 0.0 : static_cast<double>(sum_) / count_; }

  // Q in [0, 1]; 0 with no samples.
  uint64_t quantile(double q) const {
    if (count_ == 0) return 0;
    q = std::clamp(q, 0.0, 1.0);
    auto rank = static_cast<uint64_t>(std::ceil(q * static_cast<double>(count_)));
    rank = std::clamp<uint64_t>(rank, 1, count_);
    uint64_t seen = 0;
    for (size_t i = 0; i < kBuckets; ++i) {
      seen += (*counts_)[i];
      if (seen >= rank) return std::min(bucket_high(i), max_);
    }
    return max_;
  }

 private:
  std::unique_ptr<std::array<uint64_t, kBuckets>> counts_;
  uint64_t count_ = 0;
  uint64_t sum_ = 0;
  uint64_t min_ = UINT64_MAX;
  uint64_t max_ = 0;
};

}  // namespace scxfarm::probe
