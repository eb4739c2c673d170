// Every parser on real captured output (tests/testdata/README.md says where
// each file came from).
#include "scxfarm/workloads/parsers.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace scxfarm::workloads {
namespace {

std::string testdata(const std::string& name) {
  std::ifstream in(std::string(SCXFARM_WORKLOADS_TESTDATA) + "/" + name);
  EXPECT_TRUE(in.good()) << name;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

using protocol::WorkloadKind;

WorkloadResult parsed(WorkloadKind kind, const std::string& file) {
  auto r = parse_workload_output(kind, testdata(file));
  EXPECT_TRUE(r.ok()) << file << ": " << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : WorkloadResult{};
}

TEST(StressNg, MetricsBriefRow) {
  auto r = parsed(WorkloadKind::kStressNg, "stress-ng-cpu2-brief.txt");
  EXPECT_EQ(r.kind, WorkloadKind::kStressNg);
  EXPECT_DOUBLE_EQ(r.values.at("cpu.bogo_ops"), 2406);
  EXPECT_DOUBLE_EQ(r.values.at("cpu.real_time"), 3.01);
  EXPECT_DOUBLE_EQ(r.values.at("cpu.usr_time"), 1.46);
  EXPECT_DOUBLE_EQ(r.values.at("cpu.sys_time"), 0.01);
  EXPECT_DOUBLE_EQ(r.values.at("cpu.bogo_ops_per_s_real"), 800.27);
  EXPECT_DOUBLE_EQ(r.values.at("cpu.bogo_ops_per_s_usr_sys"), 1634.41);
  EXPECT_EQ(r.units.at("cpu.bogo_ops_per_s_real"), "ops_per_second");
  EXPECT_EQ(r.units.at("cpu.real_time"), "seconds");
  EXPECT_EQ(r.units.at("cpu.bogo_ops"), "ops");
  EXPECT_EQ(r.values.size(), 6u);
  EXPECT_EQ(r.units.size(), r.values.size());
}

TEST(StressNg, OneRowPerStressor) {
  auto r = parsed(WorkloadKind::kStressNg, "stress-ng-cpu-vm-switch-brief.txt");
  EXPECT_DOUBLE_EQ(r.values.at("cpu.bogo_ops_per_s_real"), 351.14);
  EXPECT_DOUBLE_EQ(r.values.at("vm.bogo_ops_per_s_real"), 4796.58);
  EXPECT_DOUBLE_EQ(r.values.at("switch.bogo_ops_per_s_usr_sys"), 167596.82);
  EXPECT_EQ(r.values.size(), 18u);
}

TEST(StressNg, FullMetricsTableHasExtraColumns) {
  auto r = parsed(WorkloadKind::kStressNg, "stress-ng-cpu2-metrics.txt");
  EXPECT_DOUBLE_EQ(r.values.at("cpu.bogo_ops_per_s_real"), 713.72);
  EXPECT_EQ(r.values.size(), 6u);
}

TEST(StressNg, StoppedBySigtermStillReports) {
  auto r = parsed(WorkloadKind::kStressNg, "stress-ng-cpu2-sigterm.txt");
  EXPECT_DOUBLE_EQ(r.values.at("cpu.bogo_ops_per_s_real"), 729.34);
}

TEST(StressNg, WithoutMetricsOptionSaysWhatToAdd) {
  auto r = parse_stress_ng(
      "stress-ng: info:  [1] dispatching hogs: 2 cpu\n"
      "stress-ng: info:  [1] successful run completed in 3.03 secs\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("--metrics-brief"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("successful run completed"), std::string::npos);
}

TEST(StressNg, ParsesFromTheLastFourKibOfALongOutput) {
  std::string noisy;
  for (int i = 0; i < 200; ++i)
    noisy += "stress-ng: info:  [1] some chatter line " + std::to_string(i) + "\n";
  noisy += testdata("stress-ng-cpu2-brief.txt");
  auto r = parse_stress_ng(std::string_view(noisy).substr(noisy.size() - 4096));
  ASSERT_TRUE(r.ok());
  EXPECT_DOUBLE_EQ(r->values.at("cpu.bogo_ops_per_s_real"), 800.27);
}

TEST(Hackbench, ProcessAndThreadModes) {
  auto p = parsed(WorkloadKind::kHackbench, "hackbench-process.txt");
  EXPECT_DOUBLE_EQ(p.values.at("time"), 1.513);
  EXPECT_EQ(p.units.at("time"), "seconds");
  EXPECT_DOUBLE_EQ(p.values.at("tasks"), 400);
  auto t = parsed(WorkloadKind::kHackbench, "hackbench-threads.txt");
  EXPECT_DOUBLE_EQ(t.values.at("time"), 0.444);
  EXPECT_DOUBLE_EQ(t.values.at("tasks"), 80);
}

TEST(Hackbench, SigtermPrintsTheTimeSoFar) {
  auto r = parsed(WorkloadKind::kHackbench, "hackbench-sigterm.txt");
  EXPECT_DOUBLE_EQ(r.values.at("time"), 2.210);
}

TEST(Hackbench, NoTimeLineIsAnError) {
  auto r = parse_hackbench("Running in process mode with 10 groups\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("Time: SECONDS"), std::string::npos);
}

TEST(Cyclictest, QuietSummaryPerThreadAndOverall) {
  auto r = parsed(WorkloadKind::kCyclictest, "cyclictest-q.txt");
  EXPECT_DOUBLE_EQ(r.values.at("T0.min"), 22);
  EXPECT_DOUBLE_EQ(r.values.at("T0.avg"), 112);
  EXPECT_DOUBLE_EQ(r.values.at("T0.max"), 6503);
  EXPECT_DOUBLE_EQ(r.values.at("T0.cycles"), 2933);
  EXPECT_DOUBLE_EQ(r.values.at("T1.max"), 5976);
  EXPECT_DOUBLE_EQ(r.values.at("min"), 19);
  EXPECT_DOUBLE_EQ(r.values.at("max"), 6503);
  EXPECT_NEAR(r.values.at("avg"), (112.0 * 2933 + 124.0 * 1964) / (2933 + 1964), 1e-9);
  EXPECT_DOUBLE_EQ(r.values.at("threads"), 2);
  EXPECT_EQ(r.units.at("T1.avg"), "microseconds");
  EXPECT_EQ(r.units.at("T1.cycles"), "count");
}

TEST(Cyclictest, SigtermStillPrintsTheSummary) {
  auto r = parsed(WorkloadKind::kCyclictest, "cyclictest-q-sigterm.txt");
  EXPECT_DOUBLE_EQ(r.values.at("max"), 3853);
}

TEST(Cyclictest, RefreshedLinesWithoutQuietTakeTheLast) {
  auto r = parse_cyclictest(
      "T: 0 ( 12) P: 0 I:1000 C:     10 Min:      5 Act:    7 Avg:    8 Max:      20\r"
      "T: 0 ( 12) P: 0 I:1000 C:     99 Min:      4 Act:    7 Avg:    9 Max:12345678\r");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_DOUBLE_EQ(r->values.at("T0.cycles"), 99);
  EXPECT_DOUBLE_EQ(r->values.at("T0.max"), 12345678);
}

TEST(Cyclictest, NoThreadLineIsAnError) {
  auto r = parse_cyclictest("# /dev/cpu_dma_latency set to 0us\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("cpu_dma_latency"), std::string::npos);
}

TEST(WakeupProbe, ResultLineAmongStderrLines) {
  auto r = parsed(WorkloadKind::kWakeupProbe, "wakeup-probe-host.txt");
  EXPECT_DOUBLE_EQ(r.values.at("workers"), 4);
  EXPECT_DOUBLE_EQ(r.values.at("wakeups"), 6400);
  EXPECT_DOUBLE_EQ(r.values.at("requests_per_s"), 3199.9);
  EXPECT_DOUBLE_EQ(r.values.at("latency_p50"), 4319);
  EXPECT_DOUBLE_EQ(r.values.at("latency_p99"), 33791);
  EXPECT_DOUBLE_EQ(r.values.at("latency_p999"), 3997695);
  EXPECT_DOUBLE_EQ(r.values.at("latency_max"), 11984174);
  EXPECT_EQ(r.units.at("latency_p90"), "nanoseconds");
  EXPECT_EQ(r.units.at("requests_per_s"), "ops_per_second");
  EXPECT_EQ(r.values.size(), 8u);
}

TEST(WakeupProbe, TruncatedOrMissingFieldsAreErrors) {
  auto cut = parse_wakeup_probe("{\"probe\":\"wakeup\",\"workers\":4,\"wakeu\n");
  ASSERT_FALSE(cut.ok());
  EXPECT_NE(cut.error().message.find("not JSON"), std::string::npos);
  auto missing = parse_wakeup_probe("{\"probe\":\"wakeup\",\"workers\":4}\n");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("latency_ns"), std::string::npos);
  EXPECT_FALSE(parse_wakeup_probe("wakeup-probe: 4 workers\n").ok());
}

TEST(Dispatch, CommandHasNoParser) {
  EXPECT_FALSE(has_parser(WorkloadKind::kCommand));
  EXPECT_TRUE(has_parser(WorkloadKind::kWakeupProbe));
  auto r = parse_workload_output(WorkloadKind::kCommand, "anything");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("parsed kinds: stress-ng"), std::string::npos);
}

TEST(Dispatch, LatencyProbesAreTheWakeupProbeAndCyclictest) {
  EXPECT_TRUE(is_latency_probe(WorkloadKind::kWakeupProbe));
  EXPECT_TRUE(is_latency_probe(WorkloadKind::kCyclictest));
  EXPECT_FALSE(is_latency_probe(WorkloadKind::kStressNg));
  EXPECT_FALSE(is_latency_probe(WorkloadKind::kHackbench));
  EXPECT_FALSE(is_latency_probe(WorkloadKind::kCommand));
}

// Output tails from a real farm run (TCG, nested qmaps; the agent stopped
// stress-ng with SIGTERM at the end): what WorkloadDone.output_tail carried.
TEST(FromAFarmRun, WakeupProbeAndStressNgTails) {
  auto probe = parsed(WorkloadKind::kWakeupProbe, "wakeup-probe-vm.txt");
  EXPECT_DOUBLE_EQ(probe.values.at("latency_p50"), 96767);
  EXPECT_DOUBLE_EQ(probe.values.at("latency_p99"), 8355839);
  EXPECT_DOUBLE_EQ(probe.values.at("wakeups"), 12548);
  auto cpu = parsed(WorkloadKind::kStressNg, "stress-ng-cpu4-brief-vm.txt");
  EXPECT_DOUBLE_EQ(cpu.values.at("cpu.bogo_ops_per_s_real"), 79.03);
  EXPECT_DOUBLE_EQ(cpu.values.at("cpu.real_time"), 19.71);
}

}  // namespace
}  // namespace scxfarm::workloads
