// Scheduler exits the scenario expects (expect.exits, with or without the
// kernel's exit reason): how the analyzer records exits nobody asked for
// (qmap's "EXIT:" line, the process exiting), how an absence from sysfs is
// explained by such an exit, how the exits check judges them, and what the
// outcome becomes when every such exit was declared.
#include <gtest/gtest.h>

#include <functional>

#include "recorded_streams.h"
#include "scxfarm/runner/executor.h"

namespace scxfarm::runner {
namespace {

using nlohmann::json;
using results::Check;
using results::Failure;

// A plan with the root and one child qmap on A.
protocol::ScenarioPlan plan_with_a() {
  protocol::ScenarioPlan plan;
  plan.cgroups = {{"A", 100, true, {}, {}, {}}};
  return plan;
}

// The analyzer of plan_with_a fed MESSAGES (type, body).
results::RunSummary analyse(const std::vector<std::pair<std::string, json>>& messages) {
  RunAnalyzer an(plan_with_a());
  for (const auto& [type, body] : messages) an.on_message({type, body});
  results::RunSummary out;
  an.fill(out);
  return out;
}

json attached(const std::string& path, uint64_t cgroup) {
  return {
      {"path", path}, {"sysfs_dir", "/x"}, {"cgroup_id", cgroup}, {"attach_ms", 900}, {"pid", 9}};
}
json sample(uint64_t seq, bool a_present, bool root_present = true) {
  const std::string caps = "enq_immed: 0-3\nenq: 0-3\npreempt: 0-3\nperf: 0-3\n";
  return {{"seq", seq},
          {"t_ms", seq * 250},
          {"schedulers",
           {{{"path", "root"},
             {"present", root_present},
             {"ops", "qmap"},
             {"caps", caps},
             {"events", "SCX_EV_SUB_RESCUE 0\n"}},
            {{"path", "root/A"},
             {"present", a_present},
             {"ops", "qmap"},
             {"caps", caps},
             {"events", "SCX_EV_SUB_RESCUE 0\n"}}}}};
}
json output(const std::string& path, const std::string& line, uint64_t t_ms) {
  return {{"path", path}, {"t_ms", t_ms}, {"line", line}};
}
json exited(const std::string& path, const std::string& last_output, uint64_t t_ms) {
  return {{"path", path},   {"t_ms", t_ms}, {"expected", false},
          {"exit_code", 0}, {"cause", ""},  {"last_output", last_output}};
}

TEST(UnaskedExits, AnAbsenceIsExplainedByTheExitReportedAfterIt) {
  // As recorded under hotplug: sysfs lost A first, then qmap printed its
  // EXIT line, then its process exited.
  auto s = analyse({{"scheduler_attached", attached("root", 0)},
                    {"scheduler_attached", attached("root/A", 28)},
                    {"sample", sample(1, true)},
                    {"sample", sample(2, false)},
                    {"sample", sample(3, false)},
                    {"scheduler_output", output("root/A", "EXIT: parent exiting", 800)},
                    {"sample", sample(4, false)},
                    {"scheduler_exited", exited("root/A", "hier ...\nEXIT: parent exiting\n", 900)},
                    {"sample", sample(5, false)}});
  EXPECT_EQ(s.invariant_violations, 0u) << s.violation_examples.front();
  EXPECT_EQ(s.delegation.exit_causes, (std::map<std::string, std::string>{{"root/A", ""}}));
  EXPECT_EQ(s.delegation.exit_reasons,
            (std::map<std::string, std::vector<std::string>>{{"root/A", {"parent exiting"}}}));
}

TEST(UnaskedExits, AnAbsenceNoExitExplainsIsAViolation) {
  // Never explained by the end of the stream.
  auto never = analyse({{"scheduler_attached", attached("root/A", 28)},
                        {"sample", sample(1, true)},
                        {"sample", sample(2, false)}});
  EXPECT_EQ(never.invariant_violations, 1u);
  EXPECT_EQ(never.violation_examples,
            (std::vector<std::string>{
                "sample 2: root/A: scheduler expected alive is missing from sysfs"}));
  // Back in sysfs without an exit in between.
  auto back = analyse({{"scheduler_attached", attached("root/A", 28)},
                       {"sample", sample(1, false)},
                       {"sample", sample(2, false)},
                       {"sample", sample(3, true)}});
  EXPECT_EQ(back.invariant_violations, 2u);
  EXPECT_TRUE(back.delegation.exit_causes.empty());
}

TEST(UnaskedExits, ARootTheKernelDisabledTwiceAndQmapRestartedIsTwoExits) {
  const std::string first =
      "unregistered from the main kernel (cpu 6 going offline, exiting "
      "scheduler) on CPU 6";
  const std::string second =
      "unregistered from the main kernel (expected hotplug seq 10 did not "
      "match actual 17) on CPU 5";
  auto s =
      analyse({{"scheduler_attached", attached("root", 0)},
               {"sample", sample(1, true)},
               {"sample", sample(2, true, false)},  // gone before its EXIT line arrived
               {"scheduler_output", output("root", "EXIT: " + first, 600)},
               {"sample", sample(3, true, false)},
               {"sample", sample(4, true, true)},  // restarted in-process
               {"scheduler_output", output("root", "EXIT: " + second, 1100)},
               {"sample", sample(5, true, false)},
               {"sample", sample(6, true, true)},
               {"phase", {{"name", "teardown"}, {"t_ms", 2000}}},
               {"scheduler_output", output("root", "EXIT: unregistered from user space", 2100)}});
  EXPECT_EQ(s.invariant_violations, 0u) << s.violation_examples.front();
  EXPECT_EQ(s.delegation.exit_reasons,
            (std::map<std::string, std::vector<std::string>>{{"root", {first, second}}}));
  ASSERT_FALSE(s.schedulers.empty());
  EXPECT_TRUE(s.schedulers[0].exited_unexpectedly);
  EXPECT_EQ(s.schedulers[0].exit_reason, "EXIT: " + first);
}

TEST(UnaskedExits, ExitLinesOfAStopTheAgentAskedForAreNotUnasked) {
  auto s =
      analyse({{"scheduler_attached", attached("root/A", 28)},
               {"churn",
                {{"kind", "detach-attach"},
                 {"targets", {"A"}},
                 {"t_ms", 400},
                 {"ok", true},
                 {"stage", "begin"}}},
               {"scheduler_output", output("root/A", "EXIT: unregistered from user space", 450)},
               {"sample", sample(2, false)}});
  EXPECT_TRUE(s.delegation.exit_causes.empty());
  EXPECT_EQ(s.invariant_violations, 0u);
}

// The exits check, on a summary with the exits the analyzer recorded.
std::vector<Failure> judge(const std::vector<config::ExpectedExit>& declared,
                           std::map<std::string, std::vector<std::string>> reasons) {
  config::ScenarioConfig sc;
  sc.plan = plan_with_a();
  sc.expect.all_schedulers_attach = false;
  sc.expect.exits = declared;
  results::RunSummary s;
  s.samples = 1;
  for (const auto& [path, r] : reasons) s.delegation.exit_causes[path] = "";
  s.delegation.exit_reasons = std::move(reasons);
  return check_expectations(sc, s);
}

TEST(DeclaredExitReasons, AMatchingReasonPassesEveryTime) {
  EXPECT_TRUE(judge({{"", "unregistered from the main kernel"}, {"A", "parent exiting"}},
                    {{"root",
                      {"unregistered from the main kernel (cpu 6 going offline) on CPU 6",
                       "unregistered from the main kernel (expected hotplug seq 10 did not "
                       "match actual 17) on CPU 5"}},
                     {"root/A", {"parent exiting"}}})
                  .empty());
  // A plain entry takes any reason.
  EXPECT_TRUE(judge({{"A", ""}}, {{"root/A", {"runtime error (invalid cid)"}}}).empty());
}

TEST(DeclaredExitReasons, AnotherReasonFailsNamingBoth) {
  EXPECT_EQ(judge({{"A", "parent exiting"}},
                  {{"root/A", {"parent exiting", "runtime error (invalid cid 9)"}}}),
            (std::vector<Failure>{
                {Check::kExits, "root/A",
                 "exited for 'runtime error (invalid cid 9)', expect.exits declares 'parent "
                 "exiting'",
                 "scheduler root/A exited for 'runtime error (invalid cid 9)', expect.exits "
                 "declares 'parent exiting'"}}));
  // No EXIT line printed (killed, crashed): no reason to match.
  EXPECT_EQ(judge({{"A", "parent exiting"}}, {{"root/A", {""}}}),
            (std::vector<Failure>{
                {Check::kExits, "root/A",
                 "exited without printing an exit reason, expect.exits declares 'parent exiting'",
                 "scheduler root/A exited without printing an exit reason, expect.exits declares "
                 "'parent exiting'"}}));
}

// Outcome: the agent calls every unasked exit a scheduler error; the host
// passes the run when each one was declared (the exits check found nothing).
TEST(DeclaredExitReasons, DeclaredExitsAreNotASchedulerError) {
  SessionResult session{SessionResult::End::kCompleted, "", 3, 1};
  results::RunSummary s;
  s.agent_outcome = "scheduler-error";
  s.agent_reason = "root/A exited unexpectedly (0): EXIT: parent exiting";
  results::SchedulerSummary a;
  a.path = "root/A";
  a.exited_unexpectedly = true;
  a.exit_reason = "hier ...\nEXIT: parent exiting\n";
  s.schedulers = {a};
  decide_outcome(session, {}, true, s);
  EXPECT_EQ(s.outcome, results::Outcome::kPass) << s.reason;
  // Undeclared (or declared for another reason): a scheduler error, saying which.
  s.failures = {{Check::kExits, "root/A", "exited for 'x'", "scheduler root/A exited for 'x'"}};
  decide_outcome(session, {}, true, s);
  EXPECT_EQ(s.outcome, results::Outcome::kSchedulerError);
  EXPECT_EQ(s.reason, "root/A exited unexpectedly (0): EXIT: parent exiting");
  s.agent_outcome = "pass";
  s.agent_reason = "";
  decide_outcome(session, {}, true, s);
  EXPECT_EQ(s.outcome, results::Outcome::kSchedulerError);
  EXPECT_EQ(s.reason, "root/A: EXIT: parent exiting");
  // The agent's scheduler error with no unasked exit the host saw stands.
  results::RunSummary agent_only;
  agent_only.agent_outcome = "scheduler-error";
  agent_only.agent_reason = "root/B did not attach";
  decide_outcome(session, {}, true, agent_only);
  EXPECT_EQ(agent_only.outcome, results::Outcome::kSchedulerError);
  EXPECT_EQ(agent_only.reason, "root/B did not attach");
}

// The recorded hotplug run, with exactly one exit changed.
std::vector<Failure> hotplug_failures(const std::function<void(std::vector<json>&)>& mutate) {
  auto stream = recorded::load_stream("hotplug-churn");
  mutate(stream);
  return recorded::replay("hotplug-churn", stream).failures;
}

TEST(DeclaredExitReasons, RecordedHotplugWithAnotherExitReasonFails) {
  auto failures = hotplug_failures([](auto& s) {
    for (auto& m : s) {
      if (m["path"] != "root/A") continue;
      if (m["type"] == "scheduler_output" && m["line"] == "EXIT: parent exiting")
        m["line"] = "EXIT: runtime error (invalid cid 9)";
      if (m["type"] == "scheduler_exited")
        m["last_output"] = "EXIT: runtime error (invalid cid 9)\n";
    }
  });
  ASSERT_EQ(failures.size(), 1u) << recorded::all(failures);
  EXPECT_EQ(failures[0].check, Check::kExits);
  EXPECT_EQ(failures[0].subject, "root/A");
  EXPECT_EQ(failures[0].detail,
            "exited for 'runtime error (invalid cid 9)', expect.exits declares 'parent exiting'");
}

TEST(DeclaredExitReasons, RecordedHotplugWithoutTheRootsExitLines) {
  // Without its EXIT lines nothing explains the root vanishing from sysfs.
  auto failures = hotplug_failures([](auto& s) {
    std::erase_if(s, [](const json& m) {
      return m["type"] == "scheduler_output" && m["path"] == "root" &&
             m["line"].get<std::string>().rfind("EXIT: ", 0) == 0;
    });
  });
  ASSERT_EQ(failures.size(), 2u) << recorded::all(failures);
  EXPECT_EQ(failures[0], (Failure{Check::kExits, "root", "declared in expect.exits, never happened",
                                  "expected exit of root (expect.exits) never happened"}));
  EXPECT_EQ(failures[1].check, Check::kInvariants);
  EXPECT_NE(failures[1].detail.find("root: scheduler expected alive is missing from sysfs"),
            std::string::npos)
      << failures[1].detail;
}

}  // namespace
}  // namespace scxfarm::runner
