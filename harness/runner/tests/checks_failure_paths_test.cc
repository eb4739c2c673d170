// Every failure path of the host's checks (checks.cc and the analyzer pieces
// it judges), fired on a real recorded stream (testdata/streams/) with
// exactly the message that should trip it changed, asserting the typed
// results::Failure: which check, about what, and what it found. The clean
// stream passes first, so each test shows the change alone made it fail.
#include <gtest/gtest.h>

#include <functional>
#include <regex>

#include "recorded_streams.h"

namespace scxfarm::runner {
namespace {

using nlohmann::json;
using recorded::all;
using recorded::load_stream;
using results::Check;
using results::Failure;

// SCENARIO's recorded stream, MUTATE'd: its failures, after checking that
// the unchanged stream has none.
std::vector<Failure> failures_after(const std::string& scenario,
                                    const std::function<void(std::vector<json>&)>& mutate) {
  auto stream = load_stream(scenario);
  EXPECT_FALSE(stream.empty()) << scenario << ": no recorded stream";
  auto clean = recorded::replay(scenario, stream);
  EXPECT_TRUE(clean.scenario.ok()) << clean.scenario.error().message;
  EXPECT_TRUE(clean.failures.empty()) << scenario << " unchanged:\n" << all(clean.failures);
  mutate(stream);
  return recorded::replay(scenario, stream).failures;
}

// The (check, subject, detail) of FAILURES; the text is the check's label,
// subject and detail joined and is not compared here.
std::vector<std::tuple<Check, std::string, std::string>> typed(
    const std::vector<Failure>& failures) {
  std::vector<std::tuple<Check, std::string, std::string>> out;
  for (const auto& f : failures) out.emplace_back(f.check, f.subject, f.detail);
  return out;
}

using Typed = std::vector<std::tuple<Check, std::string, std::string>>;

// The Nth (from 1) sample of the stream (trimmed streams keep every 2nd: the
// 10th has seq 27 in weight-churn).
json& nth_sample(std::vector<json>& s, int n) {
  int seen = 0;
  for (auto& m : s)
    if (m["type"] == "sample" && ++seen == n) return m;
  ADD_FAILURE() << "no sample " << n;
  static json none;
  return none;
}

json& scheduler_state(json& sample, const std::string& path) {
  for (auto& st : sample["schedulers"])
    if (st["path"] == path) return st;
  ADD_FAILURE() << "no " << path << " in sample " << sample["seq"];
  static json none;
  return none;
}

// Rewrites every qmap hier summary line of PATH with REWRITE(line).
void rewrite_hier_summaries(std::vector<json>& s, const std::string& path,
                            const std::function<std::string(const std::string&)>& rewrite) {
  for (auto& m : s) {
    if (m["type"] != "scheduler_output" || m["path"] != path) continue;
    const std::string line = m["line"];
    if (line.find("reenq cap/immed") != std::string::npos) m["line"] = rewrite(line);
  }
}

// A protocol-2 agent's hello and run-phase report, consistent with the
// stream (every op it shows applied, every sample taken arrived).
json run_phase_report(const std::vector<json>& s) {
  json report = {{"type", "run_phase"}, {"duration_ms", 15000}};
  uint64_t samples = 0;
  std::map<std::string, uint64_t> applied;
  for (const auto& m : s) {
    if (m["type"] == "sample") ++samples;
    if (m["type"] == "churn" && m.value("stage", "") != "begin") ++applied[m["kind"]];
  }
  report["samples_taken"] = samples;
  report["churn"] = json::object();
  for (const auto& [kind, n] : applied)
    report["churn"][kind] = {{"scheduled", n}, {"applied", n}, {"failed", 0}, {"folded", 0}};
  return report;
}

void speak_protocol_2(std::vector<json>& s) {
  s.insert(s.begin(), json{{"type", "hello"}, {"protocol_version", 2}});
}

// The result message (the agent's verdict) is the last but one (bye last, or last).
std::vector<json>::iterator before_verdict(std::vector<json>& s) {
  for (auto it = s.end(); it != s.begin(); --it)
    if ((*(it - 1))["type"] == "result") return it - 1;
  return s.end();
}

TEST(CheckFailurePaths, RescueThatStillBouncesEveryAttempt) {
  // The kernel bounced every injected dispatch although rescue is on.
  auto failures = failures_after("wrong-cid-rescue", [](auto& s) {
    static const std::regex counts(R"(reenq cap/immed \+\d+/\+(\d+) inj=\+(\d+))");
    rewrite_hier_summaries(s, "root/A", [](const std::string& line) {
      return std::regex_replace(line, counts, "reenq cap/immed +$2/+$1 inj=+$2");
    });
  });
  EXPECT_EQ(
      typed(failures),
      (Typed{{Check::kInjection, "root/A", "still bounced 339 of 339 attempts with rescue on"}}))
      << all(failures);
}

TEST(CheckFailurePaths, NoSettledPartitionToCompare) {
  // No parent qmap printed a hier interval after churn settled.
  auto failures = failures_after("weight-churn", [](auto& s) {
    uint64_t last_churn = 0;
    for (const auto& m : s)
      if (m["type"] == "churn") last_churn = std::max<uint64_t>(last_churn, m["t_ms"]);
    std::erase_if(s, [&](const json& m) {
      return m["type"] == "scheduler_output" && m["t_ms"].get<uint64_t>() > last_churn;
    });
  });
  EXPECT_EQ(
      typed(failures),
      (Typed{{Check::kPartition, "", "no settled qmap hier partition to compare with sysfs caps"}}))
      << all(failures);
}

TEST(CheckFailurePaths, ViolationsOnlyTheAgentSaw) {
  auto failures = failures_after("weight-churn", [](auto& s) {
    nth_sample(s, 10)["violations"] = {"root/A: enq 0-7 not within root's enq 0-3"};
  });
  EXPECT_EQ(typed(failures),
            (Typed{{Check::kInvariants, "",
                    "1 invariant violations (first: agent reported 1 violations the host "
                    "re-check did not reproduce)"}}))
      << all(failures);
}

TEST(CheckFailurePaths, UnreadableOpsCapsAndEvents) {
  auto one_sample = [](const std::function<void(json&)>& change) {
    return failures_after("weight-churn",
                          [&](auto& s) { change(scheduler_state(nth_sample(s, 10), "root/A")); });
  };
  auto ops = one_sample([](json& st) { st["ops"] = ""; });
  EXPECT_EQ(typed(ops), (Typed{{Check::kInvariants, "",
                                "1 invariant violations (first: sample 27: root/A: ops "
                                "unreadable (empty))"}}))
      << all(ops);
  auto caps = one_sample([](json& st) { st["caps"] = "enq: 0-3\nperf: three\n"; });
  EXPECT_EQ(typed(caps), (Typed{{Check::kInvariants, "",
                                 "1 invariant violations (first: sample 27: root/A: unparsable "
                                 "caps: caps line 2 \"perf: three\": cid list \"three\": bad "
                                 "element \"three\")"}}))
      << all(caps);
  auto events = one_sample([](json& st) { st["events"] = "SCX_EV_SUB_RESCUE lots\n"; });
  EXPECT_EQ(typed(events),
            (Typed{{Check::kInvariants, "",
                    "1 invariant violations (first: sample 27: root/A: unparsable events: events "
                    "line 1 \"SCX_EV_SUB_RESCUE lots\": count is not an unsigned 64-bit number)"}}))
      << all(events);
}

TEST(CheckFailurePaths, SettleThatNeverCame) {
  auto failures = failures_after("weight-churn", [](auto& s) {
    speak_protocol_2(s);
    json report = run_phase_report(s);
    report["settle_timed_out"] = true;
    report["waiting_for"] = "a qmap interval from root/B completed after 14210 ms (last: 13170 ms)";
    s.insert(before_verdict(s), report);
  });
  EXPECT_EQ(typed(failures),
            (Typed{{Check::kRunPhase, "",
                    "the declared settle never came (waited for a qmap interval from root/B "
                    "completed after 14210 ms (last: 13170 ms))"}}))
      << all(failures);
}

TEST(CheckFailurePaths, PassWithoutARunPhaseReport) {
  auto failures = failures_after("weight-churn", [](auto& s) { speak_protocol_2(s); });
  EXPECT_EQ(typed(failures),
            (Typed{{Check::kRunPhase, "", "the agent passed but sent no run_phase report"}}))
      << all(failures);
}

TEST(CheckFailurePaths, TooFewInjectionAttempts) {
  // qmap never injected: the scenario's floor (min_attempts 20) is not met.
  auto failures = failures_after("wrong-cid-bounce", [](auto& s) {
    static const std::regex counts(R"(reenq cap/immed \+\d+/\+(\d+) inj=\+\d+)");
    rewrite_hier_summaries(s, "root/A", [](const std::string& line) {
      return std::regex_replace(line, counts, "reenq cap/immed +0/+$1 inj=+0");
    });
  });
  EXPECT_EQ(typed(failures),
            (Typed{{Check::kInjection, "root/A", "made 0 attempts, expected at least 20"}}))
      << all(failures);
}

TEST(CheckFailurePaths, BounceModeCountsEveryAttempt) {
  // One interval's bounces lost: fewer bounces than attempts over the run.
  auto failures = failures_after("wrong-cid-bounce", [](auto& s) {
    static const std::regex cap(R"(reenq cap/immed \+\d+/)");
    int seen = 0;
    rewrite_hier_summaries(s, "root/A", [&](const std::string& line) {
      if (line.find("inj=+0 ") != std::string::npos || ++seen != 3) return line;
      return std::regex_replace(line, cap, "reenq cap/immed +0/");
    });
  });
  // The deficit of 40 outlives every later interval (cumulative accounting).
  EXPECT_EQ(typed(failures),
            (Typed{{Check::kInjection, "root/A",
                    "11 intervals had attempts without a reenq-cap bounce (first: root/A at 12903 "
                    "ms: 40 injection attempts never came back as reenq-cap bounces (this "
                    "interval: inj=+40 reenq cap +0))"},
                   {Check::kInjection, "root/A", "bounced 524 of 564 attempts"}}))
      << all(failures);
}

TEST(CheckFailurePaths, EvictionWithNoParentIntervalAfterTheKill) {
  // The root printed nothing after root/A was killed: nothing to confirm the eviction with.
  auto failures = failures_after("subtree-kill", [](auto& s) {
    uint64_t kill_end = 0;
    for (const auto& m : s)
      if (m["type"] == "churn" && m.value("stage", "") != "begin") kill_end = m["t_ms"];
    std::erase_if(s, [&](const json& m) {
      return m["type"] == "scheduler_output" && m["path"] == "root" &&
             m["t_ms"].get<uint64_t>() > kill_end;
    });
  });
  EXPECT_EQ(
      typed(failures),
      (Typed{{Check::kEviction, "", "root printed no hier interval after root/A was killed"}}))
      << all(failures);
}

TEST(CheckFailurePaths, SchedulerMissingFromSysfsMidRun) {
  auto failures = failures_after("weight-churn", [](auto& s) {
    scheduler_state(nth_sample(s, 10), "root/B")["present"] = false;
  });
  EXPECT_EQ(typed(failures), (Typed{{Check::kInvariants, "",
                                     "1 invariant violations (first: sample 27: root/B: "
                                     "scheduler expected alive is missing from sysfs)"}}))
      << all(failures);
}

// A latency run exists for its probe's numbers: output that did not parse,
// or never arrived, fails it.
TEST(CheckFailurePaths, LatencyProbeOutputThatDidNotParse) {
  auto failures = failures_after("latency-under-delegation", [](auto& s) {
    for (auto& m : s)
      if (m["type"] == "workload_done" && m["name"] == "probe")
        m["output_tail"] = "scxfarm-wakeup-probe: 4 workers\n";  // cut before its JSON line
  });
  EXPECT_EQ(typed(failures),
            (Typed{{Check::kWorkloadOutput, "probe",
                    "wakeup-probe output did not parse: wakeup-probe: no "
                    "'{\"probe\":\"wakeup\",...}' result line in the output (last line: "
                    "'scxfarm-wakeup-probe: 4 workers')"}}))
      << all(failures);
}

TEST(CheckFailurePaths, LatencyProbeThatSentNoOutput) {
  auto failures = failures_after("latency-baseline", [](auto& s) {
    std::erase_if(
        s, [](const json& m) { return m["type"] == "workload_done" && m["name"] == "probe"; });
  });
  EXPECT_EQ(typed(failures),
            (Typed{{Check::kWorkloadOutput, "probe",
                    "sent no output (no workload_done from the agent): nothing was measured"}}))
      << all(failures);
}

// Evictions the scenario expects but whose data is missing fail, naming
// what was missing.
TEST(CheckFailurePaths, EvictionOfASchedulerThatNeverReportedAttaching) {
  auto failures = failures_after("subtree-kill", [](auto& s) {
    std::erase_if(s, [](const json& m) {
      return m["type"] == "scheduler_attached" && m["path"] == "root/A";
    });
  });
  EXPECT_EQ(typed(failures),
            (Typed{{Check::kAttach, "root/A", "never attached"},
                   {Check::kEviction, "",
                    "cannot confirm the eviction of root/A: it never reported attaching (no "
                    "cgroup id to look for in its parent's hier rows)"}}))
      << all(failures);
}

TEST(CheckFailurePaths, PlannedKillThatNeverCompleted) {
  auto failures = failures_after("subtree-kill", [](auto& s) {
    // The kill began (its targets may vanish) but never reported its end.
    std::erase_if(
        s, [](const json& m) { return m["type"] == "churn" && m.value("stage", "") != "begin"; });
  });
  EXPECT_EQ(typed(failures),
            (Typed{{Check::kChurn, "", "0 operations, expected at least 1"},
                   {Check::kEviction, "",
                    "1 subtree kill(s) planned but 0 eviction(s) judged: no completed kill op "
                    "for the rest"}}))
      << all(failures);
}

// The analyzer alone: a kill it cannot place in the plan, or whose parent
// never said anything.
TEST(CheckFailurePaths, EvictionWithoutAParentToAsk) {
  auto judge = [](const protocol::ScenarioPlan& plan) {
    RunAnalyzer an(plan);
    an.on_message({"scheduler_attached",
                   {{"path", "root/A"},
                    {"sysfs_dir", "/x"},
                    {"cgroup_id", 28},
                    {"attach_ms", 900},
                    {"pid", 9}}});
    an.on_message({"churn",
                   {{"kind", "subtree-kill"},
                    {"targets", {"A"}},
                    {"t_ms", 5000},
                    {"ok", true},
                    {"stage", "end"}}});
    results::RunSummary out;
    an.fill(out);
    return out.delegation.eviction_failures;
  };
  EXPECT_EQ(judge(protocol::ScenarioPlan{}),
            (std::vector<std::string>{
                "cannot confirm the eviction of root/A: the plan declares no parent scheduler "
                "for it"}));
  protocol::ScenarioPlan plan;
  plan.cgroups = {{"A", 100, true, {}, {}, {}}};
  EXPECT_EQ(judge(plan), (std::vector<std::string>{
                             "cannot confirm the eviction of root/A: its parent root sent nothing "
                             "(no hier output, no sample)"}));
}

}  // namespace
}  // namespace scxfarm::runner
