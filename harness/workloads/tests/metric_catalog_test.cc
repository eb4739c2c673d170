// The metric catalog: one entry per value, found by its run.json key, and
// the parsers record only what it declares, with its units.
#include "scxfarm/workloads/metric_catalog.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <tuple>

#include "scxfarm/workloads/parsers.h"

namespace scxfarm::workloads {
namespace {

using protocol::WorkloadKind;

TEST(MetricCatalog, EachEntryOnce) {
  std::set<std::tuple<WorkloadKind, std::string_view, bool>> seen;
  for (const auto& spec : metric_catalog())
    EXPECT_TRUE(seen.insert({spec.kind, spec.name, spec.per_part}).second) << spec.name;
}

TEST(MetricCatalog, ComparedMetricsHaveADirection) {
  for (const auto& spec : metric_catalog())
    if (spec.compared) {
      EXPECT_NE(spec.better, Better::kNeither) << spec.name;
    }
}

TEST(MetricCatalog, EveryParsedKindHasAComparedMetric) {
  for (const auto& [name, kind] : protocol::Spelled<WorkloadKind>::kNames) {
    if (!has_parser(kind)) continue;
    bool compared = false;
    for (const auto& spec : metric_catalog()) compared |= spec.kind == kind && spec.compared;
    EXPECT_TRUE(compared) << name;
  }
}

TEST(MetricCatalog, FindsWholeRunAndPerPartNames) {
  const auto* p99 = find_metric(WorkloadKind::kWakeupProbe, "latency_p99");
  ASSERT_NE(p99, nullptr);
  EXPECT_EQ(p99->better, Better::kLower);
  EXPECT_STREQ(p99->unit, kNanoseconds);
  EXPECT_TRUE(p99->compared);

  const auto* rate = find_metric(WorkloadKind::kStressNg, "vm-rw.bogo_ops_per_s_real");
  ASSERT_NE(rate, nullptr);
  EXPECT_EQ(rate->better, Better::kHigher);
  EXPECT_TRUE(rate->per_part);

  // cyclictest: "max" over all threads is compared, a thread's "T3.max" is not.
  const auto* max = find_metric(WorkloadKind::kCyclictest, "max");
  const auto* thread_max = find_metric(WorkloadKind::kCyclictest, "T3.max");
  ASSERT_NE(max, nullptr);
  ASSERT_NE(thread_max, nullptr);
  EXPECT_TRUE(max->compared);
  EXPECT_FALSE(thread_max->compared);

  EXPECT_EQ(find_metric(WorkloadKind::kWakeupProbe, "latency_p42"), nullptr);
  EXPECT_EQ(find_metric(WorkloadKind::kStressNg, "bogo_ops_per_s_real"), nullptr);  // no stressor
  EXPECT_EQ(find_metric(WorkloadKind::kStressNg, ".bogo_ops"), nullptr);
  EXPECT_EQ(find_metric(WorkloadKind::kHackbench, "latency_p99"), nullptr);  // another kind's
}

TEST(MetricCatalog, BetterIsSpelled) {
  EXPECT_EQ(to_string(Better::kHigher), "higher");
  EXPECT_EQ(to_string(Better::kLower), "lower");
  EXPECT_EQ(to_string(Better::kNeither), "neither");
}

std::string testdata(const std::string& name) {
  std::ifstream in(std::string(SCXFARM_WORKLOADS_TESTDATA) + "/" + name);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// What the parsers record on real output is declared, with the catalog's unit.
TEST(MetricCatalog, ParsersRecordCatalogUnits) {
  const std::pair<WorkloadKind, const char*> files[] = {
      {WorkloadKind::kStressNg, "stress-ng-cpu-vm-switch-brief.txt"},
      {WorkloadKind::kHackbench, "hackbench-process.txt"},
      {WorkloadKind::kCyclictest, "cyclictest-q.txt"},
      {WorkloadKind::kWakeupProbe, "wakeup-probe-vm.txt"},
  };
  for (const auto& [kind, file] : files) {
    auto r = parse_workload_output(kind, testdata(file));
    ASSERT_TRUE(r.ok()) << file;
    ASSERT_FALSE(r->values.empty()) << file;
    for (const auto& [metric, value] : r->values) {
      const auto* spec = find_metric(kind, metric);
      ASSERT_NE(spec, nullptr) << file << ": " << metric;
      EXPECT_EQ(r->units.at(metric), spec->unit) << file << ": " << metric;
    }
  }
}

TEST(MetricCatalogDeathTest, AnUndeclaredMetricIsAParserBug) {
  WorkloadResult r{.kind = WorkloadKind::kHackbench};
  EXPECT_DEATH(r.set("latency_p99", 1), "");
}

}  // namespace
}  // namespace scxfarm::workloads
