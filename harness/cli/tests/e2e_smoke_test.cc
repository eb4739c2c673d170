// End-to-end (ctest label e2e; needs root, QEMU and a few minutes): the smoke
// suite on the real default kernel, through the real scxfarm binary.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "scxfarm/common/process.h"

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace scxfarm {
namespace {

nlohmann::json load_json(const fs::path& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

fs::path only_suite_dir(const fs::path& root) {
  std::vector<fs::path> dirs;
  for (const auto& e : fs::directory_iterator(root))
    if (e.is_directory()) dirs.push_back(e.path());
  return dirs.size() == 1 ? dirs[0] : fs::path();
}

TEST(E2eSmoke, NestedQmapsChurnUnderStressAndPass) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root";
  const fs::path results =
      fs::temp_directory_path() / ("scxfarm-e2e-" + std::to_string(::getpid()));
  fs::remove_all(results);
  auto out = run_command({SCXFARM_BINARY, "run", "smoke", "--results", results.string()}, 30min);
  ASSERT_TRUE(out.ok()) << out.error().message;
  std::cerr << out->output.substr(out->output.size() > 6000 ? out->output.size() - 6000 : 0);
  EXPECT_EQ(out->status.code, 0) << "scxfarm run smoke did not pass";

  const fs::path suite_dir = only_suite_dir(results);
  ASSERT_FALSE(suite_dir.empty()) << "no suite directory under " << results;
  auto suite = load_json(suite_dir / "suite.json");
  ASSERT_EQ(suite["runs"].size(), 1u);
  const auto& run = suite["runs"][0];
  EXPECT_EQ(run["outcome"], "pass") << run["reason"];
  EXPECT_EQ(run["invariant_violations"], 0);
  // Counts from what the run did: every sample the agent took arrived, and
  // all 60 scheduled swaps (500 ms over 30 s) were applied or folded.
  EXPECT_GT(run["samples"].get<int>(), 0);
  EXPECT_EQ(run["samples"], run["run_phase"]["samples_taken"]);
  const auto& swaps = run["run_phase"]["churn"]["weight-swap"];
  EXPECT_EQ(swaps["scheduled"], 60);
  EXPECT_EQ(swaps["applied"].get<int>() + swaps["folded"].get<int>(), 60);
  EXPECT_GT(swaps["applied"].get<int>(), 0);

  std::map<std::string, nlohmann::json> by_path;
  for (const auto& s : run["schedulers"]) by_path[s["path"]] = s;
  for (const char* path : {"root", "root/A", "root/A/A1", "root/B"}) {
    ASSERT_TRUE(by_path.count(path)) << path << " missing";
    EXPECT_TRUE(by_path[path]["attached"].get<bool>()) << path;
  }
  for (const char* path : {"root/A", "root/B"}) {
    int changes = 0;
    for (const auto& [cap, n] : by_path[path]["caps_changes"].items()) changes += n.get<int>();
    EXPECT_GT(changes, 0) << "caps of " << path << " never changed";
  }
  // The raw files a developer reads are there.
  const fs::path run_dir = run["run_dir"].get<std::string>();
  for (const char* file : {"run.json", "samples.jsonl", "console.log", "qemu.argv"})
    EXPECT_TRUE(fs::exists(run_dir / file)) << file;

  // The metrics file lints clean with the real promtool.
  const fs::path metrics = suite_dir / "metrics.prom";
  ASSERT_TRUE(fs::exists(metrics));
  auto lint = run_command({"sh", "-c", "promtool check metrics < \"$0\"", metrics.string()}, 60s);
  ASSERT_TRUE(lint.ok());
  EXPECT_EQ(lint->status.code, 0) << lint->output;
  fs::remove_all(results);
}

}  // namespace
}  // namespace scxfarm
