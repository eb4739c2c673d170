#include "scxfarm/provision/keys.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <sstream>

namespace fs = std::filesystem;

namespace scxfarm::provision {
namespace {

// A copy of the real source files that keys read, so tests can edit them.
class KeysTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("scxfarm-keys-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    const fs::path real = SCXFARM_SOURCE_DIR;
    for (const char* sub : {"harness/provision/scripts", "guest", "harness/protocol",
                            "harness/telemetry", "harness/common/include", "workloads"}) {
      fs::create_directories(dir_ / sub);
      if (fs::exists(real / sub))
        fs::copy(real / sub, dir_ / sub,
                 fs::copy_options::recursive | fs::copy_options::overwrite_existing);
    }
    src_ = SourceFiles{dir_};
    kernel_.binary_package = "linux-binary-7.3.4+deb13-cloud-amd64";
    kernel_.source_package = "linux-source-7.3";
    kernel_.version = "7.3.4-1~bpo13+1";
  }
  void TearDown() override { fs::remove_all(dir_); }
  void append(const fs::path& rel, const std::string& text) {
    std::ofstream(dir_ / rel, std::ios::app) << text;
  }
  struct Keys {
    std::string root, kernel, sched, agent, workloads, image;
  };
  Keys all() {
    Keys k;
    k.root = guest_root_key(src_).value();
    k.kernel = kernel_key(src_, kernel_).value();
    k.sched = schedulers_key(src_, k.root, k.kernel).value();
    k.agent = agent_key(src_, k.root).value();
    k.workloads = workloads_key(src_, k.root).value();
    k.image = initramfs_key(src_, k.root, k.sched, k.agent, k.workloads).value();
    return k;
  }

  fs::path dir_;
  SourceFiles src_;
  config::KernelConfig kernel_;
};

TEST_F(KeysTest, StableWhenNothingChanges) {
  auto a = all();
  auto b = all();
  EXPECT_EQ(a.root, b.root);
  EXPECT_EQ(a.image, b.image);
}

TEST_F(KeysTest, PackageListChangesEverythingBuiltOnTheRoot) {
  auto before = all();
  append("guest/root-packages.txt", "strace\n");
  auto after = all();
  EXPECT_NE(before.root, after.root);
  EXPECT_EQ(before.kernel, after.kernel);  // fetched through apt, not built on the root
  EXPECT_NE(before.sched, after.sched);
  EXPECT_NE(before.agent, after.agent);
  EXPECT_NE(before.workloads, after.workloads);
  EXPECT_NE(before.image, after.image);
}

TEST_F(KeysTest, KernelVersionChangesKernelAndSchedulersOnly) {
  auto before = all();
  kernel_.version = "7.3.5-1~bpo13+1";
  auto after = all();
  EXPECT_EQ(before.root, after.root);
  EXPECT_NE(before.kernel, after.kernel);
  EXPECT_NE(before.sched, after.sched);
  EXPECT_EQ(before.agent, after.agent);
  EXPECT_EQ(before.workloads, after.workloads);
  EXPECT_NE(before.image, after.image);
}

TEST_F(KeysTest, SharedProtocolSourceChangesTheAgent) {
  auto before = all();
  append("harness/protocol/include/scxfarm/protocol/contract.h", "// edit\n");
  auto after = all();
  EXPECT_NE(before.agent, after.agent);
  EXPECT_EQ(before.sched, after.sched);
}

TEST_F(KeysTest, WorkloadSourceChangesWorkloadsAndImageOnly) {
  auto before = all();
  append("workloads/wakeup-probe/src/probe.cc", "// edit\n");
  auto after = all();
  EXPECT_NE(before.workloads, after.workloads);
  EXPECT_NE(before.image, after.image);
  EXPECT_EQ(before.agent, after.agent);
  EXPECT_EQ(before.sched, after.sched);
  EXPECT_EQ(before.root, after.root);
}

TEST_F(KeysTest, WorkloadsBuildScriptChangesWorkloads) {
  auto before = all();
  append("harness/provision/scripts/workloads-build.sh", "# edit\n");
  auto after = all();
  EXPECT_NE(before.workloads, after.workloads);
  EXPECT_NE(before.image, after.image);
  EXPECT_EQ(before.agent, after.agent);
}

TEST_F(KeysTest, GuestSourceChangesTheAgentAndImage) {
  auto before = all();
  append("guest/src/sampler.cc", "// edit\n");
  auto after = all();
  EXPECT_NE(before.agent, after.agent);
  EXPECT_NE(before.image, after.image);
  EXPECT_EQ(before.workloads, after.workloads);
}

TEST_F(KeysTest, GuestTestsAndDocsDoNotRebuildTheAgent) {
  auto before = all();
  append("guest/tests/sampler_test.cc", "// edit\n");
  append("guest/README.md", "edit\n");
  append("harness/telemetry/tests/cid_set_test.cc", "// edit\n");
  auto after = all();
  EXPECT_EQ(before.agent, after.agent);
  EXPECT_EQ(before.image, after.image);
}

// The key and the build must agree on what the agent is made of: the
// script's inputs=(...) list is kAgentInputs, no more, no less.
TEST_F(KeysTest, AgentBuildCopiesExactlyTheKeyedInputs) {
  std::ifstream script(dir_ / "harness/provision/scripts/agent-build.sh");
  const std::string text((std::istreambuf_iterator<char>(script)), {});
  const size_t open = text.find("\ninputs=(");
  ASSERT_NE(open, std::string::npos);
  const size_t close = text.find(')', open);
  std::istringstream list(text.substr(open + 9, close - open - 9));
  std::vector<std::string> copied{std::istream_iterator<std::string>(list), {}};
  std::vector<std::string> keyed(kAgentInputs.begin(), kAgentInputs.end());
  std::sort(copied.begin(), copied.end());
  std::sort(keyed.begin(), keyed.end());
  EXPECT_EQ(copied, keyed);
}

TEST_F(KeysTest, LocalKernelIsRefused) {
  kernel_.name = "mine";
  kernel_.source = config::KernelConfig::Source::kLocal;
  auto key = kernel_key(src_, kernel_);
  ASSERT_FALSE(key.ok());
  EXPECT_NE(key.error().message.find("only source: debian"), std::string::npos);
}

TEST_F(KeysTest, MissingScriptIsAnError) {
  fs::remove(dir_ / "harness/provision/scripts/guest-root.sh");
  auto key = guest_root_key(src_);
  ASSERT_FALSE(key.ok());
  EXPECT_NE(key.error().message.find("guest-root.sh"), std::string::npos);
}

}  // namespace
}  // namespace scxfarm::provision
