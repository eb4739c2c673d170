// suite_export without a network: shard parsing, suite.json loading, and the
// textfile's carried-forward gauges. Pushes are in metrics_integration_test.
#include "scxfarm/metrics/suite_export.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "sample_run.h"
#include "scxfarm/common/fs.h"

namespace scxfarm::metrics {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using std::chrono::system_clock;

fs::path temp_dir(const std::string& name) {
  const fs::path dir = fs::path(::testing::TempDir()) /
                       ("scxfarm-export-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

SuiteRecord record(results::Outcome outcome, system_clock::time_point finished) {
  SuiteRecord r;
  r.suite = "smoke";
  r.runs = {testing::sample_run("churn", 2, 2)};
  r.runs[0].outcome = outcome;
  r.duration_seconds = 95;
  r.finished_at = finished;
  return r;
}

void no_log(const std::string&) {}

TEST(FindSample, ExactSeriesOnly) {
  const std::string text =
      "# HELP x y\nx{suite=\"smoke\"} 12.5\nx{suite=\"smoke2\"} 3\nxy{suite=\"smoke\"} 7\n";
  EXPECT_EQ(find_sample(text, "x{suite=\"smoke\"}"), 12.5);
  EXPECT_EQ(find_sample(text, "x{suite=\"smoke2\"}"), 3);
  EXPECT_FALSE(find_sample(text, "x{suite=\"other\"}"));
  EXPECT_FALSE(find_sample("x{suite=\"smoke\"} junk\n", "x{suite=\"smoke\"}"));
}

TEST(ParseShard, AcceptsIOfNAndNamesTheRule) {
  EXPECT_EQ(*parse_shard("0/1"), "0/1");
  EXPECT_EQ(*parse_shard("3/4"), "3/4");
  for (const char* bad : {"1/1", "0/0", "1", "a/2", "1/-2", "/2", "1/", "2/4x"}) {
    auto shard = parse_shard(bad);
    ASSERT_FALSE(shard.ok()) << bad;
    EXPECT_NE(shard.error().message.find("expected I/N with 0 <= I < N"), std::string::npos);
  }
}

TEST(LoadSuiteRecord, ReadsRunsDurationAndEnd) {
  const auto dir = temp_dir("load");
  const auto runs = record(results::Outcome::kPass, {}).runs;
  ASSERT_TRUE(write_file_atomic(dir / "suite.json",
                                nlohmann::json{{"suite", "smoke"}, {"runs", runs}}.dump()));
  const auto before = system_clock::now() - 5s;
  auto loaded = load_suite_record(dir);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(loaded->suite, "smoke");
  ASSERT_EQ(loaded->runs.size(), 1u);
  EXPECT_EQ(loaded->runs[0].scenario, "churn");
  EXPECT_EQ(loaded->duration_seconds, 95);
  EXPECT_TRUE(loaded->all_passed());
  EXPECT_GT(loaded->finished_at, before);
  EXPECT_LT(loaded->finished_at, system_clock::now() + 5s);
}

// The duration is the wall time run_suite recorded, not the runs' sum: two
// 95 s runs side by side in the pool took 120 s as a suite.
TEST(LoadSuiteRecord, DurationIsTheRecordedWallTimeNotTheRunsSum) {
  const auto dir = temp_dir("wall");
  const auto run = testing::sample_run("churn", 2, 2);
  ASSERT_TRUE(
      results::write_suite_json(dir, {"smoke", "2026-11-26T01:50:00Z", 120, {run, run}}).ok());
  auto loaded = load_suite_record(dir);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(loaded->runs.size(), 2u);
  EXPECT_EQ(loaded->duration_seconds, 120);
  EXPECT_NE(find_sample(suite_metrics(*loaded).to_text(),
                        R"(scxfarm_suite_duration_seconds{suite="smoke"})"),
            std::nullopt);
  EXPECT_EQ(*find_sample(suite_metrics(*loaded).to_text(),
                         R"(scxfarm_suite_duration_seconds{suite="smoke"})"),
            120);
}

TEST(LoadSuiteRecord, BadFileNamesIt) {
  const auto dir = temp_dir("bad");
  auto missing = load_suite_record(dir);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("suite.json"), std::string::npos);
  ASSERT_TRUE(write_file_atomic(dir / "suite.json", R"({"runs": []})"));
  auto bad = load_suite_record(dir);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find((dir / "suite.json").string() + ": not a suite.json"),
            std::string::npos)
      << bad.error().message;
}

TEST(ExportSuite, TextfileKeepsLastSuccessThroughAFailedSuite) {
  const auto dir = temp_dir("carry");
  ExportTargets targets;
  targets.textfile = dir / "scxfarm.prom";
  const auto night1 = system_clock::time_point{1795000000s};
  const auto night2 = night1 + 24h;
  ASSERT_TRUE(export_suite(record(results::Outcome::kPass, night1), targets, night1, no_log).ok());
  const std::string series = R"(scxfarm_last_success_timestamp_seconds{suite="smoke"})";
  EXPECT_EQ(find_sample(*read_file(targets.textfile), series), 1795000000);

  // Night 2 fails: the runs are the new ones, the last success is night 1's.
  ASSERT_TRUE(export_suite(record(results::Outcome::kFail, night2), targets, night2, no_log).ok());
  const auto text = *read_file(targets.textfile);
  EXPECT_EQ(find_sample(text, series), 1795000000) << text;
  EXPECT_NE(text.find(R"(outcome="fail")"), std::string::npos);
  EXPECT_EQ(text.find(R"(outcome="pass")"), std::string::npos);

  // Night 3 passes: the new success replaces it.
  ASSERT_TRUE(
      export_suite(record(results::Outcome::kPass, night2 + 24h), targets, night2 + 24h, no_log)
          .ok());
  EXPECT_EQ(find_sample(*read_file(targets.textfile), series), 1795000000 + 2 * 86400);
}

TEST(ExportSuite, FailedPushIsAnErrorAndMarkedInTheTextfile) {
  const auto dir = temp_dir("pushfail");
  ExportTargets targets;
  targets.textfile = dir / "scxfarm.prom";
  targets.pushgateway_url = "http://127.0.0.1:1";  // nothing listens on port 1
  targets.push = {.max_attempts = 2, .first_backoff = 1ms, .timeout = 2s};
  const auto now = system_clock::time_point{1795000000s};
  std::vector<std::string> lines;
  auto result = export_suite(record(results::Outcome::kPass, now), targets, now,
                             [&](const std::string& l) { lines.push_back(l); });
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.groups_pushed, 0);
  ASSERT_EQ(result.errors.size(), 1u);  // the first group; the rest are not tried
  EXPECT_NE(result.errors[0].find("failed after 2 attempt(s)"), std::string::npos);
  const auto text = *read_file(targets.textfile);
  const std::string failure =
      R"(scxfarm_export_last_failure_timestamp_seconds{suite="smoke",target="pushgateway"})";
  EXPECT_EQ(find_sample(text, failure), 1795000000) << text;
  // The runs are still in the textfile.
  EXPECT_NE(text.find("scxfarm_runs_total{"), std::string::npos);

  // A later successful export (no push) keeps the failure's time visible.
  targets.pushgateway_url.clear();
  ASSERT_TRUE(
      export_suite(record(results::Outcome::kPass, now + 1h), targets, now + 1h, no_log).ok());
  EXPECT_EQ(find_sample(*read_file(targets.textfile), failure), 1795000000);
}

TEST(ExportSuite, UnwritableTextfileIsAnError) {
  ExportTargets targets;
  targets.textfile = "/proc/no-such-dir/scxfarm.prom";
  auto result = export_suite(record(results::Outcome::kPass, {}), targets, {}, no_log);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.errors[0].find("textfile /proc/no-such-dir/scxfarm.prom"), std::string::npos);
}

}  // namespace
}  // namespace scxfarm::metrics
