// `scxfarm export` end to end against a real prometheus-pushgateway on
// 127.0.0.1 (integration: needs the Debian package prometheus-pushgateway;
// no root, no VM): the recorded real suite is pushed with its grouping key,
// a dead gateway gives exit code 4 and marks the textfile, bad flags give 3.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "cli_runner.h"
#include "scxfarm/common/fs.h"
#include "scxfarm/common/process.h"
#include "test_support.h"

namespace scxfarm {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using metrics::testing::find_on_path;
using metrics::testing::free_loopback_port;
using metrics::testing::http_get;

const std::string kSuiteDir =
    std::string(SCXFARM_SOURCE_DIR) + "/harness/metrics/tests/testdata/smoke-20261126-024053";

using cli_testing::contains;
using cli_testing::scxfarm;

class ExportCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) / ("scxfarm-export-cli-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(ExportCli, PushesTheRecordedSuiteAndWritesTheTextfile) {
  const auto binary = find_on_path("prometheus-pushgateway");
  if (!binary) GTEST_SKIP() << "apt-get install prometheus-pushgateway";
  const int port = free_loopback_port();
  auto gateway = metrics::testing::start_server(
      {*binary, "--web.listen-address=127.0.0.1:" + std::to_string(port), "--persistence.file="},
      port, dir_ / "pushgateway.log", "/-/ready", 10s);
  ASSERT_TRUE(gateway.ok()) << gateway.error().message;

  const auto textfile = (dir_ / "scxfarm.prom").string();
  auto out = scxfarm({"export", kSuiteDir, "--pushgateway", gateway->base(), "--textfile", textfile,
                      "--shard", "1/2"});
  EXPECT_EQ(out.status.code, 0) << out.output;
  const auto text = http_get(gateway->base() + "/metrics").value().body;
  EXPECT_TRUE(contains(text, R"(scxfarm_runs_total{instance="",job="scxfarm",)"
                             R"(kernel="7.3.4+deb13-cloud-amd64",outcome="pass",)"
                             R"(scenario="smoke-nested",shard="1/2",suite="smoke",)"
                             R"(topology="numa2x4"} 1)"))
      << text;
  EXPECT_TRUE(contains(
      text,
      R"(scxfarm_last_success_timestamp_seconds{instance="",job="scxfarm_last_success",suite="smoke"})"))
      << text;
  const auto written = read_file(textfile);
  ASSERT_TRUE(written.ok());
  EXPECT_TRUE(contains(*written, R"(scxfarm_cids_held{cap="enq",kernel="7.3.4+deb13-cloud-amd64",)"
                                 R"(scenario="smoke-nested",scheduler="root/B",suite="smoke",)"
                                 R"(topology="numa2x4"} 4)"))
      << *written;
  EXPECT_FALSE(contains(*written, "scxfarm_export_last_failure_timestamp_seconds{"));
}

TEST_F(ExportCli, DeadGatewayExitsFourAndMarksTheTextfile) {
  const auto textfile = (dir_ / "scxfarm.prom").string();
  const std::string dead = "http://127.0.0.1:" + std::to_string(free_loopback_port());
  auto out = scxfarm({"export", kSuiteDir, "--pushgateway", dead, "--textfile", textfile});
  EXPECT_EQ(out.status.code, 4) << out.output;
  EXPECT_TRUE(contains(out.output, "push to " + dead + " (job scxfarm) failed after 3 attempt(s)"))
      << out.output;
  const auto written = read_file(textfile);
  ASSERT_TRUE(written.ok());
  EXPECT_TRUE(contains(*written, R"(scxfarm_export_last_failure_timestamp_seconds{suite="smoke",)"
                                 R"(target="pushgateway"})"))
      << *written;
  EXPECT_TRUE(contains(*written, "scxfarm_runs_total{"));  // results still exported
}

// A versioned suite.json (a real 12-run suite, two runs at a time): the
// exported duration is the wall time it records, not the runs' sum (844 s).
TEST_F(ExportCli, ExportsTheSuitesRecordedWallTime) {
  const auto textfile = (dir_ / "scxfarm.prom").string();
  auto out =
      scxfarm({"export", std::string(SCXFARM_SOURCE_DIR) + "/harness/results/tests/testdata/v1",
               "--textfile", textfile});
  EXPECT_EQ(out.status.code, 0) << out.output;
  const auto written = read_file(textfile);
  ASSERT_TRUE(written.ok());
  const std::string series = R"(scxfarm_suite_duration_seconds{suite="scenarios"} )";
  const size_t at = written->find("\n" + series);
  ASSERT_NE(at, std::string::npos) << *written;
  EXPECT_NEAR(std::stod(written->substr(at + 1 + series.size())), 433.24, 0.01) << *written;
}

TEST_F(ExportCli, BadFlagsExitThree) {
  EXPECT_EQ(scxfarm({"export", kSuiteDir, "--textfile", (dir_ / "x.txt").string()}).status.code, 3);
  EXPECT_EQ(scxfarm({"export", kSuiteDir, "--pushgateway", "gopher://x:1"}).status.code, 3);
  EXPECT_EQ(
      scxfarm({"export", kSuiteDir, "--textfile", (dir_ / "x.prom").string(), "--shard", "4/4"})
          .status.code,
      3);
  EXPECT_EQ(
      scxfarm({"export", dir_.string(), "--textfile", (dir_ / "x.prom").string()}).status.code,
      3);  // no suite.json
  EXPECT_FALSE(fs::exists(dir_ / "x.prom"));
}

}  // namespace
}  // namespace scxfarm
