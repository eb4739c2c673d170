#include "commands.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace scxfarm::agent {
namespace {

using protocol::WorkloadKind;

// The tree (start order, parents, leaves) and the plan's rules are tested in
// harness/protocol/tests/; here, the command lines.
TEST(Commands, QmapArgvAddsTheCgroupOfASubScheduler) {
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

TEST(Commands, WorkloadArgv) {
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

}  // namespace
}  // namespace scxfarm::agent
