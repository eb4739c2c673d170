// Everything shipped under configs/ is valid, and the smoke suite says what
// the docs say it does.
#include <gtest/gtest.h>

#include "scxfarm/config/repository.h"
#include "test_util.h"

namespace scxfarm::config {
namespace {

using testing::source_dir;

TEST(ShippedConfigs, EveryFileValidates) {
  auto reports = validate_paths({source_dir() / "configs"});
  EXPECT_GE(reports.size(), 5u);
  for (const auto& r : reports) EXPECT_TRUE(r.ok) << format_report(r);
}

TEST(ShippedConfigs, SmokeSuiteResolves) {
  ConfigRepository repo(source_dir() / "configs");
  auto r = repo.resolve_suite("smoke");
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto& suite = r->suite;
  EXPECT_EQ(suite.accel, Accel::kAuto);
  EXPECT_EQ(suite.tcg_threads, TcgThreads::kSingle);
  ASSERT_EQ(suite.expand().size(), 1u);
  EXPECT_EQ(suite.expand()[0].kernel, "debian-7.3-cloud");

  const auto& kernel = r->kernels.at("debian-7.3-cloud");
  EXPECT_EQ(kernel.source, KernelConfig::Source::kDebian);
  EXPECT_EQ(kernel.binary_package, "linux-binary-7.3.4+deb13-cloud-amd64");
  EXPECT_EQ(kernel.source_package, "linux-source-7.3");
  EXPECT_EQ(kernel.version, "7.3.4-1~bpo13+1");

  const auto& topo = r->topologies.at("numa2x4");
  EXPECT_EQ(topo.vcpus(), 8u);
  ASSERT_EQ(topo.nodes.size(), 2u);
  EXPECT_EQ(topo.nodes[1].cpus, (std::vector<uint32_t>{4, 5, 6, 7}));
  EXPECT_EQ(topo.memory_mib(), 2048u);
  EXPECT_EQ(topo.distances, (std::vector<std::vector<uint32_t>>{{10, 20}, {20, 10}}));

  const auto& scenario = r->scenarios.at("smoke-nested");
  const auto& plan = scenario.plan;
  EXPECT_EQ(plan.name, "smoke-nested");
  EXPECT_EQ(plan.duration_ms, 30000u);
  ASSERT_EQ(plan.cgroups.size(), 2u);
  const auto& a = plan.cgroups[0];
  EXPECT_EQ(a.name, "A");
  EXPECT_EQ(a.weight, 200u);
  EXPECT_TRUE(a.has_scheduler);
  ASSERT_EQ(a.children.size(), 1u);
  EXPECT_TRUE(a.children[0].has_scheduler);
  EXPECT_EQ(a.children[0].workloads[0].name, "A1-cpu");
  EXPECT_EQ(a.children[0].workloads[0].args,
            (std::vector<std::string>{"--cpu", "4", "--metrics-brief"}));
  EXPECT_EQ(plan.cgroups[1].workloads[0].name, "B-cpu");
  ASSERT_EQ(plan.churn.size(), 1u);
  EXPECT_EQ(plan.churn[0].targets, (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(plan.churn[0].period_ms, 500u);
  EXPECT_EQ(scenario.expect.min_churn_ops, 0u);  // accounted per run instead of a rate floor
  EXPECT_EQ(scenario.expect.caps_change, (std::vector<std::string>{"A", "B"}));
}

TEST(ShippedConfigs, Numa1x4Loads) {
  auto t = ConfigRepository(source_dir() / "configs").topology("numa1x4");
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ(t->vcpus(), 4u);
  EXPECT_EQ(t->nodes.size(), 1u);
}

}  // namespace
}  // namespace scxfarm::config
