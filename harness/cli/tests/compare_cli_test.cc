// `scxfarm compare` as CI runs it: exit 0 without a regression, 1 with one,
// 2 for suites that cannot be compared, 3 for bad flags; --json and --junit
// leave their files. The suites are written through the results writer.
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "cli_runner.h"
#include "scxfarm/common/fs.h"
#include "scxfarm/common/process.h"
#include "suite_builder.h"

namespace scxfarm {
namespace {

namespace fs = std::filesystem;
using compare::testing::SuiteBuilder;
using namespace std::chrono_literals;

using cli_testing::contains;
using cli_testing::scxfarm;

const std::vector<double> kP99 = {1000, 1030, 990, 1010, 1020, 980, 1005, 995, 1015, 1025};

// A suite of one cell whose probe reported latency_p99 = kP99 x FACTOR.
SuiteBuilder suite(double factor) {
  SuiteBuilder b("wakeup");
  std::vector<double> values;
  for (double v : kP99) values.push_back(v * factor);
  b.add_runs_with("numa1x4", "wakeup-latency", "probe", "wakeup-probe", "latency_p99", values);
  return b;
}

class CompareCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = compare::testing::temp_dir("cli");
    ASSERT_TRUE(suite(1.0).write(dir_ / "base").ok());
    ASSERT_TRUE(suite(1.01).write(dir_ / "same").ok());
    ASSERT_TRUE(suite(1.3).write(dir_ / "slower").ok());
  }
  std::string path(const char* name) const { return (dir_ / name).string(); }
  fs::path dir_;
};

TEST_F(CompareCli, NoRegressionIsZero) {
  auto out = scxfarm({"compare", path("base"), path("same")});
  EXPECT_EQ(out.status.code, 0) << out.output;
  EXPECT_TRUE(contains(out.output, "probe/latency_p99")) << out.output;
  EXPECT_TRUE(contains(out.output, "no change")) << out.output;
}

TEST_F(CompareCli, ARegressionIsOneAndLandsInJsonAndJunit) {
  const auto json_file = dir_ / "compare.json";
  const auto junit_file = dir_ / "compare.xml";
  auto out = scxfarm({"compare", path("base"), path("slower"), "--json", json_file.string(),
                      "--junit", junit_file.string()});
  EXPECT_EQ(out.status.code, 1) << out.output;
  EXPECT_TRUE(contains(out.output, "regression")) << out.output;
  const auto j = nlohmann::json::parse(read_file(json_file).value());
  EXPECT_EQ(j["regression"], true);
  EXPECT_EQ(j["metrics"][0]["verdict"], "regression");
  const auto xml = read_file(junit_file).value();
  EXPECT_TRUE(contains(xml, "<failure type=\"regression\"")) << xml;
}

TEST_F(CompareCli, UnusableInputIsTwoAndSaysWhatDiffers) {
  SuiteBuilder other("wakeup");
  for (uint32_t r = 0; r < 10; ++r) other.add_run("numa2x4", "wakeup-latency", r);
  ASSERT_TRUE(other.write(dir_ / "other").ok());
  auto out = scxfarm({"compare", path("base"), path("other")});
  EXPECT_EQ(out.status.code, 2) << out.output;
  EXPECT_TRUE(contains(out.output, "plans differ (topology/scenario): only in baseline"))
      << out.output;

  ASSERT_TRUE(ensure_dir(dir_ / "empty").ok());
  out = scxfarm({"compare", path("base"), path("empty")});
  EXPECT_EQ(out.status.code, 2) << out.output;
  EXPECT_TRUE(contains(out.output, (dir_ / "empty" / "suite.json").string())) << out.output;
}

TEST_F(CompareCli, AnUnwritableReportFileIsTwo) {
  auto out = scxfarm({"compare", path("base"), path("same"), "--json",
                      (dir_ / "no-such-dir" / "c.json").string()});
  EXPECT_EQ(out.status.code, 2) << out.output;
  EXPECT_TRUE(contains(out.output, "--json")) << out.output;
}

TEST_F(CompareCli, BadFlagsAreThree) {
  auto out = scxfarm({"compare", path("base"), path("same"), "--min-effect-of", "latency_p42=5"});
  EXPECT_EQ(out.status.code, 3) << out.output;
  EXPECT_TRUE(contains(out.output, "unknown metric 'latency_p42' (compared: ")) << out.output;
  out = scxfarm({"compare", path("base"), path("same"), "--min-effect-of", "latency_p99"});
  EXPECT_EQ(out.status.code, 3) << out.output;
  out = scxfarm({"compare", path("base"), path("same"), "--fdr", "2"});
  EXPECT_EQ(out.status.code, 3) << out.output;
  out = scxfarm({"compare", path("base"), path("nowhere")});
  EXPECT_EQ(out.status.code, 3) << out.output;  // not a directory: a usage error
}

TEST_F(CompareCli, MinimumEffectFlagsChangeTheVerdict) {
  // +30 % with a 40 % minimum effect is no regression; with latency_p99's own 20 % it is.
  auto out = scxfarm({"compare", path("base"), path("slower"), "--min-effect", "40"});
  EXPECT_EQ(out.status.code, 0) << out.output;
  out = scxfarm({"compare", path("base"), path("slower"), "--min-effect", "40", "--min-effect-of",
                 "latency_p99=20"});
  EXPECT_EQ(out.status.code, 1) << out.output;
}

}  // namespace
}  // namespace scxfarm
