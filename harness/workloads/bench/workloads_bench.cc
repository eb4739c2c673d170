// Hot paths: the wakeup probe's histogram record() (runs once per wake-up in
// the guest) and the output parsers (run once per workload on the host).
#include <benchmark/benchmark.h>

#include <cmath>
#include <fstream>
#include <random>
#include <sstream>

#include "histogram.h"
#include "scxfarm/workloads/parsers.h"

namespace {

std::string testdata(const std::string& name) {
  std::ifstream in(std::string(SCXFARM_WORKLOADS_TESTDATA) + "/" + name);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void BM_HistogramRecord(benchmark::State& state) {
  scxfarm::probe::LogLinearHistogram h;
  std::mt19937_64 rng(1);
  std::vector<uint64_t> values(4096);
  std::uniform_real_distribution<double> exp10(2, 8);  // 100 ns .. 100 ms
  for (auto& v : values) v = static_cast<uint64_t>(std::pow(10.0, exp10(rng)));
  size_t i = 0;
  for (auto _ : state) {
    h.record(values[i++ & 4095]);
  }
  benchmark::DoNotOptimize(h.count());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_HistogramRecord);

void BM_HistogramQuantiles(benchmark::State& state) {
  scxfarm::probe::LogLinearHistogram h;
  std::mt19937_64 rng(2);
  std::exponential_distribution<double> d(1.0 / 20'000);
  for (int i = 0; i < 1'000'000; ++i) h.record(static_cast<uint64_t>(d(rng)));
  for (auto _ : state) {
    benchmark::DoNotOptimize(h.quantile(0.5) + h.quantile(0.99) + h.quantile(0.999));
  }
}
BENCHMARK(BM_HistogramQuantiles);

void BM_Parse(benchmark::State& state, scxfarm::protocol::WorkloadKind kind, const char* file) {
  const std::string text = testdata(file);
  for (auto _ : state) {
    auto r = scxfarm::workloads::parse_workload_output(kind, text);
    benchmark::DoNotOptimize(r.ok());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK_CAPTURE(BM_Parse, stress_ng, scxfarm::protocol::WorkloadKind::kStressNg,
                  "stress-ng-cpu-vm-switch-brief.txt");
BENCHMARK_CAPTURE(BM_Parse, hackbench, scxfarm::protocol::WorkloadKind::kHackbench,
                  "hackbench-process.txt");
BENCHMARK_CAPTURE(BM_Parse, cyclictest, scxfarm::protocol::WorkloadKind::kCyclictest,
                  "cyclictest-q.txt");
BENCHMARK_CAPTURE(BM_Parse, wakeup_probe, scxfarm::protocol::WorkloadKind::kWakeupProbe,
                  "wakeup-probe-host.txt");

}  // namespace

BENCHMARK_MAIN();
