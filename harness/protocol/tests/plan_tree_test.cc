#include "scxfarm/protocol/plan_tree.h"

#include <gtest/gtest.h>

#include "test_plans.h"

namespace scxfarm::protocol {
namespace {

using testing::smoke_plan;

TEST(PlanTree, SchedulersInStartOrderWithParents) {
  const PlanTree tree(smoke_plan());
  const auto& nodes = tree.schedulers();
  ASSERT_EQ(nodes.size(), 4u);
  EXPECT_EQ(nodes[0].path, "root");
  EXPECT_EQ(nodes[0].cgroup, "");
  EXPECT_EQ(nodes[0].parent, "");
  EXPECT_EQ(nodes[0].depth, 0u);
  EXPECT_EQ(nodes[1].path, "root/A");
  EXPECT_EQ(nodes[1].parent, "root");
  EXPECT_EQ(nodes[2].path, "root/A/A1");
  EXPECT_EQ(nodes[2].cgroup, "A/A1");
  EXPECT_EQ(nodes[2].parent, "root/A");
  EXPECT_EQ(nodes[2].depth, 2u);
  EXPECT_EQ(nodes[3].path, "root/B");
  EXPECT_EQ(nodes[3].parent, "root");
  EXPECT_EQ(tree.scheduler("root/A/A1"), &nodes[2]);
  EXPECT_EQ(tree.scheduler("root/C"), nullptr);
}

TEST(PlanTree, ParentSkipsCgroupsWithoutScheduler) {
  ScenarioPlan plan;
  CgroupSpec y{"Y", 100, true, {{"-v"}}, {}, {}};
  CgroupSpec x{"X", 100, false, {}, {}, {y}};
  CgroupSpec b{"B", 100, false, {}, {}, {{"B1", 100, true, {}, {}, {}}}};
  plan.cgroups = {x, b};
  plan.root_scheduler.qmap_args = {"-B", "0"};
  const PlanTree tree(plan);
  const auto& nodes = tree.schedulers();
  ASSERT_EQ(nodes.size(), 3u);
  EXPECT_EQ(nodes[0].qmap_args, (std::vector<std::string>{"-B", "0"}));
  EXPECT_EQ(nodes[1].path, "root/X/Y");
  EXPECT_EQ(nodes[1].parent, "root");
  EXPECT_EQ(nodes[1].depth, 1u);
  EXPECT_EQ(nodes[1].qmap_args, (std::vector<std::string>{"-v"}));
  EXPECT_EQ(nodes[2].path, "root/B/B1");
  EXPECT_EQ(tree.scheduler_cgroups(), (std::vector<std::string>{"X/Y", "B/B1"}));
}

TEST(PlanTree, CgroupsParentsFirstWithLeafFlagsAndWhereDeclared) {
  const PlanTree tree(smoke_plan());
  const auto& cgroups = tree.cgroups();
  ASSERT_EQ(cgroups.size(), 3u);
  EXPECT_EQ(cgroups[0].path, "A");
  EXPECT_FALSE(cgroups[0].leaf);
  EXPECT_EQ(cgroups[0].weight, 200u);
  EXPECT_EQ(cgroups[0].depth, 1u);
  EXPECT_EQ(cgroups[1].path, "A/A1");
  EXPECT_EQ(cgroups[1].parent, "A");
  EXPECT_EQ(cgroups[1].field, "cgroups[0].children[0]");
  EXPECT_EQ(cgroups[1].depth, 2u);
  EXPECT_TRUE(cgroups[1].leaf);
  EXPECT_EQ(cgroups[2].path, "B");
  EXPECT_EQ(cgroups[2].field, "cgroups[1]");
  EXPECT_TRUE(cgroups[2].leaf);
  EXPECT_EQ(tree.cgroup_paths(), (std::vector<std::string>{"A", "A/A1", "B"}));
}

TEST(PlanTree, WorkloadsInTheirLeaves) {
  const PlanTree tree(smoke_plan());
  const auto& workloads = tree.workloads();
  ASSERT_EQ(workloads.size(), 2u);
  EXPECT_EQ(workloads[0].spec.name, "A1-cpu");
  EXPECT_EQ(workloads[0].cgroup, "A/A1");
  EXPECT_EQ(workloads[0].field, "cgroups[0].children[0].workloads[0]");
  EXPECT_EQ(workloads[1].cgroup, "B");
}

TEST(PlanTree, SubtreeIsWhatAKillTakes) {
  const PlanTree tree(smoke_plan());
  EXPECT_EQ(tree.subtree("root/A"), (std::vector<std::string>{"root/A", "root/A/A1"}));
  EXPECT_EQ(tree.subtree("root/B"), (std::vector<std::string>{"root/B"}));
  EXPECT_EQ(tree.subtree("root").size(), 4u);
  EXPECT_TRUE(tree.subtree("root/C").empty());
}

}  // namespace
}  // namespace scxfarm::protocol
