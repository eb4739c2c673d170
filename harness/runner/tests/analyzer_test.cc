#include "scxfarm/runner/analyzer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "scxfarm/config/loader.h"

namespace scxfarm::runner {
namespace {

using protocol::Envelope;

Envelope env(const std::string& line) {
  return *protocol::decode_line(line);
}

template <typename T>
Envelope msg(const T& m) {
  return env(protocol::encode(m));
}

const char* kEvents0 = "SCX_EV_SUB_RESCUE 0\nSCX_EV_INSERT_NOT_OWNED 0\n";
const char* kEvents1 = "SCX_EV_SUB_RESCUE 4\nSCX_EV_INSERT_NOT_OWNED 0\n";

protocol::Sample sample(uint64_t seq, const std::string& root_caps, const std::string& a_caps,
                        const std::string& a_events = kEvents0) {
  protocol::Sample s;
  s.seq = seq;
  s.t_ms = seq * 250;
  s.schedulers = {{"root", true, "qmap", root_caps, kEvents0},
                  {"root/A", true, "qmap", a_caps, a_events}};
  return s;
}

config::ScenarioConfig scenario_with_a() {
  config::ScenarioConfig sc;
  sc.plan.name = "t";
  protocol::CgroupSpec a;
  a.name = "A";
  a.has_scheduler = true;
  sc.plan.cgroups.push_back(a);
  sc.expect.min_churn_ops = 2;
  sc.expect.caps_change = {"A"};
  return sc;
}

TEST(Analyzer, DeclaredSchedulersInTreeOrder) {
  protocol::ScenarioPlan plan;
  protocol::CgroupSpec a{"A", 200, true, {}, {}, {{"A1", 100, true, {}, {}, {}}}};
  protocol::CgroupSpec b{"B", 100, false, {}, {}, {{"B1", 100, true, {}, {}, {}}}};
  plan.cgroups = {a, b};
  EXPECT_EQ(declared_schedulers(plan),
            (std::vector<std::string>{"root", "root/A", "root/A/A1", "root/B/B1"}));
}

TEST(Analyzer, CountsCapChangesAndEventDeltas) {
  RunAnalyzer an;
  an.on_message(msg(
      protocol::SchedulerAttached{"root/A", "/sys/kernel/sched_ext/root/sub/sub-9", 9, 1500, 42}));
  an.on_message(msg(sample(1, "enq: 0-7\n", "enq: 0-3\n")));
  an.on_message(msg(sample(2, "enq: 0-7\n", "enq: 0-2\n")));
  an.on_message(msg(sample(3, "enq: 0-7\n", "enq: 0-2\n", kEvents1)));
  results::RunSummary out;
  an.fill(out);
  EXPECT_EQ(out.samples, 3u);
  EXPECT_EQ(out.invariant_violations, 0u);
  const results::SchedulerSummary* a = nullptr;
  for (const auto& s : out.schedulers)
    if (s.path == "root/A") a = &s;
  ASSERT_NE(a, nullptr);
  EXPECT_TRUE(a->attached);
  EXPECT_DOUBLE_EQ(a->attach_seconds, 1.5);
  EXPECT_EQ(a->caps_changes.at("enq"), 1u);
  EXPECT_EQ(a->caps_distinct.at("enq"), 2u);
  EXPECT_EQ(a->caps_last.at("enq"), "0-2");
  EXPECT_EQ(a->cids_held_last.at("enq"), 3u);
  EXPECT_EQ(a->event_deltas.at("SCX_EV_SUB_RESCUE"), 4u);
}

TEST(Analyzer, HostRecheckCatchesACapOutsideTheParent) {
  RunAnalyzer an;
  an.on_message(msg(sample(1, "enq: 0-3\n", "enq: 2-5\n")));  // 4,5 not held by root
  results::RunSummary out;
  an.fill(out);
  EXPECT_EQ(out.invariant_violations, 1u);
  ASSERT_FALSE(out.violation_examples.empty());
  EXPECT_NE(out.violation_examples[0].find("root/A"), std::string::npos);
  EXPECT_NE(out.violation_examples[0].find("4-5"), std::string::npos);
}

TEST(Analyzer, HostRecheckCatchesACounterGoingBackwards) {
  RunAnalyzer an;
  an.on_message(msg(sample(1, "enq: 0-7\n", "enq: 0-3\n", kEvents1)));
  an.on_message(msg(sample(2, "enq: 0-7\n", "enq: 0-3\n", kEvents0)));
  results::RunSummary out;
  an.fill(out);
  EXPECT_EQ(out.invariant_violations, 1u);
}

TEST(Analyzer, HierLinesAddUpPerScheduler) {
  RunAnalyzer an;
  for (const char* line :
       {"hier   : nsub=0 excl=0 shared=- rr=- reenq cap/immed +3/+1 inj=+3 rescue=+0",
        "hier   :          cgroup    w  alloc   disp/s  cids",
        "hier   : self         41  100   4.00        -  0-3", "---- 01:53:03 ----",
        "hier   : nsub=0 excl=0 shared=- rr=- reenq cap/immed +2/+0 inj=+2 rescue=+0",
        "hier   :          cgroup    w  alloc   disp/s  cids",
        "hier   : self         41  100   4.00        -  0-3"}) {
    an.on_message(msg(protocol::SchedulerOutput{"root/A", 0, line}));
  }
  results::RunSummary out;
  an.fill(out);
  ASSERT_EQ(out.schedulers.size(), 1u);
  EXPECT_EQ(out.schedulers[0].reenq_cap, 5u);
  EXPECT_EQ(out.schedulers[0].inject_attempts, 5u);
  EXPECT_EQ(out.schedulers[0].reenq_immed, 1u);
}

TEST(Expectations, EachCanFail) {
  auto sc = scenario_with_a();
  results::RunSummary s;  // nothing happened
  auto failures = check_expectations(sc, s);
  auto has = [&](const std::string& needle) {
    for (const auto& f : failures)
      if (f.text.find(needle) != std::string::npos) return true;
    return false;
  };
  EXPECT_TRUE(has("no samples"));
  EXPECT_TRUE(has("root never attached"));
  EXPECT_TRUE(has("root/A never attached"));
  EXPECT_TRUE(has("churn: 0 operations, expected at least 2"));
  EXPECT_TRUE(has("caps of root/A never changed"));
}

// Each failure names its check and what it is about, so reports and
// metrics can group them without reading the text.
TEST(Expectations, FailuresAreTypedByCheckAndSubject) {
  auto sc = scenario_with_a();
  results::RunSummary s;  // nothing happened
  std::vector<std::pair<results::Check, std::string>> got;
  for (const auto& f : check_expectations(sc, s)) got.emplace_back(f.check, f.subject);
  using results::Check;
  EXPECT_EQ(got, (std::vector<std::pair<Check, std::string>>{{Check::kSamples, ""},
                                                             {Check::kAttach, "root"},
                                                             {Check::kAttach, "root/A"},
                                                             {Check::kChurn, ""},
                                                             {Check::kCapsChange, "root/A"}}));
}

// expect.exits names cgroups; exits are seen by scheduler path. A nested
// declared exit matches its path, an undeclared one fails with its subject.
TEST(Expectations, DeclaredExitsMatchTheirSchedulerPaths) {
  config::ScenarioConfig sc;
  protocol::CgroupSpec a{"A", 100, true, {}, {}, {{"A1", 100, true, {}, {}, {}}}};
  protocol::CgroupSpec b{"B", 100, true, {}, {}, {}};
  sc.plan.cgroups = {a, b};
  sc.expect.all_schedulers_attach = false;
  sc.expect.exits = {{"A/A1", ""}};
  results::RunSummary s;
  s.samples = 1;
  s.delegation.exit_causes = {{"root/A/A1", "subtree-kill"}, {"root/B", ""}};
  const auto failures = check_expectations(sc, s);
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(failures[0],
            (results::Failure{results::Check::kExits, "root/B",
                              "exited (unexpectedly) and expect.exits does not declare it",
                              "scheduler root/B exited (unexpectedly) and expect.exits does not "
                              "declare it"}));
}

TEST(Expectations, PassWhenMet) {
  auto sc = scenario_with_a();
  results::RunSummary s;
  s.samples = 10;
  s.churn_ops_by_kind["weight-swap"] = 2;
  results::SchedulerSummary root, a;
  root.path = "root";
  root.attached = true;
  a.path = "root/A";
  a.attached = true;
  a.caps_changes["enq"] = 3;
  s.schedulers = {root, a};
  EXPECT_TRUE(check_expectations(sc, s).empty());
}

// The agent's run-phase report (protocol 2): counts checked against what the
// run scheduled and did, whatever the machine's speed.
results::RunSummary passed_with_report() {
  results::RunSummary s;
  s.agent_protocol_version = 2;
  s.agent_outcome = "pass";
  s.samples = 40;
  s.churn_ops_by_kind["weight-swap"] = 7;
  s.run_phase.reported = true;
  s.run_phase.samples_taken = 40;
  s.run_phase.churn["weight-swap"] = {10, 6, 1, 3};  // scheduled, applied, failed, folded
  return s;
}

std::vector<std::string> run_phase_failures(const results::RunSummary& s) {
  config::ScenarioConfig sc;
  sc.expect.all_schedulers_attach = false;
  auto all = check_expectations(sc, s);
  std::vector<std::string> out;
  for (const auto& f : all)
    if (f.text.rfind("churn: weight-swap", 0) == 0 || f.text.rfind("samples:", 0) == 0 ||
        f.text.rfind("run phase:", 0) == 0)
      out.push_back(f.text);
  return out;
}

TEST(RunPhase, AccountedScheduleWithFoldsPasses) {
  EXPECT_TRUE(run_phase_failures(passed_with_report()).empty());
}

TEST(RunPhase, EachAccountingCheckCanFail) {
  auto lost_op = passed_with_report();
  lost_op.run_phase.churn["weight-swap"].folded = 2;  // one op neither applied nor folded
  EXPECT_EQ(run_phase_failures(lost_op),
            (std::vector<std::string>{"churn: weight-swap: 10 ops scheduled but 6 applied, 1 "
                                      "failed, 2 folded (the run phase ended before the schedule "
                                      "did)"}));
  auto lost_message = passed_with_report();
  lost_message.churn_ops_by_kind["weight-swap"] = 6;
  EXPECT_EQ(
      run_phase_failures(lost_message),
      (std::vector<std::string>{"churn: weight-swap: the agent did 7 ops, the host received 6"}));
  auto lost_sample = passed_with_report();
  lost_sample.samples = 39;
  EXPECT_EQ(run_phase_failures(lost_sample),
            (std::vector<std::string>{"samples: the agent took 40, the host received 39"}));
  auto no_settle = passed_with_report();
  no_settle.run_phase.settle_timed_out = true;
  no_settle.run_phase.waiting_for = "a qmap interval from root/B (last: none)";
  EXPECT_EQ(run_phase_failures(no_settle),
            (std::vector<std::string>{"run phase: the declared settle never came (waited for a "
                                      "qmap interval from root/B (last: none))"}));
  auto no_report = passed_with_report();
  no_report.run_phase = {};
  EXPECT_EQ(run_phase_failures(no_report),
            (std::vector<std::string>{"run phase: the agent passed but sent no run_phase report"}));
  no_report.agent_protocol_version = 1;  // recorded before the report existed
  EXPECT_TRUE(run_phase_failures(no_report).empty());
}

// Re-attach times are kept apart from the first attach.
TEST(Analyzer, ReattachTimesAreRecordedApartFromTheFirstAttach) {
  RunAnalyzer an;
  an.on_message(msg(protocol::SchedulerAttached{"root/A", "/x", 9, 1500, 42}));
  an.on_message(msg(protocol::SchedulerAttached{"root/A", "/x", 9, 49400, 43}));
  results::RunSummary out;
  an.fill(out);
  ASSERT_EQ(out.schedulers.size(), 1u);
  EXPECT_DOUBLE_EQ(out.schedulers[0].attach_seconds, 1.5);
  EXPECT_EQ(out.schedulers[0].reattach_seconds, std::vector<double>{49.4});
  EXPECT_EQ(out.delegation.reattaches, 1u);
}

// The real stream recorded by the agent on the 7.3 kernel (the smoke suite's
// smoke-nested), replayed: what the host derives from it, not the agent's
// own verdict, passes every check of the scenario.
TEST(Analyzer, ReplaysTheRecordedSmokeStream) {
  const std::filesystem::path source = SCXFARM_SOURCE_DIR;
  const auto path = source / "guest/tests/testdata/smoke-stream.jsonl";
  ASSERT_TRUE(std::filesystem::exists(path)) << "no recorded stream at " << path;
  auto scenario = config::load_scenario(source / "configs/scenarios/smoke-nested.yaml");
  ASSERT_TRUE(scenario.ok()) << scenario.error().message;
  RunAnalyzer an(scenario->plan);
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line))
    if (auto e = protocol::decode_line(line)) an.on_message(*e);
  results::RunSummary out;
  an.fill(out);
  EXPECT_EQ(an.undecodable(), 0u);
  EXPECT_EQ(out.samples, 120u);
  EXPECT_EQ(out.invariant_violations, 0u) << out.violation_examples.front();
  EXPECT_EQ(out.churn_ops_by_kind, (std::map<std::string, uint64_t>{{"weight-swap", 60}}));
  EXPECT_EQ(out.churn_errors, 0u);
  EXPECT_TRUE(out.delegation.exit_causes.empty());
  std::vector<std::string> attached;
  for (const auto& s : out.schedulers)
    if (s.attached) attached.push_back(s.path);
  EXPECT_EQ(attached, (std::vector<std::string>{"root", "root/A", "root/A/A1", "root/B"}));
  const auto failures = check_expectations(*scenario, out);
  for (const auto& f : failures) ADD_FAILURE() << f.text;
}

}  // namespace
}  // namespace scxfarm::runner
