// The scenarios e2e test's per-scenario assertions (scenario_assertions.h)
// on real run.json files recorded by the scenarios suite on the 7.3 kernel
// (testdata/runs/, both runs passed): they hold there, and each fails on a
// copy with the property it asserts broken.
#include "scenario_assertions.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "recorded_streams.h"

namespace scxfarm::e2e {
namespace {

json recorded_run(const std::string& scenario) {
  std::ifstream in(std::filesystem::path(SCXFARM_SOURCE_DIR) /
                   "harness/runner/tests/testdata/runs" / (scenario + ".run.json"));
  EXPECT_TRUE(in) << scenario;
  return json::parse(in);
}

json& scheduler_of(json& run, const std::string& path) {
  for (auto& s : run["schedulers"])
    if (s["path"] == path) return s;
  ADD_FAILURE() << path;
  return run;
}

TEST(ScenarioAssertions, RescueHoldsOnARecordedRunAndNeedsTheKernelsRescues) {
  json run = recorded_run("wrong-cid-rescue");
  EXPECT_EQ(rescue_problems(run, 20), Problems{});
  // 151 attempts (135 before the last sample), 6 bounced, SCX_EV_SUB_RESCUE +151.
  json unrescued = run;
  scheduler_of(unrescued, "root/A")["event_deltas"]["SCX_EV_SUB_RESCUE"] = 100;
  EXPECT_EQ(rescue_problems(unrescued, 20),
            Problems{"SCX_EV_SUB_RESCUE grew by 100 for 135 attempts before the last sample"});
  json bounced = run;
  scheduler_of(bounced, "root/A")["reenq_cap"] = 151;
  EXPECT_EQ(rescue_problems(bounced, 20), Problems{"bounced 151 of 151 attempts with rescue on"});
  EXPECT_EQ(rescue_problems(run, 200),
            Problems{"root/A made 151 injection attempts, expected at least 200"});
}

TEST(ScenarioAssertions, SubtreeKillNeedsTheHostConfirmedEviction) {
  json run = recorded_run("subtree-kill");
  EXPECT_EQ(subtree_kill_problems(run), Problems{});
  // The agent's own labels (exit_causes) alone do not make it pass.
  json unconfirmed = run;
  unconfirmed["delegation"]["evictions_confirmed"] = 0;
  EXPECT_EQ(subtree_kill_problems(unconfirmed),
            Problems{"0 evictions confirmed from the parent's hier rows for 1 kills"});
  json failed = run;
  failed["delegation"]["eviction_failures"] = {"root still lists root/A"};
  EXPECT_EQ(subtree_kill_problems(failed),
            Problems{"eviction failures: [\"root still lists root/A\"]"});
  json sibling = run;
  sibling["delegation"]["exit_causes"]["root/B"] = "";
  EXPECT_EQ(subtree_kill_problems(sibling).size(), 1u);
}

// No passing hotplug-churn run.json was recorded before the scenario
// declared its teardown: its recorded stream, analysed by the host as a run
// would be now, stands in for one.
TEST(ScenarioAssertions, HotplugHoldsOnTheRecordedStreamAndNeedsTheDeclaredReasons) {
  auto replayed =
      runner::recorded::replay("hotplug-churn", runner::recorded::load_stream("hotplug-churn"));
  ASSERT_TRUE(replayed.failures.empty()) << runner::recorded::all(replayed.failures);
  const json run = replayed.summary;
  EXPECT_EQ(hotplug_problems(run), Problems{});
  json other = run;
  other["delegation"]["exit_reasons"]["root/A"] = {"runtime error (invalid cid 9)"};
  EXPECT_EQ(
      hotplug_problems(other),
      Problems{"root/A exited for 'runtime error (invalid cid 9)', expected 'parent exiting'"});
  json extra = run;
  extra["delegation"]["exit_causes"]["root/C"] = "";
  EXPECT_EQ(hotplug_problems(extra).size(), 1u);
  json failed_ops = run;
  failed_ops["churn_errors"] = 2;
  EXPECT_EQ(hotplug_problems(failed_ops), Problems{"2 churn ops failed"});
}

}  // namespace
}  // namespace scxfarm::e2e
