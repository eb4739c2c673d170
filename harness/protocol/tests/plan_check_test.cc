#include "scxfarm/protocol/plan_check.h"

#include <gtest/gtest.h>

#include "test_plans.h"

namespace scxfarm::protocol {
namespace {

using testing::smoke_plan;

// All problems of PLAN, one "field: message" per line.
std::string problems_of(const ScenarioPlan& plan) {
  std::string out;
  for (const auto& p : check_plan(plan)) out += p.describe() + "\n";
  return out;
}

TEST(PlanCheck, AcceptsSmokeAndRejectsBadPlans) {
  EXPECT_EQ(problems_of(smoke_plan()), "");

  auto bad_name = smoke_plan();
  bad_name.cgroups[0].name = "../etc";
  EXPECT_FALSE(check_plan(bad_name).empty());

  auto internal_workload = smoke_plan();
  internal_workload.cgroups[0].workloads = {{"w", WorkloadKind::kStressNg, {}}};
  EXPECT_FALSE(check_plan(internal_workload).empty());

  auto bad_target = smoke_plan();
  bad_target.churn[0].targets = {"A", "C"};
  EXPECT_FALSE(check_plan(bad_target).empty());

  auto zero_period = smoke_plan();
  zero_period.churn[0].period_ms = 0;
  EXPECT_FALSE(check_plan(zero_period).empty());

  auto bad_weight = smoke_plan();
  bad_weight.cgroups[1].weight = 0;
  EXPECT_FALSE(check_plan(bad_weight).empty());

  auto dup = smoke_plan();
  dup.cgroups[1].workloads[0].name = "A1-cpu";
  EXPECT_FALSE(check_plan(dup).empty());
}

// The loader prints these with file:line:col in front (config's loader_test).
TEST(PlanCheck, ProblemsNameTheFieldAndWhatIsAllowed) {
  auto plan = smoke_plan();
  plan.cgroups[1].name = "A";                                       // a sibling's name
  plan.cgroups[0].workloads = {{"w", WorkloadKind::kCommand, {}}};  // inner, no program
  plan.churn[0].targets = {"A", "C"};
  plan.churn.push_back({ChurnKind::kDetachAttach, {"A"}, 1000});
  plan.churn.push_back({ChurnKind::kHotplug, {}, 1000, {}, 1, 10000, {0, 3}});
  plan.settle_ms = plan.duration_ms;
  EXPECT_EQ(problems_of(plan),
            "settle_ms 30000 leaves no churn phase (allowed: 0..29999)\n"
            "cgroups[0].workloads: workloads must be in a leaf cgroup, and 'A' has children "
            "(cgroup v2 allows no processes in an inner cgroup with controllers enabled)\n"
            "cgroups[1].name: 'A' is already used by a sibling (cgroup names are unique among "
            "siblings)\n"
            "cgroups[0].workloads[0].args: kind: command needs args (the program and its "
            "arguments)\n"
            "churn[0].targets[1]: 'C' is not a cgroup of this scenario (cgroups: A, A/A1, A)\n"
            "churn[1].targets[0]: 'A' has a sub-scheduler (A/A1): detach-attach takes leaf "
            "schedulers only (the kernel would evict the subtree)\n"
            "churn[2].cpus[0]: cpu0 is not hot-pluggable (allowed: 1..nr_cpus-1)\n");
}

TEST(PlanCheck, StressNgWithoutMetricsRowsIsRejected) {
  auto plan = smoke_plan();
  plan.cgroups[1].workloads[0].args = {"--cpu", "4"};
  EXPECT_EQ(problems_of(plan),
            "cgroups[1].workloads[0].args: kind: stress-ng needs --metrics-brief or --metrics "
            "in args (the farm reads bogo-ops/s from its metrics rows)\n");
  plan.cgroups[1].workloads[0].args = {"--cpu", "4", "--metrics"};
  EXPECT_EQ(problems_of(plan), "");
}

TEST(PlanCheck, TreeLimits) {
  ScenarioPlan plan;
  CgroupSpec deepest{"L9", 100, false, {}, {}, {}};
  for (int level = 8; level >= 1; --level)
    deepest = CgroupSpec{"L" + std::to_string(level), 100, false, {}, {}, {deepest}};
  plan.cgroups = {deepest, {std::string(kMaxNameLength + 1, 'x'), 20000, false, {}, {}, {}}};
  const auto problems = check_plan(plan);
  ASSERT_EQ(problems.size(), 3u) << problems_of(plan);
  EXPECT_EQ(problems[0].describe(),
            "cgroups[0].children[0].children[0].children[0].children[0].children[0].children[0]"
            ".children[0].children[0]: cgroup nesting depth 9 is too deep (allowed: 1..8)");
  EXPECT_NE(problems[1].message.find("is too long for a cgroup name"), std::string::npos);
  EXPECT_EQ(problems[2].describe(), "cgroups[1].weight: 20000 is out of range (allowed: 1..10000)");
}

TEST(PlanCheck, ChurnTargetsPerKind) {
  auto plan = smoke_plan();
  plan.cgroups[1].has_scheduler = false;
  plan.churn = {{ChurnKind::kWeightSwap, {"A"}, 500},
                {ChurnKind::kMigrate, {"A/A1", "A/A1"}, 500},
                {ChurnKind::kSubtreeKill, {"B"}, 500},
                {ChurnKind::kWeightRandom, {}, 500, {}, 500, 20},
                {ChurnKind::kHotplug, {"A"}, 500}};
  EXPECT_EQ(problems_of(plan),
            "churn[0].targets: weight-swap needs exactly 2 cgroup paths, got 1\n"
            "churn[1].targets[1]: 'A/A1' is listed twice\n"
            "churn[2].targets[0]: cgroup 'B' has no scheduler to subtree-kill (cgroups with a "
            "scheduler: A, A/A1)\n"
            "churn[3].targets: weight-random needs at least one cgroup path\n"
            "churn[3]: min_weight 500 > max_weight 20\n"
            "churn[4].targets: hotplug takes cpus, not targets\n"
            "churn[4].cpus: hotplug needs at least one cpu\n");
}

}  // namespace
}  // namespace scxfarm::protocol
