// The delegation checks of the analyzer: each one passes on a clean stream
// and fails when a violation is injected into it.
#include <gtest/gtest.h>

#include "scxfarm/runner/analyzer.h"

namespace scxfarm::runner {
namespace {

template <typename T>
protocol::Envelope msg(const T& m) {
  return *protocol::decode_line(protocol::encode(m));
}

protocol::SchedulerState state(const std::string& path, const std::string& caps,
                               uint64_t rescue = 0, bool present = true) {
  if (!present) return {path, false, "", "", ""};
  return {path, true, "qmap", caps, "SCX_EV_SUB_RESCUE " + std::to_string(rescue) + "\n"};
}

protocol::Sample sample(uint64_t seq, std::vector<protocol::SchedulerState> states,
                        std::vector<protocol::TaskProgress> tasks = {}) {
  protocol::Sample s;
  s.seq = seq;
  s.t_ms = seq * 250;
  s.schedulers = std::move(states);
  s.tasks = std::move(tasks);
  return s;
}

config::ScenarioConfig scenario() {
  config::ScenarioConfig sc;
  protocol::CgroupSpec a;
  a.name = "A";
  a.has_scheduler = true;
  sc.plan.cgroups = {a};
  sc.expect.all_schedulers_attach = false;  // these streams carry only what each test needs
  return sc;
}

std::vector<results::Failure> run(RunAnalyzer& an, const config::ScenarioConfig& sc,
                                  results::RunSummary& out) {
  an.fill(out);
  return check_expectations(sc, out);
}

bool mentions(const std::vector<results::Failure>& failures, const std::string& what) {
  for (const auto& f : failures)
    if (f.text.find(what) != std::string::npos) return true;
  return false;
}

TEST(Delegation, DetachAttachResetsBaselinesAndExcusesTheGap) {
  RunAnalyzer an;
  an.on_message(msg(protocol::SchedulerAttached{"root", "/r", 0, 100, 1}));
  an.on_message(msg(protocol::SchedulerAttached{"root/A", "/r/sub/sub-9", 9, 100, 2}));
  an.on_message(msg(sample(1, {state("root", "enq: 0-7\n"), state("root/A", "enq: 4-7\n", 50)})));
  protocol::ChurnOp begin{100, protocol::ChurnKind::kDetachAttach, {"A"}, "", true, "", "begin"};
  an.on_message(msg(begin));
  an.on_message(msg(
      protocol::SchedulerExited{"root/A", 300, true, 0, "", protocol::ExitCause::kDetachAttach}));
  an.on_message(msg(sample(2, {state("root", "enq: 0-7\n"), state("root/A", "", 0, false)})));
  an.on_message(msg(protocol::SchedulerAttached{"root/A", "/r/sub/sub-9", 9, 900, 3}));
  // The new instance's counter starts over at 3: not a counter going backwards.
  an.on_message(msg(sample(3, {state("root", "enq: 0-7\n"), state("root/A", "enq: 4-7\n", 3)})));
  an.on_message(msg(
      protocol::ChurnOp{1000, protocol::ChurnKind::kDetachAttach, {"A"}, "ok", true, "", "end"}));
  results::RunSummary out;
  auto failures = run(an, scenario(), out);
  EXPECT_EQ(out.invariant_violations, 0u) << out.violation_examples[0];
  EXPECT_EQ(out.delegation.reattaches, 1u);
  EXPECT_EQ(out.churn_ops_by_kind.at("detach-attach"), 1u);  // begin is not an op
  EXPECT_TRUE(failures.empty()) << failures[0].text;
  for (const auto& s : out.schedulers) {
    // 50 -> 50 in the old instance, 3 -> 3 in the new: no growth, no wrap.
    if (s.path == "root/A") {
      EXPECT_EQ(s.event_deltas.at("SCX_EV_SUB_RESCUE"), 0u);
    }
  }
}

TEST(Delegation, AMissingSchedulerNotInChurnIsAViolation) {
  RunAnalyzer an;
  an.on_message(msg(protocol::SchedulerAttached{"root/A", "/r/sub/sub-9", 9, 100, 2}));
  an.on_message(msg(sample(1, {state("root", "enq: 0-7\n"), state("root/A", "", 0, false)})));
  results::RunSummary out;
  an.fill(out);
  ASSERT_EQ(out.invariant_violations, 1u);
  EXPECT_NE(out.violation_examples[0].find("expected alive is missing"), std::string::npos);
}

TEST(Delegation, StarvedRunnableThreadFailsLiveness) {
  RunAnalyzer an;
  for (uint64_t i = 0; i < 30; ++i) {
    // tid 7 runs; tid 8 stays runnable with a frozen run time for 7 s.
    an.on_message(msg(sample(i, {state("root", "enq: 0-7\n")},
                             {{"w", 7, "R", 1000 * i, 0}, {"w", 8, "R", 555, 0}})));
  }
  results::RunSummary out;
  auto sc = scenario();
  sc.plan.cgroups.clear();
  auto failures = run(an, sc, out);
  EXPECT_EQ(out.delegation.workload_max_stall_ms.at("w"), 29u * 250);
  EXPECT_TRUE(mentions(failures, "liveness: a thread of workload w")) << failures.size();
  sc.expect.max_starvation_ms = 0;  // off
  EXPECT_FALSE(mentions(check_expectations(sc, out), "liveness"));
}

TEST(Delegation, SleepingThreadsAreNotStarved) {
  RunAnalyzer an;
  for (uint64_t i = 0; i < 30; ++i)
    an.on_message(msg(sample(i, {state("root", "enq: 0-7\n")}, {{"w", 8, "S", 555, 0}})));
  results::RunSummary out;
  an.fill(out);
  EXPECT_EQ(out.delegation.workload_max_stall_ms.at("w"), 0u);
}

void feed_hier(RunAnalyzer& an, const std::string& path, uint64_t t, uint64_t inj, uint64_t reenq) {
  const std::string lines[] = {"hier   : nsub=0 excl=0 shared=- rr=- reenq cap/immed +" +
                                   std::to_string(reenq) + "/+0 inj=+" + std::to_string(inj) +
                                   " rescue=+" + std::to_string(inj),
                               "hier   :          cgroup    w  alloc   disp/s  cids",
                               "hier   : self          9  100 100.00        -  4-7"};
  for (const auto& l : lines) an.on_message(msg(protocol::SchedulerOutput{path, t, l}));
}

TEST(Delegation, InjectionBounceShortfallFails) {
  auto sc = scenario();
  sc.expect.injection_cgroup = "A";
  sc.expect.injection_mode = "bounce";
  sc.expect.injection_min_attempts = 10;
  {
    RunAnalyzer an;  // one-to-one, one bounce late by an interval: fine
    feed_hier(an, "root/A", 1000, 6, 5);
    feed_hier(an, "root/A", 2000, 6, 7);
    feed_hier(an, "root/A", 3000, 0, 0);
    an.on_message(msg(sample(1, {state("root", "enq: 0-7\n"), state("root/A", "enq: 4-7\n")})));
    results::RunSummary out;
    auto failures = run(an, sc, out);
    EXPECT_TRUE(failures.empty()) << failures[0].text;
  }
  RunAnalyzer an;  // 3 attempts never bounce: the kernel accepted them
  feed_hier(an, "root/A", 1000, 6, 3);
  feed_hier(an, "root/A", 2000, 6, 6);
  feed_hier(an, "root/A", 3000, 0, 0);
  feed_hier(an, "root/A", 4000, 0, 0);  // completes the one before
  an.on_message(msg(sample(1, {state("root", "enq: 0-7\n"), state("root/A", "enq: 4-7\n")})));
  results::RunSummary out;
  auto failures = run(an, sc, out);
  EXPECT_EQ(out.delegation.injection_shortfall_intervals.at("root/A"), 3u);  // and stays short
  EXPECT_TRUE(mentions(failures, "had attempts without a reenq-cap bounce"));
  EXPECT_TRUE(mentions(failures, "bounced 9 of 12"));
}

TEST(Delegation, InjectionRescueNeedsKernelRescues) {
  auto sc = scenario();
  sc.expect.injection_cgroup = "A";
  sc.expect.injection_mode = "rescue";
  // 8 attempts in the interval completed at t=1100, then samples at 1250
  // and 1500 whose rescue counter grows by RESCUED.
  auto feed = [](RunAnalyzer& an, uint64_t rescued) {
    feed_hier(an, "root/A", 1000, 8, 0);
    feed_hier(an, "root/A", 1100, 0, 0);  // completes it
    an.on_message(
        msg(sample(5, {state("root", "enq: 0-7\n", 0), state("root/A", "enq: 4-7\n", 0)})));
    an.on_message(
        msg(sample(6, {state("root", "enq: 0-7\n", 0), state("root/A", "enq: 4-7\n", rescued)})));
  };
  RunAnalyzer an;
  feed(an, 9);
  results::RunSummary out;
  EXPECT_TRUE(run(an, sc, out).empty());
  EXPECT_EQ(out.schedulers.back().inject_attempts_sampled, 8u);
  RunAnalyzer none;  // no rescue counted by the kernel
  feed(none, 0);
  results::RunSummary out2;
  EXPECT_TRUE(
      mentions(run(none, sc, out2),
               "8 attempts of root/A before the last sample but SCX_EV_SUB_RESCUE grew by 0"));
  // Attempts printed after the last sample (teardown) cannot be in its
  // events: a slow guest prints more of them, no failure for those.
  RunAnalyzer late;
  feed(late, 8);
  feed_hier(late, "root/A", 2000, 20, 0);
  feed_hier(late, "root/A", 3000, 0, 0);
  results::RunSummary out3;
  EXPECT_TRUE(run(late, sc, out3).empty());
  EXPECT_EQ(out3.schedulers.back().inject_attempts, 28u);
  EXPECT_EQ(out3.schedulers.back().inject_attempts_sampled, 8u);
}

TEST(Delegation, UndeclaredExitFailsWithTheReasonAndDeclaredOneMustHappen) {
  auto sc = scenario();
  sc.expect.exits = {{"A", ""}};
  RunAnalyzer an;
  an.on_message(msg(protocol::SchedulerExited{"root/B", 500, false, 1, "EXIT: scx_bpf_error (boom)",
                                              protocol::ExitCause::kNone}));
  results::RunSummary out;
  auto failures = run(an, sc, out);
  EXPECT_TRUE(mentions(failures, "expected exit of root/A (expect.exits) never happened"));
  EXPECT_TRUE(mentions(failures, "root/B exited (unexpectedly)"));
  EXPECT_TRUE(mentions(failures, "boom"));
}

// The settle window of the partition check follows the plan's qmap interval
// (protocol::settle_window_ms: 1.5 x -i), not a constant that assumes -i 1.
TEST(Delegation, PartitionSettleWindowFollowsTheQmapInterval) {
  auto feed = [](RunAnalyzer& an) {
    an.on_message(msg(protocol::SchedulerAttached{"root", "/r", 0, 100, 1}));
    an.on_message(msg(protocol::SchedulerAttached{"root/A", "/r/sub/sub-9", 9, 100, 2}));
    an.on_message(msg(
        protocol::ChurnOp{1000, protocol::ChurnKind::kWeightSwap, {"A", "B"}, "", true, "", ""}));
    for (const char* line :
         {"hier   : nsub=1 excl=4 shared=- rr=- reenq cap/immed +0/+0 inj=+0 rescue=+0",
          "hier   :          cgroup    w  alloc   disp/s  cids",
          "hier   : self          0  100  50.00        -  0-3",
          "hier   : sub0          9  100  50.00    120.5  4-7"})
      an.on_message(msg(protocol::SchedulerOutput{"root", 2000, line}));
    // The next summary completes the interval at t=2600.
    an.on_message(msg(protocol::SchedulerOutput{
        "root", 2600,
        "hier   : nsub=1 excl=4 shared=- rr=- reenq cap/immed +0/+0 inj=+0 rescue=+0"}));
    protocol::Sample last =
        sample(11, {state("root", "enq: 0-7\n"), state("root/A", "enq: 4-7\n")});
    last.t_ms = 2750;
    an.on_message(msg(last));
  };
  auto sc = scenario();
  sc.expect.partition_matches_caps = true;
  RunAnalyzer one_second(sc.plan);  // qmap -i 1: settled from t=2500
  feed(one_second);
  results::RunSummary out1;
  auto f1 = run(one_second, sc, out1);
  EXPECT_EQ(out1.delegation.partition_checks, 1u);
  EXPECT_FALSE(mentions(f1, "partition:")) << f1[0].text;

  sc.plan.qmap_stats_interval_s = 2;  // -i 2: the interval at 2600 is not settled (needs 4000)
  RunAnalyzer two_seconds(sc.plan);
  feed(two_seconds);
  results::RunSummary out2;
  auto f2 = run(two_seconds, sc, out2);
  EXPECT_EQ(out2.delegation.partition_checks, 0u);
  EXPECT_TRUE(mentions(f2, "partition: no settled qmap hier partition"));
}

}  // namespace
}  // namespace scxfarm::runner
