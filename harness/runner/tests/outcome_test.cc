#include <gtest/gtest.h>

#include "fake_runs.h"
#include "scxfarm/runner/executor.h"

namespace scxfarm::runner {
namespace {

using End = SessionResult::End;
using results::Outcome;

Outcome decide(End end, double hello, const ConsoleFindings& console, const std::string& agent,
               bool powered_off = true, std::vector<results::Failure> failures = {},
               bool exited = false) {
  SessionResult session{end, "detail", hello, 1};
  results::RunSummary s;
  s.agent_outcome = agent;
  s.failures = std::move(failures);
  results::SchedulerSummary sched;
  sched.exited_unexpectedly = exited;
  s.schedulers = {sched};
  decide_outcome(session, console, powered_off, s);
  return s.outcome;
}

TEST(Outcome, CrashOnTheConsoleWinsOverEverything) {
  ConsoleFindings crash;
  crash.kernel_crash = true;
  EXPECT_EQ(decide(End::kCompleted, 3, crash, "pass"), Outcome::kKernelCrash);
  EXPECT_EQ(decide(End::kHelloTimeout, 0, crash, ""), Outcome::kKernelCrash);
}

TEST(Outcome, SessionEndsMapToTheirKinds) {
  ConsoleFindings clean;
  EXPECT_EQ(decide(End::kInfra, 0, clean, ""), Outcome::kInfraError);
  EXPECT_EQ(decide(End::kHelloTimeout, 0, clean, ""), Outcome::kBootFailure);
  EXPECT_EQ(decide(End::kVmExited, 0, clean, ""), Outcome::kBootFailure);
  EXPECT_EQ(decide(End::kVmExited, 4, clean, ""), Outcome::kLostConnection);
  EXPECT_EQ(decide(End::kChannelClosed, 4, clean, ""), Outcome::kLostConnection);
  EXPECT_EQ(decide(End::kScenarioTimeout, 4, clean, ""), Outcome::kTimeout);
}

TEST(Outcome, VerdictsAndChecks) {
  ConsoleFindings clean;
  EXPECT_EQ(decide(End::kCompleted, 3, clean, "pass"), Outcome::kPass);
  EXPECT_EQ(decide(End::kCompleted, 3, clean, "scheduler-error"), Outcome::kSchedulerError);
  // An unasked exit the exits check failed (undeclared); a declared one passes.
  const results::Failure undeclared{results::Check::kExits, "", "exited", "scheduler exited"};
  EXPECT_EQ(decide(End::kCompleted, 3, clean, "pass", true, {undeclared}, true),
            Outcome::kSchedulerError);
  EXPECT_EQ(decide(End::kCompleted, 3, clean, "pass", true, {}, true), Outcome::kPass);
  EXPECT_EQ(decide(End::kCompleted, 3, clean, "fail"), Outcome::kFail);
  EXPECT_EQ(decide(End::kCompleted, 3, clean, "pass", true,
                   {{results::Check::kChurn, "", "too low", "churn: too low"}}),
            Outcome::kFail);
  EXPECT_EQ(decide(End::kCompleted, 3, clean, "pass", false), Outcome::kTimeout);
  // A declared settle that never came: the agent's own timeout verdict.
  EXPECT_EQ(decide(End::kCompleted, 3, clean, "timeout"), Outcome::kTimeout);
}

TEST(Outcome, AFailedRunsReasonIsItsFirstFailuresText) {
  SessionResult session{End::kCompleted, "detail", 3, 1};
  results::RunSummary s;
  s.agent_outcome = "pass";
  s.failures = {
      {results::Check::kAttach, "root/A", "never attached", "scheduler root/A never attached"},
      {results::Check::kSamples, "", "no samples were received", "no samples were received"}};
  decide_outcome(session, {}, true, s);
  EXPECT_EQ(s.outcome, Outcome::kFail);
  EXPECT_EQ(s.reason, "scheduler root/A never attached");
}

TEST(Console, RealIntThreeOopsIsACrashWithASignature) {
  const std::string console = fake_runs::kRealInt3Oops;
  auto f = inspect_console(console);
  EXPECT_TRUE(f.kernel_crash);
  EXPECT_NE(f.signature.find("set_next_task_fair"), std::string::npos);
  EXPECT_TRUE(inspect_console("[    0.000000] Linux version 7.3.4\nreboot: Power down\n")
                  .all_titles.empty());
}

}  // namespace
}  // namespace scxfarm::runner
