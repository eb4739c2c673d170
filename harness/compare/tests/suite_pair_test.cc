// The loader: what it reads from two suite directories, and the error that
// says what differs when they cannot be compared.
#include "scxfarm/compare/suite_pair.h"

#include <gtest/gtest.h>

#include "scxfarm/common/fs.h"
#include "suite_builder.h"

namespace scxfarm::compare {
namespace {

namespace fs = std::filesystem;
using testing::SuiteBuilder;
using testing::temp_dir;

// Two cells, REPEAT runs each.
SuiteBuilder two_cells(uint32_t repeat, const std::string& kernel = "debian-7.3-cloud") {
  SuiteBuilder b("smoke", kernel);
  for (const char* scenario : {"smoke-nested", "wakeup-latency"})
    for (uint32_t r = 0; r < repeat; ++r) b.add_run("numa2x4", scenario, r);
  return b;
}

std::string error_of(const fs::path& a, const fs::path& b) {
  auto pair = load_suite_pair(a, b);
  return pair.ok() ? std::string("loaded") : pair.error().message;
}

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(SuitePair, LoadsTwoComparableSuites) {
  const auto dir = temp_dir("pair-ok");
  ASSERT_TRUE(two_cells(3).write(dir / "a").ok());
  ASSERT_TRUE(two_cells(5, "debian-7.3-candidate").write(dir / "b").ok());
  auto pair = load_suite_pair(dir / "a", dir / "b");
  ASSERT_TRUE(pair.ok()) << pair.error().message;
  EXPECT_EQ(pair->baseline.repetitions, 3u);
  EXPECT_EQ(pair->candidate.repetitions, 5u);  // sides may differ in runs per cell
  EXPECT_EQ(pair->baseline.kernel, "debian-7.3-cloud");
  EXPECT_EQ(pair->candidate.kernel, "debian-7.3-candidate");
  EXPECT_EQ(pair->baseline.kernel_release, "7.3.4+deb13-cloud-amd64");
  EXPECT_EQ(pair->baseline.schema_version, results::kSchemaVersion);
  ASSERT_EQ(pair->cells.size(), 2u);
  EXPECT_EQ(pair->cells[0].name(), "numa2x4/smoke-nested");
  EXPECT_EQ(pair->baseline.record.runs.size(), 6u);
}

TEST(SuitePair, AMissingOrUnreadableSuiteNamesItsFile) {
  const auto dir = temp_dir("pair-missing");
  ASSERT_TRUE(two_cells(2).write(dir / "a").ok());
  EXPECT_TRUE(has(error_of(dir / "a", dir / "nowhere"),
                  "candidate: " + (dir / "nowhere" / "suite.json").string()));
  ASSERT_TRUE(write_file_atomic(dir / "a" / "suite.json", "{\"suite\": ").ok());
  const auto error = error_of(dir / "a", dir / "a");
  EXPECT_TRUE(has(error, "baseline: " + (dir / "a" / "suite.json").string() + ": not a suite.json"))
      << error;
}

TEST(SuitePair, AnUnreadableRunJsonIsAnError) {
  const auto dir = temp_dir("pair-run");
  auto b = two_cells(2);
  ASSERT_TRUE(b.write(dir / "a").ok());
  ASSERT_TRUE(b.write(dir / "b").ok());
  const fs::path run_file = dir / "b" / b.runs()[1].run_id / "run.json";
  const std::string text = read_file(run_file).value();
  ASSERT_TRUE(write_file_atomic(run_file, text.substr(0, text.size() / 2)).ok());  // truncated
  const auto error = error_of(dir / "a", dir / "b");
  EXPECT_TRUE(has(error, "candidate: " + run_file.string() + ": not a run.json")) << error;
}

TEST(SuitePair, ARunJsonOfAnotherRunIsAnError) {
  const auto dir = temp_dir("pair-other");
  auto b = two_cells(2);
  ASSERT_TRUE(b.write(dir / "a").ok());
  auto other = b.runs()[0];
  other.run_id = "99-elsewhere";
  ASSERT_TRUE(results::write_run_json(dir / "a" / b.runs()[0].run_id, other).ok());
  const auto error = error_of(dir / "a", dir / "a");
  EXPECT_TRUE(
      has(error, "run_id '99-elsewhere', but suite.json lists it as '" + b.runs()[0].run_id + "'"))
      << error;
}

TEST(SuitePair, DifferentSchemaVersionsAreAnError) {
  // The checked-in suite.json of schema version 0 (harness/results/tests/testdata),
  // and the same runs written by this version's writer.
  const auto dir = temp_dir("pair-version");
  const fs::path v0 = fs::path(SCXFARM_SOURCE_DIR) / "harness/results/tests/testdata/v0";
  ASSERT_TRUE(ensure_dir(dir / "old").ok());
  fs::copy_file(v0 / "suite.json", dir / "old" / "suite.json");
  auto old = results::read_suite_json(dir / "old");
  ASSERT_TRUE(old.ok());
  ASSERT_TRUE(ensure_dir(dir / "new").ok());
  ASSERT_TRUE(results::write_suite_json(dir / "new", *old).ok());
  const auto error = error_of(dir / "old", dir / "new");
  EXPECT_TRUE(has(error, "schema versions differ: baseline " +
                             (dir / "old" / "suite.json").string() + " has schema_version 0, " +
                             "candidate " + (dir / "new" / "suite.json").string() + " has " +
                             std::to_string(results::kSchemaVersion)))
      << error;
  EXPECT_TRUE(load_suite_pair(dir / "new", dir / "new").ok());
}

// Version 1 (typed failures, no skipped outcome) and this version compare:
// last night's suite stays comparable across the version 2 upgrade.
TEST(SuitePair, VersionsWithTypedFailuresCompare) {
  const auto dir = temp_dir("pair-v1");
  const fs::path v1 = fs::path(SCXFARM_SOURCE_DIR) / "harness/results/tests/testdata/v1";
  ASSERT_TRUE(ensure_dir(dir / "v1").ok());
  fs::copy_file(v1 / "suite.json", dir / "v1" / "suite.json");
  auto old = results::read_suite_json(dir / "v1");
  ASSERT_TRUE(old.ok());
  ASSERT_TRUE(ensure_dir(dir / "new").ok());
  ASSERT_TRUE(results::write_suite_json(dir / "new", *old).ok());
  auto pair = load_suite_pair(dir / "v1", dir / "new");
  ASSERT_TRUE(pair.ok()) << pair.error().message;
  EXPECT_EQ(pair->baseline.schema_version, 1);
  EXPECT_EQ(pair->candidate.schema_version, results::kSchemaVersion);
}

TEST(SuitePair, DifferentCellsAreNamed) {
  const auto dir = temp_dir("pair-cells");
  ASSERT_TRUE(two_cells(2).write(dir / "a").ok());
  SuiteBuilder b("smoke");
  for (uint32_t r = 0; r < 2; ++r) {
    b.add_run("numa2x4", "smoke-nested", r);
    b.add_run("numa1x4", "smoke-nested", r);
  }
  ASSERT_TRUE(b.write(dir / "b").ok());
  const auto error = error_of(dir / "a", dir / "b");
  EXPECT_EQ(error, "plans differ (topology/scenario): only in baseline " + (dir / "a").string() +
                       ": numa2x4/wakeup-latency; only in candidate " + (dir / "b").string() +
                       ": numa1x4/smoke-nested");
}

TEST(SuitePair, MissingRepetitionsAreNamed) {
  const auto dir = temp_dir("pair-gap");
  ASSERT_TRUE(two_cells(3).write(dir / "a").ok());
  auto b = two_cells(3);
  b.runs().erase(b.runs().begin() + 1);  // smoke-nested r1
  ASSERT_TRUE(b.write(dir / "b").ok());
  const auto error = error_of(dir / "a", dir / "b");
  EXPECT_EQ(error, "candidate " + (dir / "b" / "suite.json").string() +
                       ": missing runs: numa2x4/smoke-nested lacks r1 of r0..r2");
}

TEST(SuitePair, ADuplicateRepetitionIsAnError) {
  const auto dir = temp_dir("pair-dup");
  auto b = two_cells(2);
  b.runs()[1].repeat_index = 0;
  ASSERT_TRUE(b.write(dir / "a").ok());
  const auto error = error_of(dir / "a", dir / "a");
  EXPECT_TRUE(has(error, "numa2x4/smoke-nested r0 twice (runs " + b.runs()[0].run_id + " and " +
                             b.runs()[1].run_id + ")"))
      << error;
}

TEST(SuitePair, OneKernelPerDirectory) {
  const auto dir = temp_dir("pair-kernels");
  auto b = two_cells(2);
  b.runs()[3].kernel = "other-kernel";
  ASSERT_TRUE(b.write(dir / "a").ok());
  const auto error = error_of(dir / "a", dir / "a");
  EXPECT_TRUE(has(error,
                  "runs of 2 kernels (debian-7.3-cloud, other-kernel): compare needs one "
                  "kernel per directory"))
      << error;
}

TEST(SuitePair, ASuiteWithoutRunsIsAnError) {
  const auto dir = temp_dir("pair-empty");
  ASSERT_TRUE(SuiteBuilder("smoke").write(dir / "a").ok());
  EXPECT_TRUE(has(error_of(dir / "a", dir / "a"), "lists no runs"));
}

}  // namespace
}  // namespace scxfarm::compare
