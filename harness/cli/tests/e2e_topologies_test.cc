// End-to-end (ctest label e2e; needs root, QEMU and ~3 minutes under TCG):
// every e2e topology (suite `topologies`) boots the real default kernel and
// the guest kernel's own view of CPUs per node, distances, SMT siblings and
// memory per node matches the declared topology (checked by the host from
// the agent's topology_seen report).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "scxfarm/common/process.h"

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace scxfarm {
namespace {

fs::path only_suite_dir(const fs::path& root) {
  std::vector<fs::path> dirs;
  for (const auto& e : fs::directory_iterator(root))
    if (e.is_directory()) dirs.push_back(e.path());
  return dirs.size() == 1 ? dirs[0] : fs::path();
}

TEST(E2eTopologies, EveryTopologyBootsAndMatchesWhatTheKernelSees) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root";
  const fs::path results =
      fs::temp_directory_path() / ("scxfarm-e2e-topo-" + std::to_string(::getpid()));
  fs::remove_all(results);
  auto out =
      run_command({SCXFARM_BINARY, "run", "topologies", "--results", results.string()}, 6min);
  ASSERT_TRUE(out.ok()) << out.error().message;
  std::cerr << out->output.substr(out->output.size() > 8000 ? out->output.size() - 8000 : 0);
  EXPECT_EQ(out->status.code, 0) << "scxfarm run topologies did not pass";

  const fs::path suite_dir = only_suite_dir(results);
  ASSERT_FALSE(suite_dir.empty());
  std::ifstream in(suite_dir / "suite.json");
  auto suite = nlohmann::json::parse(in);
  std::set<std::string> seen;
  for (const auto& run : suite["runs"]) {
    const std::string topo = run["topology"];
    seen.insert(topo);
    EXPECT_EQ(run["outcome"], "pass") << topo << ": " << run["reason"];
    EXPECT_TRUE(run["topology_checked"].get<bool>()) << topo << ": the topology check never ran";
    EXPECT_TRUE(run["topology_mismatches"].empty()) << topo << ": " << run["topology_mismatches"];
    EXPECT_GT(run["samples"].get<int>(), 0) << topo;
  }
  EXPECT_EQ(seen, (std::set<std::string>{"numa1x4", "numa2x4", "numa2x2x2-smt", "numa4-uneven",
                                         "numa3-memonly"}));
  fs::remove_all(results);
}

}  // namespace
}  // namespace scxfarm
