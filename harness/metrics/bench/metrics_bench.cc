// The costs a batch pays per run (record) and per export (to_text).
#include <benchmark/benchmark.h>

#include "../tests/sample_run.h"
#include "scxfarm/metrics/metrics_set.h"

namespace scxfarm::metrics {
namespace {

// A 4-scheduler run with 21 events each, into a registry that already has its
// series (the steady state of a batch).
void BM_RecordRun(benchmark::State& state) {
  const auto run = testing::sample_run("churn", 4, 21);
  MetricsSet set;
  set.record(run);
  for (auto _ : state) set.record(run);
}
BENCHMARK(BM_RecordRun);

// The same run into a fresh registry: every series is created.
void BM_RecordRunFreshRegistry(benchmark::State& state) {
  const auto run = testing::sample_run("churn", 4, 21);
  for (auto _ : state) {
    MetricsSet set;
    set.record(run);
    benchmark::DoNotOptimize(set);
  }
}
BENCHMARK(BM_RecordRunFreshRegistry);

// Text exposition of 100 distinct runs (100 scenarios x 4 schedulers x 21 events).
void BM_ToText100Runs(benchmark::State& state) {
  MetricsSet set;
  for (int i = 0; i < 100; ++i)
    set.record(testing::sample_run("scenario" + std::to_string(i), 4, 21));
  size_t bytes = 0;
  for (auto _ : state) {
    auto text = set.to_text();
    bytes = text.size();
    benchmark::DoNotOptimize(text);
  }
  state.counters["bytes"] = static_cast<double>(bytes);
  state.SetBytesProcessed(static_cast<int64_t>(bytes) * state.iterations());
}
BENCHMARK(BM_ToText100Runs)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace scxfarm::metrics
