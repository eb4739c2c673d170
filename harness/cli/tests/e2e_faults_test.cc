// End-to-end (ctest label e2e; needs root, QEMU and ~3 minutes under TCG):
// the farm's failure handling on the real kernel, suite `faults`:
//  - boot-verify passes beside the failing runs;
//  - fault-panic (sysrq 'c') ends in kernel-crash, is rerun, is reported
//    deterministic with a signature, and both consoles are kept;
//  - fault-hang (agent frozen) ends in timeout with the no-output reason;
//  - fault-qemu-kill: this test kills QEMU (the run's qemu.pid) mid-run:
//    lost-connection, console kept.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "scxfarm/common/fs.h"
#include "scxfarm/common/process.h"

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace scxfarm {
namespace {

fs::path only_suite_dir(const fs::path& root) {
  std::vector<fs::path> dirs;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(root, ec))
    if (e.is_directory()) dirs.push_back(e.path());
  return dirs.size() == 1 ? dirs[0] : fs::path();
}

// Waits for the kill target's samples (the guest is mid-run), then kills its QEMU.
bool kill_qemu_mid_run(const fs::path& results, std::string& what) {
  const auto deadline = std::chrono::steady_clock::now() + 6min;
  while (std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(500ms);
    const fs::path suite = only_suite_dir(results);
    if (suite.empty()) continue;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(suite, ec)) {
      const std::string name = e.path().filename().string();
      if (name.find("fault-qemu-kill") == std::string::npos) continue;
      auto samples = read_file(e.path() / "samples.jsonl");
      auto pid = read_file(e.path() / "qemu.pid");
      if (!samples || !pid || samples->find("\"type\":\"sample\"") == std::string::npos) continue;
      const int qemu = std::stoi(*pid);
      what = "killed QEMU pid " + std::to_string(qemu) + " of " + name;
      return ::kill(qemu, SIGKILL) == 0;
    }
  }
  what = "the fault-qemu-kill run never reached its samples";
  return false;
}

TEST(E2eFaults, CrashHangAndKillAreClassifiedAndACleanRunStillPasses) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root";
  const fs::path results =
      fs::temp_directory_path() / ("scxfarm-e2e-faults-" + std::to_string(::getpid()));
  fs::remove_all(results);
  std::string killed;
  bool kill_ok = false;
  std::thread killer([&] { kill_ok = kill_qemu_mid_run(results, killed); });
  auto out = run_command({SCXFARM_BINARY, "run", "faults", "--results", results.string(),
                          "--crash-reruns", "1", "--jobs", "1"},
                         6min);
  killer.join();
  ASSERT_TRUE(out.ok()) << out.error().message;
  std::cerr << out->output.substr(out->output.size() > 8000 ? out->output.size() - 8000 : 0);
  EXPECT_TRUE(kill_ok) << killed;
  EXPECT_EQ(out->status.code, 1) << "three runs fail by design: exit 1 (not 2: none is infra)";

  const fs::path suite_dir = only_suite_dir(results);
  ASSERT_FALSE(suite_dir.empty());
  std::ifstream in(suite_dir / "suite.json");
  auto suite = nlohmann::json::parse(in);
  std::map<std::string, nlohmann::json> by_scenario;
  for (const auto& run : suite["runs"]) by_scenario[run["scenario"]] = run;
  ASSERT_EQ(by_scenario.size(), 4u);

  const auto& clean = by_scenario["boot-verify"];
  EXPECT_EQ(clean["outcome"], "pass") << clean["reason"];

  const auto& panic = by_scenario["fault-panic"];
  EXPECT_EQ(panic["outcome"], "kernel-crash") << panic["reason"];
  EXPECT_FALSE(panic["crash_signature"].get<std::string>().empty());
  EXPECT_EQ(panic["crash_reruns"], 1);
  EXPECT_EQ(panic["crash_determinism"], "deterministic") << panic["rerun_outcomes"];
  EXPECT_FALSE(panic["flaky"].get<bool>());
  const fs::path panic_dir = panic["run_dir"].get<std::string>();
  EXPECT_TRUE(fs::exists(panic_dir / "console.log"));
  EXPECT_TRUE(fs::exists(panic_dir / "rerun-1" / "console.log"));
  auto console = read_file(panic_dir / "console.log");
  ASSERT_TRUE(console.ok());
  EXPECT_NE(console->find("sysrq"), std::string::npos) << "the console shows the sysrq crash";

  const auto& hang = by_scenario["fault-hang"];
  EXPECT_EQ(hang["outcome"], "timeout") << hang["reason"];
  EXPECT_EQ(hang["reason"].get<std::string>().rfind("no output from the agent for ", 0), 0u)
      << hang["reason"];

  const auto& kill = by_scenario["fault-qemu-kill"];
  EXPECT_EQ(kill["outcome"], "lost-connection") << kill["reason"];
  EXPECT_TRUE(fs::exists(fs::path(kill["run_dir"].get<std::string>()) / "console.log"));
  fs::remove_all(results);
}

}  // namespace
}  // namespace scxfarm
