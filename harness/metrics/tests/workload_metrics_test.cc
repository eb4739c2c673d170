#include "scxfarm/metrics/workload_metrics.h"

#include <gtest/gtest.h>

#include "scxfarm/metrics/metrics_set.h"

namespace scxfarm::metrics {
namespace {

results::RunSummary run_with_workloads() {
  results::RunSummary run;
  run.suite = "wakeup";
  run.kernel_release = "7.3.4+deb13-cloud-amd64";
  run.topology = "numa1x4";
  run.scenario = "wakeup-latency";
  results::WorkloadSummary probe{.name = "A-probe", .kind = "wakeup-probe", .cgroup = "A"};
  probe.values = {{"latency_p50", 12'000},
                  {"latency_p99", 2'500'000},
                  {"latency_max", 9'000'000},
                  {"requests_per_s", 3900.5}};
  probe.units = {{"latency_p50", "nanoseconds"},
                 {"latency_p99", "nanoseconds"},
                 {"latency_max", "nanoseconds"},
                 {"requests_per_s", "ops_per_second"}};
  results::WorkloadSummary cpu{.name = "B-cpu", .kind = "stress-ng", .cgroup = "B"};
  cpu.values = {{"cpu.bogo_ops_per_s_real", 712.25}};
  cpu.units = {{"cpu.bogo_ops_per_s_real", "ops_per_second"}};
  results::WorkloadSummary cyc{.name = "C-rt", .kind = "cyclictest", .cgroup = "C"};
  cyc.values = {{"max", 6503}};
  cyc.units = {{"max", "microseconds"}};
  run.workloads = {probe, cpu, cyc};
  return run;
}

// TextSerializer writes labels sorted by name.
constexpr const char* kRun = "scenario=\"wakeup-latency\",suite=\"wakeup\",topology=\"numa1x4\"";
constexpr const char* kKernel = "kernel=\"7.3.4+deb13-cloud-amd64\"";

std::string value_series(const std::string& kind, const std::string& metric,
                         const std::string& unit, const std::string& workload) {
  return std::string("scxfarm_workload_value{") + kKernel + ",kind=\"" + kind + "\",metric=\"" +
         metric + "\"," + kRun + ",unit=\"" + unit + "\",workload=\"" + workload + "\"}";
}

std::string latency_series(const std::string& quantile, const std::string& workload) {
  return std::string("scxfarm_wakeup_latency_seconds{") + kKernel + ",percentile=\"" + quantile +
         "\"," + kRun + ",workload=\"" + workload + "\"}";
}

TEST(WorkloadMetrics, ValuesInBaseUnitsWithLabels) {
  MetricsSet set;
  set.record(run_with_workloads());
  const std::string text = set.to_text();
  EXPECT_EQ(find_sample(text, value_series("stress-ng", "cpu.bogo_ops_per_s_real", "ops_per_second",
                                           "B-cpu")),
            712.25)
      << text;
  auto max = find_sample(text, value_series("cyclictest", "max", "seconds", "C-rt"));
  ASSERT_TRUE(max.has_value()) << text;
  EXPECT_NEAR(*max, 0.006503, 1e-12);
  auto p50 = find_sample(text, value_series("wakeup-probe", "latency_p50", "seconds", "A-probe"));
  ASSERT_TRUE(p50.has_value());
  EXPECT_NEAR(*p50, 12e-6, 1e-15);
}

TEST(WorkloadMetrics, WakeupLatencyQuantilesInSeconds) {
  MetricsSet set;
  set.record(run_with_workloads());
  const std::string text = set.to_text();
  auto p99 = find_sample(text, latency_series("0.99", "A-probe"));
  ASSERT_TRUE(p99.has_value()) << text;
  EXPECT_NEAR(*p99, 0.0025, 1e-12);
  auto max = find_sample(text, latency_series("1", "A-probe"));
  ASSERT_TRUE(max.has_value());
  EXPECT_NEAR(*max, 0.009, 1e-12);
  EXPECT_FALSE(find_sample(text, latency_series("0.9", "A-probe")).has_value());  // not parsed
  EXPECT_FALSE(find_sample(text, latency_series("0.5", "B-cpu")).has_value());    // not a probe
  EXPECT_NE(text.find("# TYPE scxfarm_wakeup_latency_seconds gauge"), std::string::npos);
}

TEST(WorkloadMetrics, NoWorkloadsNoFamilies) {
  MetricsSet set;
  results::RunSummary run = run_with_workloads();
  run.workloads.clear();
  set.record(run);
  EXPECT_EQ(set.to_text().find("scxfarm_workload_value"), std::string::npos);
}

TEST(WorkloadMetrics, BaseUnits) {
  EXPECT_EQ(to_base_unit(1500, "microseconds"), std::make_pair(0.0015, std::string("seconds")));
  EXPECT_EQ(to_base_unit(2, "ops_per_second"), std::make_pair(2.0, std::string("ops_per_second")));
}

}  // namespace
}  // namespace scxfarm::metrics
