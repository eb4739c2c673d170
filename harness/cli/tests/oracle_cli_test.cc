// `scxfarm oracle` as a developer runs it after `scxfarm run oracle`: exit 0
// when the oracle holds, 1 when not, 2 for unusable input, 3 for bad flags;
// the table on stdout and oracle.json in the results directory. The suites
// are written through the results writer, the kernel configs in the test.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli_runner.h"
#include "fake_suite.h"
#include "scxfarm/common/fs.h"

namespace scxfarm {
namespace {

namespace fs = std::filesystem;
using cli_testing::contains;
using cli_testing::scxfarm;
using oracle::testing::FakeSuite;
using results::Check;
using results::Outcome;

constexpr const char* kStockKernel =
    "source: debian\n"
    "binary_package: linux-binary-7.3.4+deb13-cloud-amd64\n"
    "source_package: linux-source-7.3\n"
    "version: 7.3.4-1~bpo13+1\n";
constexpr const char* kMutantKernel =
    "source: build\n"
    "source_package: linux-source-7.3\n"
    "version: 7.3.4-1~bpo13+1\n"
    "patches: [mutants/m.patch]\n"
    "fragments: [fragments/sched-ext.config]\n";
constexpr const char* kSuite =
    "kernels: [stock, mutant-m]\n"
    "topologies: [numa2x4]\n"
    "scenarios: [weight-churn, nested-basic]\n";

class OracleCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = oracle::testing::temp_dir("cli");
    const fs::path kernels = dir_ / "configs" / "kernels";
    ASSERT_TRUE(ensure_dir(kernels / "mutants").ok());
    ASSERT_TRUE(ensure_dir(kernels / "fragments").ok());
    ASSERT_TRUE(ensure_dir(dir_ / "configs" / "suites").ok());
    ASSERT_TRUE(write_file_atomic(kernels / "stock.yaml", kStockKernel).ok());
    ASSERT_TRUE(write_file_atomic(kernels / "mutant-m.yaml", kMutantKernel).ok());
    ASSERT_TRUE(
        write_file_atomic(kernels / "fragments" / "sched-ext.config", "CONFIG_SCHED_CLASS_EXT=y\n")
            .ok());
    ASSERT_TRUE(write_file_atomic(kernels / "mutants" / "m.patch",
                                  oracle::testing::mail({
                                      "Scxfarm-Breaks: a revoke clears every cap",
                                      "Scxfarm-Caught-By: weight-churn: partition",
                                      "Scxfarm-Caught-By: nested-basic: partition",
                                  }))
                    .ok());
    ASSERT_TRUE(write_file_atomic(dir_ / "configs" / "suites" / "oracle.yaml", kSuite).ok());
  }

  // The oracle suite with the mutant's nested-basic run ending as NESTED.
  fs::path suite(const std::string& name, Outcome nested, std::initializer_list<Check> checks) {
    FakeSuite s("oracle");
    s.add("stock", "weight-churn");
    s.add("stock", "nested-basic");
    s.add("mutant-m", "weight-churn", Outcome::kFail, {Check::kPartition, Check::kLiveness});
    s.add("mutant-m", "nested-basic", nested, checks);
    EXPECT_TRUE(s.write(dir_ / name).ok());
    return dir_ / name;
  }

  CommandOutput oracle(const fs::path& results, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"--configs", (dir_ / "configs").string(), "oracle",
                                     results.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return scxfarm(args);
  }

  fs::path dir_;
};

TEST_F(OracleCli, HoldsIsZeroWithTheTableAndOracleJson) {
  const auto results = suite("holds", Outcome::kSchedulerError, {Check::kExits, Check::kPartition});
  auto out = oracle(results);
  EXPECT_EQ(out.status.code, 0) << out.output;
  EXPECT_TRUE(contains(out.output, "breaks: a revoke clears every cap")) << out.output;
  EXPECT_TRUE(contains(out.output, "weight-churn  caught     partition; also fired: liveness"))
      << out.output;
  EXPECT_TRUE(contains(out.output, "nested-basic  caught     partition; also fired: exits"))
      << out.output;
  EXPECT_TRUE(contains(out.output, "oracle oracle: HOLDS (2 stock passed, 2 caught)"))
      << out.output;
  const auto j = nlohmann::json::parse(read_file(results / "oracle.json").value());
  EXPECT_EQ(j["holds"], true);
  EXPECT_EQ(j["mutants"][0]["cells"][1]["fired"], (nlohmann::json{"exits", "partition"}));
}

TEST_F(OracleCli, AMissedMutantIsOne) {
  const auto results = suite("missed", Outcome::kPass, {});
  auto out = oracle(results);
  EXPECT_EQ(out.status.code, 1) << out.output;
  EXPECT_TRUE(contains(out.output, "nested-basic  MISSED     named partition; fired: none"))
      << out.output;
  EXPECT_TRUE(contains(out.output, "oracle oracle: FAILS")) << out.output;
  EXPECT_EQ(nlohmann::json::parse(read_file(results / "oracle.json").value())["holds"], false);
}

TEST_F(OracleCli, AnInvalidMutantRunIsOne) {
  auto out = oracle(suite("invalid", Outcome::kKernelCrash, {}));
  EXPECT_EQ(out.status.code, 1) << out.output;
  EXPECT_TRUE(contains(out.output, "nested-basic  INVALID")) << out.output;
}

TEST_F(OracleCli, JsonFlagPrintsTheReport) {
  auto out = oracle(suite("json", Outcome::kFail, {Check::kPartition}), {"--json"});
  EXPECT_EQ(out.status.code, 0) << out.output;
  EXPECT_TRUE(contains(out.output, "\"verdict\": \"caught\"")) << out.output;
  EXPECT_FALSE(contains(out.output, "HOLDS")) << out.output;
}

TEST_F(OracleCli, UnusableInputIsTwo) {
  ASSERT_TRUE(ensure_dir(dir_ / "empty").ok());
  auto out = oracle(dir_ / "empty");
  EXPECT_EQ(out.status.code, 2) << out.output;
  EXPECT_TRUE(contains(out.output, (dir_ / "empty" / "suite.json").string())) << out.output;

  const auto results = suite("no-kernel", Outcome::kFail, {Check::kPartition});
  fs::remove(dir_ / "configs" / "kernels" / "mutant-m.yaml");
  out = oracle(results);
  EXPECT_EQ(out.status.code, 2) << out.output;
  EXPECT_TRUE(contains(out.output, "kernel config of mutant-m")) << out.output;
  EXPECT_FALSE(fs::exists(results / "oracle.json"));
}

TEST_F(OracleCli, ABrokenMutantHeaderIsTwoAndNamesTheLine) {
  const auto results = suite("bad-header", Outcome::kFail, {Check::kPartition});
  ASSERT_TRUE(write_file_atomic(dir_ / "configs" / "kernels" / "mutants" / "m.patch",
                                oracle::testing::mail({"Scxfarm-Breaks: p",
                                                       "Scxfarm-Caught-By: weight-churn: parts"}))
                  .ok());
  auto out = oracle(results);
  EXPECT_EQ(out.status.code, 2) << out.output;
  EXPECT_TRUE(contains(out.output,
                       "m.patch:8: Scxfarm-Caught-By 'weight-churn: parts': unknown "
                       "check 'parts' (allowed: samples,"))
      << out.output;
}

TEST_F(OracleCli, BadFlagsAreThree) {
  auto out = oracle(dir_ / "nowhere");
  EXPECT_EQ(out.status.code, 3) << out.output;
  out = oracle(suite("flags", Outcome::kFail, {Check::kPartition}), {"--tabel"});
  EXPECT_EQ(out.status.code, 3) << out.output;
}

}  // namespace
}  // namespace scxfarm
