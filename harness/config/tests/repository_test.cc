// Name resolution, suite resolution with references, and validate_paths.
#include "scxfarm/config/repository.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "test_util.h"

namespace scxfarm::config {
namespace {

using testing::error_of;
using ::testing::HasSubstr;
using testing::ScratchConfigs;
using testing::testdata;

TEST(ConfigRepository, ResolvesNamesToFiles) {
  ConfigRepository repo(testdata());
  auto k = repo.kernel("k");
  ASSERT_TRUE(k.ok()) << k.error().message;
  EXPECT_EQ(k->name, "k");
  EXPECT_EQ(k->file, testdata() / "kernels/k.yaml");
  EXPECT_EQ(repo.names(ConfigKind::kKernel), (std::vector<std::string>{"bad-mixed", "k", "k2"}));
}

TEST(ConfigRepository, UnknownNameListsTheAvailableOnes) {
  ConfigRepository repo(testdata());
  EXPECT_THAT(error_of(repo.kernel("nope")),
              HasSubstr("no kernel named 'nope' in " + (testdata() / "kernels").string() +
                        " (available: bad-mixed, k, k2)"));
  EXPECT_THAT(error_of(repo.topology("../kernels/k")),
              HasSubstr("no topology named '../kernels/k'"));
}

TEST(ConfigRepository, ResolveSuiteLoadsEverythingItNames) {
  ConfigRepository repo(testdata());
  auto r = repo.resolve_suite("good");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->suite.name, "good");
  EXPECT_EQ(r->kernels.size(), 2u);
  EXPECT_EQ(r->topologies.at("t").vcpus(), 2u);
  EXPECT_EQ(r->scenarios.at("minimal").plan.duration_ms, 5000u);
  EXPECT_EQ(r->suite.expand().size(), 4u);
}

TEST(ConfigRepository, MissingReferencedScenarioNamesTheSuiteLine) {
  ConfigRepository repo(testdata());
  auto msg = error_of(repo.resolve_suite((testdata() / "suites/missing-scenario.yaml").string()));
  EXPECT_THAT(msg,
              HasSubstr((testdata() / "suites/missing-scenario.yaml").string() +
                        ":3:22: scenarios[1]: no scenario named 'nope' in " +
                        (testdata() / "scenarios").string() +
                        " (available: churn-target, duplicates, minimal, out-of-range, qmap-c, "
                        "syntax-error, unknown-key, wrong-type)"));
}

TEST(ConfigRepository, BrokenReferencedFilesAddTheirOwnErrors) {
  ScratchConfigs scratch;
  scratch.write("kernels", "k", "source: image\nimage: bz\ntree: t\n");
  scratch.write("topologies", "t", "nodes: [{cpus: \"0\", memory_mib: 300}]\n");
  scratch.write("scenarios", "s", "duration_s: 0\n");
  scratch.write("suites", "x", "kernels: [k]\ntopologies: [t]\nscenarios: [s]\n");
  auto msg = error_of(ConfigRepository(scratch.dir()).resolve_suite("x"));
  EXPECT_THAT(
      msg, HasSubstr("scenarios/s.yaml:1:13: duration_s: 0 is out of range (allowed: 1..86400)"));
  EXPECT_THAT(msg, HasSubstr("kernels/k.yaml:2:8: image: '" +
                             (scratch.dir() / "kernels/bz").string() + "' does not exist"));
  EXPECT_THAT(error_of(ConfigRepository(scratch.dir()).resolve_suite("y")),
              HasSubstr("no suite named 'y'"));
}

TEST(ValidatePaths, ReportsPerFileByDirectoryKind) {
  auto reports =
      validate_paths({testdata() / "topologies/t.yaml", testdata() / "topologies/asymmetric.yaml",
                      testdata() / "suites/missing-scenario.yaml", testdata() / "nowhere.yaml"});
  ASSERT_EQ(reports.size(), 4u);
  EXPECT_TRUE(reports[0].ok);
  EXPECT_EQ(format_report(reports[0]), (testdata() / "topologies/t.yaml").string() + ": OK");
  EXPECT_FALSE(reports[1].ok);
  EXPECT_THAT(format_report(reports[1]), HasSubstr("asymmetric.yaml:10:6: distances[1][0]"));
  EXPECT_THAT(format_report(reports[2]), HasSubstr("no scenario named 'nope'"));
  EXPECT_THAT(format_report(reports[3]), HasSubstr("no such file or directory"));
}

TEST(ValidatePaths, KindComesFromTheDirectory) {
  ScratchConfigs scratch;
  auto path = scratch.write("misc", "x", "sockets: 1\n");
  auto reports = validate_paths({path});
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_THAT(format_report(reports[0]), HasSubstr("cannot tell the kind of config"));
}

TEST(ValidatePaths, DirectoriesAreSearched) {
  auto reports = validate_paths({testdata() / "kernels"});
  ASSERT_EQ(reports.size(), 3u);
  EXPECT_FALSE(reports[0].ok);  // bad-mixed.yaml, in sorted order
  EXPECT_TRUE(reports[1].ok);
  EXPECT_TRUE(reports[2].ok);
}

}  // namespace
}  // namespace scxfarm::config
