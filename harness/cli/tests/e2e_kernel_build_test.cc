// End-to-end, label kernel-build (root, QEMU; a cold kernel build takes
// 20-40 min on 2 cores, so it is not in the README test command; run it with
// `ctest -L kernel-build`): the build provider builds linux-source-7.3 with
// the shipped sched_ext fragment and a one-line series (the release gains
// -scxfarm), and the smoke suite passes on it. The guest's own `uname -r`
// in run.json proves the patched kernel is the one that booted.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "e2e_configs.h"
#include "scxfarm/common/process.h"

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace scxfarm {
namespace {

TEST(E2eKernelBuild, ASourceTreeWithAOneLineSeriesBuildsBootsAndRunsSmoke) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root";
  testing::ScratchConfigs configs("build");
  fs::copy(SCXFARM_SOURCE_DIR "/configs/kernels/examples/extraversion.patch",
           configs.dir() / "kernels/extraversion.patch");
  configs.write_kernel("built-7.3-series",
                       "source: build\nsource_package: linux-source-7.3\n"
                       "version: 7.3.4-1~bpo13+1\npatches: [extraversion.patch]\n"
                       "fragments: [fragments/sched-ext.config]\n");
  configs.write_suite("smoke-built",
                      "kernels: [built-7.3-series]\ntopologies: [numa2x4]\n"
                      "scenarios: [smoke-nested]\n");
  auto out = configs.run("smoke-built", 90min);
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ(out->status.code, 0) << "smoke on the built kernel did not pass";

  auto suite = configs.only_suite();
  ASSERT_EQ(suite["runs"].size(), 1u);
  const auto& run = suite["runs"][0];
  EXPECT_EQ(run["outcome"], "pass") << run["reason"];
  EXPECT_EQ(run["kernel"], "built-7.3-series");
  const std::string release = run["kernel_release"];
  EXPECT_EQ(release.rfind("7.3.4-scxfarm", 0), 0u) << release;
}

}  // namespace
}  // namespace scxfarm
