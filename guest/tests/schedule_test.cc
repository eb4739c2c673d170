#include "schedule.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "test_util.h"

namespace scxfarm::agent {
namespace {

using protocol::ChurnKind;

TEST(ChurnScheduler, WeightSwapEvery500msOver30sGives60Ops) {
  ChurnScheduler churn(testing::smoke_plan());
  uint64_t ops = 0;
  std::vector<uint64_t> deadlines;
  for (uint64_t now = 0; now <= 30000; ++now) {
    for (const auto& op : churn.due(now)) {
      ++ops;
      deadlines.push_back(op.deadline_ms);
      EXPECT_EQ(op.kind, ChurnKind::kWeightSwap);
      EXPECT_EQ(op.targets, (std::vector<std::string>{"A", "B"}));
      EXPECT_EQ(op.late_ms, 0u);
    }
  }
  EXPECT_EQ(ops, 60u);
  EXPECT_EQ(deadlines.front(), 500u);
  EXPECT_EQ(deadlines.back(), 30000u);
  EXPECT_EQ(churn.skipped(), 0u);
  EXPECT_FALSE(churn.next_deadline().has_value());
}

TEST(ChurnScheduler, PollingOnlyAtDeadlinesGivesTheSameOps) {
  ChurnScheduler churn(testing::smoke_plan());
  uint64_t ops = 0;
  while (auto next = churn.next_deadline()) ops += churn.due(*next).size();
  EXPECT_EQ(ops, 60u);
}

TEST(ChurnScheduler, LateTickRunsOnceAndKeepsTheGrid) {
  ChurnScheduler churn(testing::smoke_plan());
  EXPECT_TRUE(churn.due(499).empty());
  EXPECT_EQ(churn.due(500).size(), 1u);
  // Stalled for 2.1 s: 1000..2500 have passed; one op, not four.
  const auto late = churn.due(2600);
  ASSERT_EQ(late.size(), 1u);
  EXPECT_EQ(late[0].deadline_ms, 1000u);
  EXPECT_EQ(late[0].late_ms, 1600u);
  EXPECT_EQ(churn.skipped(), 3u);           // 1500, 2000, 2500
  EXPECT_EQ(churn.next_deadline(), 3000u);  // no drift: still on the 500 ms grid
  EXPECT_TRUE(churn.due(2999).empty());
  EXPECT_EQ(churn.due(3001).size(), 1u);
  EXPECT_EQ(churn.next_deadline(), 3500u);
  EXPECT_EQ(churn.fired(), 3u);
  EXPECT_EQ(churn.max_late_ms(), 1600u);
}

// The run phase reports scheduled = fired + folded per kind, so the host
// can check the schedule against what a run of any speed applied.
TEST(ChurnScheduler, TalliesScheduledAndFoldedPerKindUntilFinished) {
  ChurnScheduler churn(testing::smoke_plan());
  EXPECT_EQ(churn.scheduled_by_kind().at(ChurnKind::kWeightSwap), 60u);  // 500 ms over 30 s
  EXPECT_FALSE(churn.finished());
  EXPECT_EQ(churn.due(2600).size(), 1u);  // 500 fires; 1000..2500 fold into it
  EXPECT_EQ(churn.due(2600).size(), 0u);
  EXPECT_EQ(churn.folded_by_kind().at(ChurnKind::kWeightSwap), 4u);
  const auto rest = churn.due(1'000'000);  // far past the end: one fires, the rest fold
  EXPECT_EQ(rest.size(), 1u);
  EXPECT_TRUE(churn.finished());
  EXPECT_EQ(churn.fired() + churn.folded_by_kind().at(ChurnKind::kWeightSwap), 60u);
}

TEST(PeriodicTimer, SamplesIncludeStartAndEnd) {
  PeriodicTimer timer(250, 0, 30000);
  uint64_t fired = 0;
  while (auto next = timer.next_deadline()) fired += timer.fire(*next).has_value();
  EXPECT_EQ(fired, 121u);  // 0, 250, ..., 30000
}

TEST(PeriodicTimer, LateNearTheEndCountsOnlyDeadlinesInRange) {
  PeriodicTimer timer(250, 0, 1000);
  EXPECT_EQ(timer.fire(0), 0u);
  EXPECT_EQ(timer.fire(5000), 250u);
  EXPECT_EQ(timer.skipped(), 3u);  // 500, 750, 1000
  EXPECT_FALSE(timer.next_deadline().has_value());
  EXPECT_FALSE(timer.fire(6000).has_value());
}

TEST(ChurnScheduler, SeveralDriversInPlanOrder) {
  auto plan = testing::smoke_plan();
  plan.duration_ms = 1000;
  plan.churn.push_back({ChurnKind::kWeightSwap, {"B", "A/A1"}, 250});
  ChurnScheduler churn(plan);
  const auto ops = churn.due(500);
  ASSERT_EQ(ops.size(), 2u);
  EXPECT_EQ(ops[0].churn_index, 0u);
  EXPECT_EQ(ops[1].churn_index, 1u);
  EXPECT_EQ(ops[1].deadline_ms, 250u);
  EXPECT_EQ(churn.next_deadline(), 750u);
}

protocol::ScenarioPlan churny_plan(uint64_t seed) {
  auto plan = testing::smoke_plan();
  plan.seed = seed;
  plan.duration_ms = 10000;
  plan.settle_ms = 2000;
  plan.churn = {};
  protocol::ChurnSpec random{ChurnKind::kWeightRandom, {"A", "B"}, 50};
  random.min_weight = 50;
  random.max_weight = 800;
  protocol::ChurnSpec hotplug{ChurnKind::kHotplug, {}, 700};
  hotplug.cpus = {2, 3, 5};
  protocol::ChurnSpec migrate{ChurnKind::kMigrate, {"A/A1", "B"}, 100};
  protocol::ChurnSpec detach{ChurnKind::kDetachAttach, {"A/A1", "B"}, 0};
  detach.at_ms = {3000, 1000};
  protocol::ChurnSpec kill{ChurnKind::kSubtreeKill, {"A", "B"}, 0};
  kill.at_ms = {4000, 5000, 6000};  // only two targets: the third op has none left
  plan.churn = {random, hotplug, migrate, detach, kill};
  return plan;
}

TEST(ChurnSchedule, SameSeedReplaysExactly) {
  const auto a = churn_schedule(churny_plan(42));
  const auto b = churn_schedule(churny_plan(42));
  ASSERT_FALSE(a.empty());
  EXPECT_EQ(a, b);
  EXPECT_NE(a, churn_schedule(churny_plan(43)));  // the seed matters
}

TEST(ChurnSchedule, ChoicesStayInTheirRangesAndHotplugPairs) {
  const auto ops = churn_schedule(churny_plan(9));
  std::map<ChurnKind, int> by_kind;
  std::vector<int> offline;
  std::set<uint32_t> weights;
  for (const auto& op : ops) {
    ++by_kind[op.kind];
    EXPECT_LE(op.deadline_ms, 8000u) << "churn must stop settle_ms before the end";
    if (op.kind == ChurnKind::kWeightRandom) {
      EXPECT_GE(op.weight, 50u);
      EXPECT_LE(op.weight, 800u);
      weights.insert(op.weight);
    } else if (op.kind == ChurnKind::kHotplug) {
      if (op.online) {
        ASSERT_FALSE(offline.empty());
        EXPECT_EQ(op.cpu, offline.back());  // the cpu taken offline comes back
        offline.pop_back();
      } else {
        EXPECT_TRUE(op.cpu == 2 || op.cpu == 3 || op.cpu == 5) << op.cpu;
        EXPECT_TRUE(offline.empty()) << "one cpu offline at a time";
        offline.push_back(op.cpu);
      }
    }
  }
  EXPECT_EQ(by_kind[ChurnKind::kWeightRandom], 160);  // 50 ms grid up to 8000 ms
  EXPECT_EQ(by_kind[ChurnKind::kHotplug], 11);
  EXPECT_EQ(by_kind[ChurnKind::kMigrate], 80);
  EXPECT_EQ(by_kind[ChurnKind::kDetachAttach], 2);
  EXPECT_EQ(by_kind[ChurnKind::kSubtreeKill], 2);  // each target once
  EXPECT_GT(weights.size(), 50u);                  // really random, not one value
}

TEST(ChurnScheduler, HotplugIsNeverFoldedWhenLate) {
  auto plan = churny_plan(1);
  plan.churn = {plan.churn[1]};  // hotplug every 700 ms
  ChurnScheduler churn(plan);
  const auto ops = churn.due(2200);  // 700, 1400, 2100 all due
  ASSERT_EQ(ops.size(), 3u);
  EXPECT_FALSE(ops[0].online);
  EXPECT_TRUE(ops[1].online);
  EXPECT_EQ(ops[0].cpu, ops[1].cpu);
  EXPECT_EQ(churn.skipped(), 0u);
}

}  // namespace
}  // namespace scxfarm::agent
