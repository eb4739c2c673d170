#include "probe.h"

#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <memory>
#include <thread>
#include <vector>

namespace scxfarm::probe {
namespace {

constexpr uint64_t kPollNs = 100'000'000;  // how often blocked threads look at STOP

void futex_wait(std::atomic<uint32_t>& word, uint32_t expected, uint64_t timeout_ns) {
  timespec ts{static_cast<time_t>(timeout_ns / 1'000'000'000),
              static_cast<long>(timeout_ns % 1'000'000'000)};
  ::syscall(SYS_futex, reinterpret_cast<uint32_t*>(&word), FUTEX_WAIT_PRIVATE, expected, &ts,
            nullptr, 0);
}

void futex_wake(std::atomic<uint32_t>& word) {
  ::syscall(SYS_futex, reinterpret_cast<uint32_t*>(&word), FUTEX_WAKE_PRIVATE, 1, nullptr, nullptr,
            0);
}

// One cache line per worker: the message thread writes it, the worker reads it.
struct alignas(64) WorkerSlot {
  std::atomic<uint32_t> woken{0};  // futex word: 1 = a wake-up is pending
  std::atomic<uint64_t> wake_ns{0};
  std::atomic<uint32_t> record{0};  // 1 = past warm-up
  LogLinearHistogram latency_ns;    // owned by the worker until joined
  uint64_t recorded = 0;
};

struct Shared {
  std::atomic<uint32_t> pending{0};  // futex word: workers that have not run this round
  std::atomic<bool> quit{false};
};

void worker_loop(WorkerSlot& slot, Shared& shared) {
  while (true) {
    while (slot.woken.load(std::memory_order_acquire) == 0) {
      if (shared.quit.load(std::memory_order_relaxed)) return;
      futex_wait(slot.woken, 0, kPollNs);
    }
    const uint64_t now = monotonic_ns();
    const uint64_t woke = slot.wake_ns.load(std::memory_order_relaxed);
    if (slot.record.load(std::memory_order_relaxed) != 0) {
      slot.latency_ns.record(now >= woke ? now - woke : 0);
      ++slot.recorded;
    }
    slot.woken.store(0, std::memory_order_release);
    if (shared.pending.fetch_sub(1, std::memory_order_acq_rel) == 1) futex_wake(shared.pending);
  }
}

void sleep_until_ns(uint64_t deadline) {
  timespec ts{static_cast<time_t>(deadline / 1'000'000'000),
              static_cast<long>(deadline % 1'000'000'000)};
  // EINTR (a signal) returns early: the caller re-checks STOP.
  ::clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr);
}

}  // namespace

uint64_t monotonic_ns() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000 + static_cast<uint64_t>(ts.tv_nsec);
}

ProbeResult run_probe(const ProbeOptions& options, const std::atomic<bool>& stop) {
  const uint32_t n = options.workers;
  std::vector<std::unique_ptr<WorkerSlot>> slots;
  for (uint32_t i = 0; i < n; ++i) slots.push_back(std::make_unique<WorkerSlot>());
  Shared shared;
  std::vector<std::thread> threads;
  {
    // Stop signals go to this (the message) thread only: workers inherit a
    // mask that blocks them, so a signal always interrupts our sleep.
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGINT);
    ::pthread_sigmask(SIG_BLOCK, &block, &old);
    for (uint32_t i = 0; i < n; ++i)
      threads.emplace_back(worker_loop, std::ref(*slots[i]), std::ref(shared));
    ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
  }

  ProbeResult result;
  result.workers = n;
  const uint64_t interval_ns = options.interval_us * 1000;
  const uint64_t start = monotonic_ns();
  const uint64_t record_from = start + static_cast<uint64_t>(options.warmup_s * 1e9);
  const bool forever = options.duration_s <= 0;
  const uint64_t end = record_from + static_cast<uint64_t>(options.duration_s * 1e9);
  bool recording = false;
  uint64_t next_tick = start;
  uint64_t recorded_rounds = 0, missed = 0;

  while (!stop.load(std::memory_order_relaxed)) {
    uint64_t now = monotonic_ns();
    if (!recording && now >= record_from) {
      recording = true;
      for (auto& s : slots) s->record.store(1, std::memory_order_relaxed);
    }
    if (!forever && now >= end) break;
    if (interval_ns > 0) {
      if (now < next_tick) {
        sleep_until_ns(std::min(next_tick, now + kPollNs));
        continue;  // re-check STOP and the clock
      }
      const uint64_t late_ticks = (now - next_tick) / interval_ns;
      if (recording) missed += late_ticks;
      next_tick += (late_ticks + 1) * interval_ns;
    }
    // One round: wake every worker, then wait until each has run.
    shared.pending.store(n, std::memory_order_release);
    for (auto& s : slots) {
      s->wake_ns.store(monotonic_ns(), std::memory_order_relaxed);
      s->woken.store(1, std::memory_order_release);
      futex_wake(s->woken);
    }
    uint32_t left;
    while ((left = shared.pending.load(std::memory_order_acquire)) != 0) {
      futex_wait(shared.pending, left, kPollNs);
      // Workers always finish a round once woken; STOP is honoured between rounds.
    }
    if (recording) ++recorded_rounds;
  }
  const uint64_t stopped = monotonic_ns();
  shared.quit.store(true);
  for (auto& s : slots) futex_wake(s->woken);
  for (auto& t : threads) t.join();

  result.interrupted = stop.load() && (forever || stopped < end);
  result.rounds = recorded_rounds;
  result.missed_rounds = missed;
  result.measured_s = recording ? static_cast<double>(stopped - record_from) / 1e9 : 0;
  for (auto& s : slots) {
    result.latency_ns.merge(s->latency_ns);
    result.wakeups += s->recorded;
  }
  return result;
}

std::string result_json(const ProbeResult& r) {
  const auto& h = r.latency_ns;
  char buf[512];
  std::snprintf(buf, sizeof buf,
                "{\"probe\":\"wakeup\",\"workers\":%u,\"wakeups\":%llu,\"requests_per_s\":%.1f,"
                "\"latency_ns\":{\"p50\":%llu,\"p90\":%llu,\"p99\":%llu,\"p999\":%llu,"
                "\"max\":%llu}}",
                r.workers, static_cast<unsigned long long>(r.wakeups), r.requests_per_s(),
                static_cast<unsigned long long>(h.quantile(0.50)),
                static_cast<unsigned long long>(h.quantile(0.90)),
                static_cast<unsigned long long>(h.quantile(0.99)),
                static_cast<unsigned long long>(h.quantile(0.999)),
                static_cast<unsigned long long>(h.max()));
  return buf;
}

std::string result_text(const ProbeResult& r) {
  const auto& h = r.latency_ns;
  char buf[768];
  std::snprintf(buf, sizeof buf,
                "wakeup-probe: %u workers, %llu wake-ups in %.2f s (%.1f/s), %llu rounds, "
                "%llu fixed-rate ticks missed%s\n"
                "wakeup-probe: latency us: min %.1f p50 %.1f p90 %.1f p99 %.1f p99.9 %.1f "
                "max %.1f mean %.1f\n",
                r.workers, static_cast<unsigned long long>(r.wakeups), r.measured_s,
                r.requests_per_s(), static_cast<unsigned long long>(r.rounds),
                static_cast<unsigned long long>(r.missed_rounds),
                r.interrupted ? " (stopped by a signal)" : "", h.min() / 1e3,
                h.quantile(0.50) / 1e3, h.quantile(0.90) / 1e3, h.quantile(0.99) / 1e3,
                h.quantile(0.999) / 1e3, h.max() / 1e3, h.mean() / 1e3);
  return buf;
}

}  // namespace scxfarm::probe
