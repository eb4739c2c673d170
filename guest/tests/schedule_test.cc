#include "schedule.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace scxfarm::agent {
namespace {

TEST(ChurnScheduler, WeightSwapEvery500msOver30sGives60Ops) {
  ChurnScheduler churn(testing::smoke_plan());
  uint64_t ops = 0;
  std::vector<uint64_t> deadlines;
  for (uint64_t now = 0; now <= 30000; ++now) {
    for (const auto& op : churn.due(now)) {
      ++ops;
      deadlines.push_back(op.deadline_ms);
      EXPECT_EQ(op.kind, "weight-swap");
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
  plan.churn.push_back({"weight-swap", {"B", "A/A1"}, 250});
  ChurnScheduler churn(plan);
  const auto ops = churn.due(500);
  ASSERT_EQ(ops.size(), 2u);
  EXPECT_EQ(ops[0].churn_index, 0u);
  EXPECT_EQ(ops[1].churn_index, 1u);
  EXPECT_EQ(ops[1].deadline_ms, 250u);
  EXPECT_EQ(churn.next_deadline(), 750u);
}

}  // namespace
}  // namespace scxfarm::agent
