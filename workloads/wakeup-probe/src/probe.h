// The wake-up loop: a message thread (the caller) wakes N worker threads
// through one futex word each; a worker stamps CLOCK_MONOTONIC as soon as it
// runs and records (now - the message thread's stamp just before the wake).
// A round waits until every worker has recorded, so a slow worker delays the
// next round instead of piling up wake-ups (schbench's model).
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "histogram.h"
#include "options.h"

namespace scxfarm::probe {

struct ProbeResult {
  uint32_t workers = 0;
  uint64_t wakeups = 0;        // recorded (after warm-up)
  uint64_t rounds = 0;         // recorded rounds
  uint64_t missed_rounds = 0;  // fixed-rate ticks skipped because a round overran
  double measured_s = 0;       // wall time of the recorded part
  bool interrupted = false;    // stopped by STOP before the duration ended
  LogLinearHistogram latency_ns;
  double requests_per_s() const { return measured_s > 0 ? wakeups / measured_s : 0; }
};

uint64_t monotonic_ns();

// Runs until the warm-up and duration have passed or STOP becomes true
// (checked at least every 100 ms).
ProbeResult run_probe(const ProbeOptions& options, const std::atomic<bool>& stop);

// {"probe":"wakeup","workers":N,"wakeups":K,"requests_per_s":X,
//  "latency_ns":{"p50":..,"p90":..,"p99":..,"p999":..,"max":..}} — one line, no newline.
std::string result_json(const ProbeResult& r);
// Human-readable summary lines for stderr.
std::string result_text(const ProbeResult& r);

}  // namespace scxfarm::probe
