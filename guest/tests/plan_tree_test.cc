#include "plan_tree.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace scxfarm::agent {
namespace {

using protocol::WorkloadKind;

// The tree itself (start order, parents, leaves) is tested in
// harness/protocol/tests/plan_tree_test.cc; here, the command lines.
TEST(PlanTree, QmapArgvAddsTheCgroupOfASubScheduler) {
  protocol::ScenarioPlan plan;
  protocol::CgroupSpec y{"Y", 100, true, {{"-v"}}, {}, {}};
  protocol::CgroupSpec x{"X", 100, false, {}, {}, {y}};
  plan.cgroups = {x};
  plan.root_scheduler.qmap_args = {"-B", "0"};
  const protocol::PlanTree tree(plan);
  const auto& nodes = tree.schedulers();
  ASSERT_EQ(nodes.size(), 2u);
  EXPECT_EQ(qmap_argv("/q", "/cg", nodes[0], 1),
            (std::vector<std::string>{"/q", "-i", "1", "-B", "0"}));
  EXPECT_EQ(qmap_argv("/q", "/cg", nodes[1], 2),
            (std::vector<std::string>{"/q", "-i", "2", "-v", "-c", "/cg/X/Y"}));
}

TEST(PlanTree, WorkloadArgv) {
  const protocol::PlanTree tree(testing::smoke_plan());
  const auto& workloads = tree.workloads();
  ASSERT_EQ(workloads.size(), 2u);
  EXPECT_EQ(*workload_argv(workloads[0].spec),
            (std::vector<std::string>{"stress-ng", "--cpu", "4"}));
  EXPECT_EQ(*workload_argv({"h", WorkloadKind::kHackbench, {"-l", "10"}}),
            (std::vector<std::string>{"hackbench", "-l", "10"}));
  EXPECT_EQ(*workload_argv({"c", WorkloadKind::kCyclictest, {}}),
            (std::vector<std::string>{"cyclictest"}));
  EXPECT_EQ(*workload_argv({"x", WorkloadKind::kCommand, {"sleep", "1"}}),
            (std::vector<std::string>{"sleep", "1"}));
  EXPECT_FALSE(workload_argv({"x", WorkloadKind::kCommand, {}}).ok());
  // An unknown kind never reaches workload_argv: the plan does not decode.
  EXPECT_THROW((nlohmann::json{{"name", "x"}, {"kind", "fio"}}.get<protocol::WorkloadSpec>()),
               nlohmann::json::exception);
}

TEST(PlanTree, ValidateAcceptsSmokeAndRejectsBadPlans) {
  EXPECT_TRUE(validate_plan(testing::smoke_plan()).ok());

  auto bad_name = testing::smoke_plan();
  bad_name.cgroups[0].name = "../etc";
  EXPECT_FALSE(validate_plan(bad_name).ok());

  auto internal_workload = testing::smoke_plan();
  internal_workload.cgroups[0].workloads = {{"w", WorkloadKind::kStressNg, {}}};
  EXPECT_FALSE(validate_plan(internal_workload).ok());

  auto bad_target = testing::smoke_plan();
  bad_target.churn[0].targets = {"A", "C"};
  EXPECT_FALSE(validate_plan(bad_target).ok());

  auto zero_period = testing::smoke_plan();
  zero_period.churn[0].period_ms = 0;
  EXPECT_FALSE(validate_plan(zero_period).ok());

  auto bad_weight = testing::smoke_plan();
  bad_weight.cgroups[1].weight = 0;
  EXPECT_FALSE(validate_plan(bad_weight).ok());

  auto dup = testing::smoke_plan();
  dup.cgroups[1].workloads[0].name = "A1-cpu";
  EXPECT_FALSE(validate_plan(dup).ok());
}

}  // namespace
}  // namespace scxfarm::agent
