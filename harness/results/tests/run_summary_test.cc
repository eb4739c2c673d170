#include "scxfarm/results/run_summary.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "every_field.h"
#include "scxfarm/results/summary_text.h"

namespace scxfarm::results {
namespace {

TEST(Outcome, NamesRoundTrip) {
  for (auto o : {Outcome::kPass, Outcome::kFail, Outcome::kKernelCrash, Outcome::kBootFailure,
                 Outcome::kSchedulerError, Outcome::kTimeout, Outcome::kLostConnection,
                 Outcome::kInfraError, Outcome::kSkipped}) {
    EXPECT_EQ(outcome_from_string(to_string(o)), o);
  }
  EXPECT_FALSE(outcome_from_string("passed"));
  EXPECT_EQ(to_string(Outcome::kSkipped), "skipped");
}

TEST(Outcome, OnlyPassAndSkippedAreNoFailure) {
  EXPECT_FALSE(is_failure(Outcome::kPass));
  EXPECT_FALSE(is_failure(Outcome::kSkipped));
  for (auto o :
       {Outcome::kFail, Outcome::kKernelCrash, Outcome::kBootFailure, Outcome::kSchedulerError,
        Outcome::kTimeout, Outcome::kLostConnection, Outcome::kInfraError})
    EXPECT_TRUE(is_failure(o)) << to_string(o);
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

TEST(RunSummary, EveryFieldRoundTrips) {
  const RunSummary s = testing::every_field_set();
  const nlohmann::json j = s;
  // The fill covers every key the mapping writes, nested ones included.
  const nlohmann::json defaults = RunSummary{};
  for (const auto& [key, value] : j.items()) EXPECT_NE(value, defaults[key]) << key;
  for (const auto& [key, value] : j["schedulers"][0].items())
    EXPECT_NE(value, nlohmann::json(SchedulerSummary{})[key]) << "schedulers." << key;
  for (const auto& [key, value] : j["workloads"][0].items())
    EXPECT_NE(value, nlohmann::json(WorkloadSummary{})[key]) << "workloads." << key;
  for (const auto& [key, value] : j["delegation"].items())
    EXPECT_NE(value, nlohmann::json(DelegationChecks{})[key]) << "delegation." << key;
  for (const auto& [key, value] : j["run_phase"].items())
    EXPECT_NE(value, nlohmann::json(RunPhase{})[key]) << "run_phase." << key;
  for (const auto& [key, value] : j["run_phase"]["churn"]["detach-attach"].items())
    EXPECT_NE(value, nlohmann::json(ChurnTally{})[key]) << "run_phase.churn." << key;
  for (const auto& [key, value] : j["failures"][1].items())
    EXPECT_NE(value, nlohmann::json(Failure{})[key]) << "failures." << key;
  for (const auto& [key, value] : j["kernel_features"].items())
    EXPECT_NE(value, nlohmann::json(kernelinfo::KernelFeatures{})[key])
        << "kernel_features." << key;
  for (const auto& [key, value] : j["kernel_features"]["features"][0].items())
    EXPECT_NE(value, nlohmann::json(kernelinfo::FeatureStatus{})[key])
        << "kernel_features.features." << key;

  EXPECT_EQ(j.get<RunSummary>(), s);
  // Keys and spellings as run.json has always had them.
  EXPECT_EQ(j["outcome"], "fail");
  EXPECT_EQ(j["failures"][1], (nlohmann::json{{"check", "attach"},
                                              {"subject", "root/B"},
                                              {"detail", "never attached"},
                                              {"text", "scheduler root/B never attached"}}));
}

TEST(Failure, ChecksHaveStableSpellings) {
  const std::vector<std::pair<Check, std::string>> spellings = {
      {Check::kSamples, "samples"},
      {Check::kAttach, "attach"},
      {Check::kChurn, "churn"},
      {Check::kRunPhase, "run-phase"},
      {Check::kCapsChange, "caps-change"},
      {Check::kExits, "exits"},
      {Check::kEviction, "eviction"},
      {Check::kLiveness, "liveness"},
      {Check::kPartition, "partition"},
      {Check::kInjection, "injection"},
      {Check::kInvariants, "invariants"},
      {Check::kTopology, "topology"},
      {Check::kKernelWarning, "kernel-warning"},
      {Check::kWorkloadOutput, "workload-output"},
      {Check::kUnclassified, "unclassified"},
  };
  for (const auto& [check, name] : spellings) {
    EXPECT_EQ(to_string(check), name);
    EXPECT_EQ(check_from_string(name), check);
    EXPECT_EQ(nlohmann::json(check), name);
  }
  // The runner's checks: every spelled one but unclassified, in order.
  const auto checks = runner_checks();
  ASSERT_EQ(checks.size(), spellings.size() - 1);
  for (size_t i = 0; i < checks.size(); ++i) EXPECT_EQ(checks[i], spellings[i].first);
  // A check a newer farm added still reads, as unclassified.
  EXPECT_EQ(nlohmann::json("cgroup-leak").get<Check>(), Check::kUnclassified);
  EXPECT_EQ(nlohmann::json("weird").get<Outcome>(), Outcome::kInfraError);
}

TEST(RunSummary, WorkloadsRoundTripWithUnits) {
  RunSummary s;
  WorkloadSummary w;
  w.name = "B-cpu";
  w.kind = "stress-ng";
  w.cgroup = "B";
  w.stopped = true;
  w.exit_code = 0;
  w.values["cpu.bogo_ops_per_s_real"] = 712.5;
  w.units["cpu.bogo_ops_per_s_real"] = "ops_per_second";
  s.workloads.push_back(w);
  WorkloadSummary bad;
  bad.name = "probe";
  bad.kind = "wakeup-probe";
  bad.parse_error = "wakeup-probe: no result line";
  s.workloads.push_back(bad);
  nlohmann::json j = s;
  EXPECT_EQ(j["workloads"][0]["values"]["cpu.bogo_ops_per_s_real"], 712.5);
  EXPECT_EQ(j["workloads"][0]["units"]["cpu.bogo_ops_per_s_real"], "ops_per_second");
  RunSummary back = j.get<RunSummary>();
  ASSERT_EQ(back.workloads.size(), 2u);
  EXPECT_EQ(back.workloads[0].cgroup, "B");
  EXPECT_TRUE(back.workloads[0].stopped);
  EXPECT_EQ(back.workloads[0].values, w.values);
  EXPECT_EQ(back.workloads[1].parse_error, "wakeup-probe: no result line");
  // An older run.json without the field still loads.
  j.erase("workloads");
  EXPECT_TRUE(j.get<RunSummary>().workloads.empty());
}

TEST(SummaryText, RunPhaseLineNamesItsClock) {
  RunPhase p;
  p.reported = true;
  p.duration_ms = 30000;
  p.phase_ms = 30200;
  p.last_churn_end_ms = 56800;
  p.settled_at_ms = 58000;
  p.churn["weight-swap"] = {60, 60, 0, 0};
  p.samples_taken = 106;
  p.samples_folded = 15;
  p.sample_max_late_ms = 365;
  RunSummary r;
  r.run_phase = p;
  EXPECT_THAT(format_run(r),
              ::testing::HasSubstr(
                  "  run phase 30.2 s (declared 30.0 s): last churn op ended at t=56.8 s, "
                  "settled at t=58.0 s; churn weight-swap 60/60 applied (0 folded); samples 106 "
                  "(15 folded, max late 365 ms)\n"));
}

// A skipped run booted nothing: its summary names what the kernel lacks and
// no measurement; the suite table counts it apart from passes and failures.
TEST(SummaryText, ASkippedRunShowsItsReasonAndNoMeasurements) {
  RunSummary r;
  r.run_id = "00-debian-6.12-numa2x4-smoke-nested-r0";
  r.kernel = "debian-6.12";
  r.topology = "numa2x4";
  r.scenario = "smoke-nested";
  r.seed = 1;
  r.outcome = Outcome::kSkipped;
  r.reason = "kernel lacks sub-sched (no sched_ext_ops.sub_attach in the kernel's BTF)";
  r.required_features = {"sched-ext", "sub-sched"};
  r.run_dir = "results/smoke/00";
  EXPECT_EQ(format_run(r),
            "run 00-debian-6.12-numa2x4-smoke-nested-r0: skipped — kernel lacks sub-sched (no "
            "sched_ext_ops.sub_attach in the kernel's BTF)\n"
            "  kernel debian-6.12 (debian-6.12), topology numa2x4, scenario smoke-nested, seed 1\n"
            "  requires sched-ext, sub-sched\n"
            "  files: results/smoke/00\n");

  RunSummary pass;
  pass.run_id = "01";
  pass.outcome = Outcome::kPass;
  RunSummary fail = pass;
  fail.run_id = "02";
  fail.outcome = Outcome::kTimeout;
  const std::string table = format_suite_table({r, pass, fail});
  EXPECT_THAT(table, ::testing::HasSubstr("  skipped          00-debian-6.12"));
  EXPECT_THAT(table, ::testing::EndsWith(
                         "1 passed, 1 failed, 1 skipped (the kernel lacks a required feature)\n"));
  EXPECT_THAT(format_suite_table({pass}), ::testing::EndsWith("\n1 passed, 0 failed\n"));
}

}  // namespace
}  // namespace scxfarm::results
