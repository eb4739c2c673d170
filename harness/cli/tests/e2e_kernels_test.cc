// End-to-end (ctest label e2e; root, QEMU, ~6 minutes under TCG): kernels
// from other sources than the default package. First, a kernel a developer
// built, brought in through the `image` provider. The default
// Debian kernel's own bzImage and tree stand in for it: setup fetches them,
// a kernel YAML written here imports them with `source: image`, and the
// smoke suite runs on the imported kernel through the real scxfarm binary.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "e2e_configs.h"
#include "scxfarm/common/process.h"

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace scxfarm {
namespace {

TEST(E2eKernels, AnImageKernelWithItsTreeRunsTheSmokeSuite) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root";
  const fs::path kernel_dir = testing::default_kernel_dir();
  ASSERT_FALSE(kernel_dir.empty());

  testing::ScratchConfigs configs("image");
  configs.write_kernel("imported-7.3",
                       "source: image\nimage: " + (kernel_dir / "vmlinuz").string() +
                           "\ntree: " + (kernel_dir / "src").string() + "\n");
  configs.write_suite("smoke-image",
                      "kernels: [imported-7.3]\ntopologies: [numa2x4]\n"
                      "scenarios: [smoke-nested]\n");
  auto out = configs.run("smoke-image", 30min);
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ(out->status.code, 0) << "smoke on the imported kernel did not pass";

  auto suite = configs.only_suite();
  ASSERT_EQ(suite["runs"].size(), 1u);
  const auto& run = suite["runs"][0];
  EXPECT_EQ(run["outcome"], "pass") << run["reason"];
  EXPECT_EQ(run["kernel"], "imported-7.3");
  EXPECT_EQ(run["kernel_release"], "7.3.4+deb13-cloud-amd64");
  EXPECT_EQ(run["kernel_package_version"], "");
}

// Debian 13's own 6.12 cloud kernel is built without sched_ext: setup
// provisions it with no schedulers (nothing to build against its BTF), and
// every scenario is reported skipped with the missing feature and symbol,
// boots no VM, and the suite exits 0 (a skip is not a failure).
TEST(E2eKernels, AKernelWithoutSchedExtSkipsWithTheMissingFeature) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root";
  testing::ScratchConfigs configs("612");
  std::filesystem::copy(SCXFARM_SOURCE_DIR "/configs/kernels/debian-6.12-cloud.yaml",
                        configs.dir() / "kernels/debian-6.12-cloud.yaml");
  configs.write_suite("skips",
                      "kernels: [debian-6.12-cloud]\ntopologies: [numa2x4]\n"
                      "scenarios: [boot-verify, smoke-nested]\n");
  auto out = configs.run("skips", 20min);
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ(out->status.code, 0) << "a suite of skips must exit 0";

  auto suite = configs.only_suite();
  ASSERT_EQ(suite["runs"].size(), 2u);
  for (const auto& run : suite["runs"]) {
    EXPECT_EQ(run["outcome"], "skipped") << run["scenario"] << ": " << run["reason"];
    const std::string reason = run["reason"];
    EXPECT_NE(reason.find("sched-ext"), std::string::npos) << reason;
    EXPECT_NE(reason.find("sched_ext_ops"), std::string::npos) << reason;
    EXPECT_FALSE(std::filesystem::exists(std::filesystem::path(run["run_dir"].get<std::string>()) /
                                         "console.log"))
        << "a skipped run must not boot";
  }
}

}  // namespace
}  // namespace scxfarm
