#include "scxfarm/results/run_summary.h"

#include <gtest/gtest.h>

namespace scxfarm::results {
namespace {

TEST(Outcome, NamesRoundTrip) {
  for (auto o : {Outcome::kPass, Outcome::kFail, Outcome::kKernelCrash, Outcome::kBootFailure,
                 Outcome::kSchedulerError, Outcome::kTimeout, Outcome::kLostConnection,
                 Outcome::kInfraError}) {
    EXPECT_EQ(outcome_from_string(to_string(o)), o);
  }
  EXPECT_FALSE(outcome_from_string("passed"));
}

TEST(RunSummary, JsonRoundTrip) {
  RunSummary s;
  s.run_id = "20261126-smoke-1";
  s.outcome = Outcome::kSchedulerError;
  s.churn_ops_by_kind["weight-swap"] = 60;
  SchedulerSummary a;
  a.path = "root/A";
  a.caps_changes["enq"] = 7;
  a.event_deltas["SCX_EV_SUB_RESCUE"] = 3;
  s.schedulers.push_back(a);
  nlohmann::json j = s;
  EXPECT_EQ(j["outcome"], "scheduler-error");
  RunSummary back = j.get<RunSummary>();
  EXPECT_EQ(back.outcome, Outcome::kSchedulerError);
  EXPECT_EQ(back.churn_ops_by_kind.at("weight-swap"), 60u);
  ASSERT_EQ(back.schedulers.size(), 1u);
  EXPECT_EQ(back.schedulers[0].caps_changes.at("enq"), 7u);
}

}  // namespace
}  // namespace scxfarm::results
