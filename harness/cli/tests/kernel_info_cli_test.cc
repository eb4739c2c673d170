// `scxfarm kernel info NAME` end to end, against a scratch cache that holds
// the two artifacts it reads (the guest root and the kernel, at the keys the
// provisioner computes) with a small 6.12-like BTF as the kernel's vmlinux:
// nothing is fetched, built, or written to the farm's cache.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "btf_builder.h"
#include "cli_runner.h"
#include "scxfarm/common/fs.h"
#include "scxfarm/config/repository.h"
#include "scxfarm/provision/keys.h"

namespace scxfarm {
namespace {

namespace fs = std::filesystem;
using cli_testing::contains;
using cli_testing::scxfarm;

class KernelInfoCli : public ::testing::Test {
 protected:
  void SetUp() override {
    cache_ = kernelinfo::testing::scratch_dir("cli-cache");
    const provision::SourceFiles src{SCXFARM_SOURCE_DIR};
    auto kernel = config::ConfigRepository(fs::path(SCXFARM_SOURCE_DIR) / "configs")
                      .kernel("debian-7.3-cloud");
    ASSERT_TRUE(kernel.ok()) << kernel.error().message;
    auto root_key = provision::guest_root_key(src);
    auto kernel_key = provision::debian_kernel_key(src, *kernel);
    ASSERT_TRUE(root_key.ok() && kernel_key.ok());
    ASSERT_TRUE(ensure_dir(cache_ / "guest-root" / *root_key).ok());
    kernel_dir_ = cache_ / "kernel" / *kernel_key;
    ASSERT_TRUE(ensure_dir(kernel_dir_).ok());
  }
  void TearDown() override { fs::remove_all(cache_); }

  CommandOutput kernel_info(const std::vector<std::string>& extra) {
    std::vector<std::string> args = {"--cache", cache_.string(), "kernel", "info"};
    args.insert(args.end(), extra.begin(), extra.end());
    return scxfarm(args);
  }

  fs::path cache_, kernel_dir_;
};

TEST_F(KernelInfoCli, PrintsTheProbeOfTheCachedKernel) {
  kernelinfo::testing::write_raw_btf(kernelinfo::testing::kernel_6_12(), kernel_dir_ / "vmlinux");
  const auto text = kernel_info({"debian-7.3-cloud"});
  ASSERT_EQ(text.status.code, 0) << text.output;
  EXPECT_TRUE(
      contains(text.output, "kernel debian-7.3-cloud: " + (kernel_dir_ / "vmlinux").string()))
      << text.output;
  EXPECT_TRUE(contains(text.output, "  sched-ext       yes\n")) << text.output;
  EXPECT_TRUE(contains(text.output,
                       "  sub-sched       NO: no sched_ext_ops.sub_attach, "
                       "sched_ext_ops.sub_caps_updated, kfunc scx_bpf_sub_grant, kfunc "
                       "scx_bpf_sub_revoke in the kernel's BTF\n"))
      << text.output;

  const auto json = kernel_info({"debian-7.3-cloud", "--json"});
  ASSERT_EQ(json.status.code, 0) << json.output;
  // stdout carries the JSON alone; progress goes to stderr (the runner
  // interleaves both: take the object).
  const auto begin = json.output.find("{\n");
  ASSERT_NE(begin, std::string::npos) << json.output;
  const auto j =
      nlohmann::json::parse(json.output.substr(begin, json.output.rfind('}') - begin + 1));
  EXPECT_EQ(j.at("kernel"), "debian-7.3-cloud");
  EXPECT_EQ(j.at("vmlinux"), (kernel_dir_ / "vmlinux").string());
  EXPECT_EQ(j.at("features").at(1).at("name"), "sub-sched");
  EXPECT_EQ(j.at("features").at(1).at("present"), false);
}

TEST_F(KernelInfoCli, AKernelWithoutReadableBtfIsAnInfrastructureError) {
  const auto out = kernel_info({"debian-7.3-cloud"});
  EXPECT_EQ(out.status.code, 2) << out.output;
  EXPECT_TRUE(contains(out.output, (kernel_dir_ / "vmlinux").string() + ": no such file"))
      << out.output;
}

TEST_F(KernelInfoCli, AnUnknownKernelIsAUsageError) {
  const auto out = kernel_info({"no-such-kernel"});
  EXPECT_EQ(out.status.code, 3) << out.output;
  EXPECT_TRUE(contains(out.output, "no-such-kernel")) << out.output;
  EXPECT_EQ(scxfarm({"--cache", cache_.string(), "kernel"}).status.code, 3);
}

}  // namespace
}  // namespace scxfarm
