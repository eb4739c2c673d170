// run.json and suite.json through their one reader and writer: round trips,
// the checked-in files of every schema version (testdata/, see its README),
// and the errors a reader gives for files it must not half-read.
#include "scxfarm/results/result_files.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "every_field.h"
#include "scxfarm/common/fs.h"
#include "scxfarm/results/timestamp.h"

namespace scxfarm::results {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const fs::path kTestdata = fs::path(SCXFARM_SOURCE_DIR) / "harness/results/tests/testdata";

fs::path temp_dir(const std::string& name) {
  const fs::path dir = fs::path(::testing::TempDir()) /
                       ("scxfarm-results-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

json read_json(const fs::path& file) {
  return json::parse(read_file(file).value());
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// testdata/v1 was made from testdata/v0 by this reader and writer, with the
// old failure lines typed as this version's checks type them (same text):
// V1 with OLD's untyped failures must be OLD.
void expect_same_but_typed(RunSummary v1, const RunSummary& old) {
  ASSERT_EQ(v1.failures.size(), old.failures.size()) << old.run_id;
  for (size_t i = 0; i < old.failures.size(); ++i) {
    EXPECT_EQ(v1.failures[i].text, old.failures[i].text);
    EXPECT_NE(v1.failures[i].check, Check::kUnclassified) << v1.failures[i].text;
  }
  v1.failures = old.failures;
  EXPECT_EQ(v1, old);
}

TEST(RunJson, WriteThenReadGivesTheSameSummary) {
  const auto dir = temp_dir("run");
  const RunSummary run = testing::every_field_set();
  ASSERT_TRUE(write_run_json(dir, run).ok());
  auto back = read_run_json(dir);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(*back, run);
  EXPECT_EQ(read_json(dir / "run.json")["schema_version"], kSchemaVersion);
}

TEST(SuiteJson, WriteThenReadGivesTheSameRecord) {
  const auto dir = temp_dir("suite");
  const SuiteRecord suite{
      "scenarios", "2026-12-01T00:18:45Z", 433.25, {testing::every_field_set(), RunSummary{}}};
  ASSERT_TRUE(write_suite_json(dir, suite).ok());
  auto back = read_suite_json(dir);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(*back, suite);
  const json raw = read_json(dir / "suite.json");
  EXPECT_EQ(raw["schema_version"], kSchemaVersion);
  EXPECT_FALSE(raw["runs"][0].contains("schema_version"));  // the suite's version covers its runs
}

// A real run and suite (testdata/v1, see testdata/README.md) as version 1
// writes them. When kSchemaVersion is bumped these stay: the new reader must
// still read them.
TEST(ResultFiles, ReadsTheCheckedInFilesOfVersion1) {
  const fs::path v1 = kTestdata / "v1";
  EXPECT_EQ(read_json(v1 / "run.json")["schema_version"], 1);
  auto run = read_run_json(v1);
  ASSERT_TRUE(run.ok()) << run.error().message;
  EXPECT_EQ(run->scenario, "weight-churn");
  EXPECT_EQ(run->outcome, Outcome::kFail);
  EXPECT_EQ(run->reason, "churn: 141 operations, expected at least 150");
  ASSERT_EQ(run->failures.size(), 2u);
  EXPECT_EQ(run->failures[0],
            (Failure{Check::kChurn, "", "141 operations, expected at least 150", run->reason}));
  EXPECT_EQ(run->failures[1].check, Check::kPartition);
  EXPECT_EQ(run->schedulers.size(), 3u);

  EXPECT_EQ(read_json(v1 / "suite.json")["schema_version"], 1);
  auto suite = read_suite_json(v1);
  ASSERT_TRUE(suite.ok()) << suite.error().message;
  EXPECT_EQ(suite->suite, "scenarios");
  ASSERT_EQ(suite->runs.size(), 12u);
  EXPECT_EQ(suite->runs[2], *run);
  ASSERT_EQ(suite->runs[5].failures.size(), 3u);
  EXPECT_EQ(suite->runs[5].failures[0].check, Check::kExits);
  EXPECT_EQ(suite->runs[5].failures[0].subject, "root/A");
  EXPECT_EQ(suite->started_at, "2026-12-01T00:18:45Z");
  EXPECT_GT(suite->wall_seconds, 0);

  // What this version writes of them reads back the same.
  const auto dir = temp_dir("v1");
  ASSERT_TRUE(write_suite_json(dir, *suite).ok());
  EXPECT_EQ(*read_suite_json(dir), *suite);
}

// Version 2 (testdata/v2: the v1 files as version 2 writes them): the same
// runs, with no probe recorded. Versions 1 and 2 read the same.
TEST(ResultFiles, ReadsTheCheckedInFilesOfVersion2) {
  const fs::path v2 = kTestdata / "v2";
  EXPECT_EQ(read_json(v2 / "run.json")["schema_version"], 2);
  auto run = read_run_json(v2);
  ASSERT_TRUE(run.ok()) << run.error().message;
  EXPECT_EQ(*run, *read_run_json(kTestdata / "v1"));
  EXPECT_FALSE(run->kernel_features.probed());
  EXPECT_TRUE(run->required_features.empty());
  auto suite = read_suite_json(v2);
  ASSERT_TRUE(suite.ok()) << suite.error().message;
  EXPECT_EQ(*suite, *read_suite_json(kTestdata / "v1"));
}

// A skipped run (new in version 2) and its kernel's probe survive the files.
TEST(ResultFiles, ASkippedRunWithItsProbeRoundTrips) {
  const auto dir = temp_dir("skipped");
  RunSummary run;
  run.run_id = "00-debian-6.12-numa2x4-smoke-nested-r0";
  run.outcome = Outcome::kSkipped;
  run.reason = "kernel lacks sub-sched (no sched_ext_ops.sub_attach in the kernel's BTF)";
  run.kernel_features = testing::every_field_set().kernel_features;
  run.required_features = {"sched-ext", "sub-sched"};
  ASSERT_TRUE(write_run_json(dir, run).ok());
  const json raw = read_json(dir / "run.json");
  EXPECT_EQ(raw["outcome"], "skipped");
  EXPECT_EQ(raw["kernel_features"]["features"][0]["name"], "sub-sched");
  EXPECT_EQ(*read_run_json(dir), run);
}

// Files written before schema_version existed (testdata/v0: real files,
// copied verbatim) still read: failures become unclassified with their line as
// text, and the suite's wall time is the span of its runs.
TEST(ResultFiles, ReadsFilesWrittenBeforeVersioning) {
  const fs::path v0 = kTestdata / "v0";
  ASSERT_FALSE(read_json(v0 / "run.json").contains("schema_version"));
  auto run = read_run_json(v0);
  ASSERT_TRUE(run.ok()) << run.error().message;
  ASSERT_EQ(run->failures.size(), 2u);
  EXPECT_EQ(run->failures[0],
            (Failure{Check::kUnclassified, "", "churn: 141 operations, expected at least 150",
                     "churn: 141 operations, expected at least 150"}));
  EXPECT_EQ(run->failures[1].text,
            "partition: no settled qmap hier partition to compare with sysfs caps");
  expect_same_but_typed(*read_run_json(kTestdata / "v1"), *run);

  auto suite = read_suite_json(v0);
  ASSERT_TRUE(suite.ok()) << suite.error().message;
  ASSERT_EQ(suite->runs.size(), 12u);
  EXPECT_EQ(suite->started_at, "2026-12-01T00:18:45Z");
  // The last run started at 00:25:29 and took 29.24 s: 433.24 s after the
  // first started. The pool ran them two at a time: their wall times add up
  // to almost twice that, which is what `scxfarm export` used to report.
  EXPECT_NEAR(suite->wall_seconds, 433.24, 0.01);
  double summed = 0;
  for (const auto& r : suite->runs) summed += r.wall_seconds;
  EXPECT_GT(summed, 1.9 * suite->wall_seconds);
  const auto v1 = *read_suite_json(kTestdata / "v1");
  EXPECT_EQ(v1.started_at, suite->started_at);
  EXPECT_EQ(v1.wall_seconds, suite->wall_seconds);
  ASSERT_EQ(v1.runs.size(), suite->runs.size());
  for (size_t i = 0; i < v1.runs.size(); ++i) expect_same_but_typed(v1.runs[i], suite->runs[i]);
}

TEST(ResultFiles, ANewerSchemaVersionIsAnErrorNamingTheFileAndVersions) {
  const auto dir = temp_dir("newer");
  json run = testing::every_field_set();
  run["schema_version"] = kSchemaVersion + 1;
  ASSERT_TRUE(write_file_atomic(dir / "run.json", run.dump()).ok());
  auto read = read_run_json(dir);
  ASSERT_FALSE(read.ok());
  const std::string expected =
      (dir / "run.json").string() + ": schema_version " + std::to_string(kSchemaVersion + 1) +
      " is newer than this scxfarm reads (" + std::to_string(kSchemaVersion) + ")";
  EXPECT_TRUE(contains(read.error().message, expected)) << read.error().message;

  ASSERT_TRUE(
      write_file_atomic(dir / "suite.json", json{{"schema_version", kSchemaVersion + 1}}.dump())
          .ok());
  auto suite = read_suite_json(dir);
  ASSERT_FALSE(suite.ok());
  EXPECT_TRUE(contains(suite.error().message, (dir / "suite.json").string() + ": schema_version"))
      << suite.error().message;
}

TEST(ResultFiles, MalformedFilesAreErrorsNamingTheFile) {
  const auto dir = temp_dir("bad");
  const std::string run_file = (dir / "run.json").string();
  const std::string suite_file = (dir / "suite.json").string();
  auto error_of = [&](const std::string& text) {
    EXPECT_TRUE(write_file_atomic(dir / "run.json", text).ok());
    auto read = read_run_json(dir);
    return read.ok() ? std::string("read") : read.error().message;
  };
  EXPECT_TRUE(contains(read_run_json(dir).error().message, run_file));  // missing
  EXPECT_TRUE(contains(error_of("{"), run_file + ": not a run.json"));
  EXPECT_TRUE(contains(error_of("[]"), run_file + ": not a JSON object"));
  EXPECT_TRUE(contains(error_of(R"({"schema_version": "1"})"),
                       run_file + ": schema_version \"1\" is not a non-negative integer"));
  EXPECT_TRUE(
      contains(error_of(R"({"schema_version": 1, "seed": "x"})"), run_file + ": not a run.json"));

  ASSERT_TRUE(write_file_atomic(dir / "suite.json", R"({"runs": []})").ok());
  EXPECT_TRUE(contains(read_suite_json(dir).error().message, suite_file + ": not a suite.json"));
  ASSERT_TRUE(write_file_atomic(dir / "suite.json", R"({"suite": "", "runs": []})").ok());
  EXPECT_TRUE(contains(read_suite_json(dir).error().message, suite_file + ": empty suite name"));
}

TEST(ResultFiles, SchemaVersionOfAFile) {
  EXPECT_EQ(read_schema_version(kTestdata / "v0/suite.json").value(), 0);
  EXPECT_EQ(read_schema_version(kTestdata / "v1/suite.json").value(), 1);
  EXPECT_EQ(read_schema_version(kTestdata / "v1/run.json").value(), 1);
  EXPECT_EQ(read_schema_version(kTestdata / "v2/suite.json").value(), 2);
  const auto dir = temp_dir("version");
  ASSERT_TRUE(write_suite_json(dir, SuiteRecord{.suite = "s"}).ok());
  EXPECT_EQ(read_schema_version(dir / "suite.json").value(), kSchemaVersion);
  ASSERT_TRUE(
      write_file_atomic(dir / "suite.json", json{{"schema_version", kSchemaVersion + 1}}.dump())
          .ok());
  auto newer = read_schema_version(dir / "suite.json");
  ASSERT_FALSE(newer.ok());
  EXPECT_TRUE(contains(newer.error().message, (dir / "suite.json").string() + ": schema_version"))
      << newer.error().message;
  EXPECT_FALSE(read_schema_version(dir / "missing.json").ok());
}

TEST(Timestamp, FormatsAndParsesUtcSeconds) {
  const auto t = parse_utc_timestamp("2026-12-01T00:18:45Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(utc_timestamp(*t), "2026-12-01T00:18:45Z");
  EXPECT_EQ(std::chrono::system_clock::to_time_t(*t), 1796084325);
  EXPECT_FALSE(parse_utc_timestamp("2026-12-01 00:18:45"));
  EXPECT_FALSE(parse_utc_timestamp("2026-12-01T00:18:45Zjunk"));
  EXPECT_FALSE(parse_utc_timestamp(""));
}

}  // namespace
}  // namespace scxfarm::results
