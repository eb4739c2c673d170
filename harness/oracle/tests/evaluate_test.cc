// evaluate(): each verdict a cell can get, on finished suites written through
// the results writer and read back through the oracle's reader.
#include <gtest/gtest.h>

#include "fake_suite.h"
#include "scxfarm/oracle/inputs.h"
#include "scxfarm/oracle/report.h"
#include "scxfarm/oracle/verdict.h"
#include "scxfarm/results/result_files.h"

namespace scxfarm::oracle {
namespace {

using results::Check;
using results::Outcome;
using testing::FakeSuite;

MutantHeader header(std::vector<CaughtBy> caught_by, std::string waits_for = "") {
  MutantHeader h;
  h.file = "mutants/m.patch";
  h.breaks = "a promise";
  h.caught_by = std::move(caught_by);
  h.waits_for = std::move(waits_for);
  return h;
}

// stock + a mutant caught by partition in weight-churn and nested-basic, and
// one waiting for the placement auditor; the suite's scenarios are those two.
OraclePlan plan() {
  return {"oracle",
          {{"stock", std::nullopt},
           {"mutant-partition", header({{"weight-churn", Check::kPartition, 1},
                                        {"nested-basic", Check::kPartition, 2}})},
           {"mutant-waiting", header({}, "issue 11 placement auditor")}},
          {"weight-churn", "nested-basic"},
          {}};
}

// The plan's suite, every cell as it should be: stock passes, the mutant's
// named check fires (and liveness beside it once), the waiting one passes.
FakeSuite good_suite() {
  FakeSuite s("oracle");
  s.add("stock", "weight-churn");
  s.add("stock", "nested-basic");
  s.add("mutant-partition", "weight-churn", Outcome::kFail, {Check::kPartition, Check::kLiveness});
  s.add("mutant-partition", "nested-basic", Outcome::kSchedulerError,
        {Check::kExits, Check::kPartition});
  s.add("mutant-waiting", "weight-churn");
  s.add("mutant-waiting", "nested-basic");
  return s;
}

// The suite as the CLI reads it: written, then read back.
std::vector<results::RunSummary> round_trip(const FakeSuite& suite, const std::string& name) {
  const auto dir = testing::temp_dir(name);
  EXPECT_TRUE(suite.write(dir).ok());
  auto record = results::read_finished_suite(dir);
  EXPECT_TRUE(record.ok()) << record.error().message;
  return record ? record->runs : std::vector<results::RunSummary>{};
}

const MutantCell& cell(const OracleReport& r, const std::string& kernel,
                       const std::string& scenario) {
  for (const auto& m : r.mutants)
    for (const auto& c : m.cells)
      if (m.kernel == kernel && c.scenario == scenario) return c;
  ADD_FAILURE() << "no cell " << kernel << " x " << scenario;
  static const MutantCell none;
  return none;
}

TEST(Evaluate, CaughtWaitingAndStockPassHold) {
  const auto report = evaluate(plan(), round_trip(good_suite(), "good"));
  EXPECT_TRUE(report.holds()) << format_report(report);
  ASSERT_EQ(report.stock.size(), 2u);
  EXPECT_EQ(report.stock[0].verdict, StockVerdict::kPass);
  const auto& churn = cell(report, "mutant-partition", "weight-churn");
  EXPECT_EQ(churn.verdict, CellVerdict::kCaught);
  EXPECT_EQ(churn.named, std::vector<Check>{Check::kPartition});
  EXPECT_EQ(churn.fired, (std::vector<Check>{Check::kLiveness, Check::kPartition}));
  EXPECT_EQ(churn.others(), std::vector<Check>{Check::kLiveness});
  // A scheduler-error run is judged by its checks like a fail.
  EXPECT_EQ(cell(report, "mutant-partition", "nested-basic").verdict, CellVerdict::kCaught);
  EXPECT_EQ(cell(report, "mutant-waiting", "weight-churn").verdict, CellVerdict::kWaiting);
  const auto table = format_report(report);
  EXPECT_NE(table.find("weight-churn  caught     partition; also fired: liveness"),
            std::string::npos)
      << table;
  EXPECT_NE(table.find("    waits for: issue 11 placement auditor\n"
                       "    weight-churn  waiting    fired: none\n"),
            std::string::npos)
      << table;
  EXPECT_NE(table.find("  stock\n    weight-churn  pass\n    nested-basic  pass\n"),
            std::string::npos)
      << table;
  EXPECT_NE(table.find("oracle oracle: HOLDS (2 stock passed, 2 caught, 2 waiting)"),
            std::string::npos)
      << table;
}

TEST(Evaluate, ANamedCheckThatDidNotFireIsMissed) {
  FakeSuite s = good_suite();
  s.add("mutant-partition", "weight-churn", Outcome::kFail, {Check::kLiveness}).repeat_index = 1;
  const auto report = evaluate(plan(), round_trip(s, "missed"));
  EXPECT_FALSE(report.holds());
  const auto& c = cell(report, "mutant-partition", "weight-churn");
  EXPECT_EQ(c.verdict, CellVerdict::kMissed);
  EXPECT_EQ(c.runs.size(), 2u);
  EXPECT_NE(c.reason.find("partition did not fire in 1 of 2 runs: 06-mutant-partition"),
            std::string::npos)
      << c.reason;
  EXPECT_NE(format_report(report).find("MISSED"), std::string::npos);
}

TEST(Evaluate, ANamedScenarioNotRunIsMissed) {
  FakeSuite s("oracle");
  s.add("stock", "weight-churn");
  s.add("stock", "nested-basic");
  s.add("mutant-partition", "weight-churn", Outcome::kFail, {Check::kPartition});
  const auto report = evaluate(plan(), round_trip(s, "not-run"));
  EXPECT_FALSE(report.holds());
  const auto& c = cell(report, "mutant-partition", "nested-basic");
  EXPECT_EQ(c.verdict, CellVerdict::kMissed);
  EXPECT_EQ(c.reason, "not run");
  EXPECT_TRUE(c.runs.empty());
  // The waiting mutant ran nothing: it has no cells, and the table says so.
  EXPECT_NE(format_report(report).find("    waits for: issue 11 placement auditor\n"
                                       "    (no runs)\n"),
            std::string::npos)
      << format_report(report);
}

TEST(Evaluate, AScenarioTheHeaderDoesNotNameIsInformational) {
  FakeSuite s = good_suite();
  s.add("mutant-partition", "smoke-nested", Outcome::kFail, {Check::kAttach});
  s.add("stock", "smoke-nested");
  auto p = plan();
  p.scenarios.push_back("smoke-nested");
  const auto report = evaluate(p, round_trip(s, "not-named"));
  EXPECT_TRUE(report.holds()) << format_report(report);
  const auto& c = cell(report, "mutant-partition", "smoke-nested");
  EXPECT_EQ(c.verdict, CellVerdict::kNotNamed);
  EXPECT_EQ(c.fired, std::vector<Check>{Check::kAttach});
  EXPECT_NE(format_report(report).find("smoke-nested  not-named  fired: attach"), std::string::npos)
      << format_report(report);
}

TEST(Evaluate, AWaitingMutantThatTrippedACheckSaysSo) {
  FakeSuite s = good_suite();
  s.add("mutant-waiting", "weight-churn", Outcome::kFail, {Check::kChurn}).repeat_index = 1;
  const auto report = evaluate(plan(), round_trip(s, "waiting"));
  EXPECT_TRUE(report.holds());
  const auto& c = cell(report, "mutant-waiting", "weight-churn");
  EXPECT_EQ(c.verdict, CellVerdict::kWaiting);
  EXPECT_EQ(c.fired, std::vector<Check>{Check::kChurn});
  EXPECT_NE(format_report(report).find("weight-churn  waiting    fired anyway: churn\n"),
            std::string::npos)
      << format_report(report);
}

TEST(Evaluate, AMutantThatCrashedOrHungIsInvalid) {
  for (const auto outcome : {Outcome::kKernelCrash, Outcome::kBootFailure, Outcome::kTimeout,
                             Outcome::kLostConnection, Outcome::kInfraError}) {
    FakeSuite s = good_suite();
    // Even with the named check among its failures: nothing was judged to the end.
    s.add("mutant-partition", "weight-churn", outcome, {Check::kPartition}).repeat_index = 1;
    const auto report = evaluate(plan(), s.runs());
    EXPECT_FALSE(report.holds()) << results::to_string(outcome);
    const auto& c = cell(report, "mutant-partition", "weight-churn");
    EXPECT_EQ(c.verdict, CellVerdict::kInvalid) << results::to_string(outcome);
    EXPECT_NE(c.reason.find("the mutant must boot and schedule: 06-mutant-partition"),
              std::string::npos)
        << c.reason;
  }
  // A waiting mutant must boot too.
  FakeSuite s = good_suite();
  s.add("mutant-waiting", "nested-basic", Outcome::kKernelCrash).repeat_index = 1;
  EXPECT_EQ(cell(evaluate(plan(), s.runs()), "mutant-waiting", "nested-basic").verdict,
            CellVerdict::kInvalid);
}

TEST(Evaluate, AStockRunThatDidNotPassFailsTheOracle) {
  FakeSuite s = good_suite();
  s.add("stock", "weight-churn", Outcome::kFail, {Check::kPartition}).repeat_index = 1;
  const auto report = evaluate(plan(), round_trip(s, "stock-failed"));
  EXPECT_FALSE(report.holds());
  EXPECT_EQ(report.stock[0].verdict, StockVerdict::kFailed);
  EXPECT_NE(report.stock[0].reason.find("06-stock-numa2x4-weight-churn-r0 fail (partition)"),
            std::string::npos)
      << report.stock[0].reason;
  EXPECT_EQ(report.stock[1].verdict, StockVerdict::kPass);
  EXPECT_NE(format_report(report).find("FAILED"), std::string::npos);
}

TEST(Evaluate, AStockScenarioNotRunFailsTheOracle) {
  FakeSuite s = good_suite();
  auto p = plan();
  p.scenarios.push_back("smoke-nested");
  const auto report = evaluate(p, s.runs());
  EXPECT_FALSE(report.holds());
  ASSERT_EQ(report.stock.size(), 3u);
  EXPECT_EQ(report.stock[2].scenario, "smoke-nested");
  EXPECT_EQ(report.stock[2].reason, "not run");
}

TEST(Evaluate, NoStockKernelIsAProblem) {
  auto p = plan();
  p.kernels.erase(p.kernels.begin());
  const auto report = evaluate(p, good_suite().runs());
  EXPECT_FALSE(report.holds());
  ASSERT_EQ(report.problems.size(), 1u);
  EXPECT_NE(report.problems[0].find("no stock kernel"), std::string::npos);
}

TEST(Evaluate, RunsOfKernelsOutsideThePlanAreNotedNotJudged) {
  FakeSuite s = good_suite();
  s.add("elsewhere", "weight-churn", Outcome::kKernelCrash);
  const auto report = evaluate(plan(), s.runs());
  EXPECT_TRUE(report.holds());
  ASSERT_EQ(report.notes.size(), 1u);
  EXPECT_NE(report.notes[0].find("kernel elsewhere"), std::string::npos);
}

TEST(Evaluate, TheJsonReportCarriesEveryCell) {
  FakeSuite s = good_suite();
  s.add("mutant-partition", "weight-churn", Outcome::kFail, {Check::kLiveness}).repeat_index = 1;
  const auto j = to_json(evaluate(plan(), s.runs()));
  EXPECT_EQ(j["schema_version"], kOracleSchemaVersion);
  EXPECT_EQ(j["holds"], false);
  EXPECT_EQ(j["stock"][0]["verdict"], "pass");
  const auto& m = j["mutants"][0];
  EXPECT_EQ(m["kernel"], "mutant-partition");
  EXPECT_EQ(m["breaks"], "a promise");
  EXPECT_EQ(m["caught_by"][0],
            (nlohmann::json{{"scenario", "weight-churn"}, {"check", "partition"}}));
  EXPECT_EQ(m["cells"][0]["verdict"], "missed");
  EXPECT_EQ(m["cells"][0]["fired"], (nlohmann::json{"liveness", "partition"}));
  EXPECT_EQ(m["cells"][0]["others"], (nlohmann::json{"liveness"}));
  EXPECT_EQ(m["cells"][0]["runs"][1]["outcome"], "fail");
  EXPECT_EQ(j["mutants"][1]["waits_for"], "issue 11 placement auditor");
  EXPECT_EQ(j["mutants"][1]["cells"][0]["verdict"], "waiting");
}

}  // namespace
}  // namespace scxfarm::oracle
