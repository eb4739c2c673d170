#include "scxfarm/provision/keys.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <sstream>

#include "scxfarm/provision/provisioner.h"

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
    k.kernel = debian_kernel_key(src_, kernel_).value();
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

// source: build: the series changes the kernel, not the object tree it is
// built in; a fragment or the toolchain changes both.
TEST_F(KeysTest, BuildKeysSeparateTheSeriesFromTheObjectTree) {
  fs::create_directories(dir_ / "k/series");
  append("k/sched-ext.config", "CONFIG_SCHED_CLASS_EXT=y\n");
  append("k/mutant.patch", "From 0 Mon Sep 17 00:00:00 2001\n");
  append("k/series/0002-b.patch", "b\n");
  append("k/series/0001-a.patch", "a\n");
  append("k/series/notes.txt", "not a patch\n");
  const auto root = guest_root_key(src_).value();
  auto keys = [&](const std::vector<fs::path>& patches) {
    const auto toolchain = kernel_toolchain_key(src_, root).value();
    const auto source = debian_source_key(src_, "linux-source-7.3", "7.3.4-1~bpo13+1").value();
    const auto work =
        kernel_work_key("debian:linux-source-7.3", {dir_ / "k/sched-ext.config"}, toolchain)
            .value();
    return std::pair(work, build_kernel_key(src_, source, work, patches).value());
  };
  const auto plain = keys({});
  const auto mutant = keys({dir_ / "k/mutant.patch"});
  EXPECT_EQ(plain.first, mutant.first);
  EXPECT_NE(plain.second, mutant.second);
  EXPECT_EQ(mutant, keys({dir_ / "k/mutant.patch"}));

  append("k/mutant.patch", "edit\n");
  EXPECT_NE(keys({dir_ / "k/mutant.patch"}).second, mutant.second);

  append("k/sched-ext.config", "CONFIG_FPROBE=y\n");
  EXPECT_NE(keys({}).first, plain.first);
  EXPECT_NE(keys({}).second, plain.second);

  const auto before = keys({});
  append("harness/provision/scripts/kernel-toolchain-packages.txt", "strace\n");
  EXPECT_NE(keys({}).first, before.first);

  auto series = expand_series({dir_ / "k/mutant.patch", dir_ / "k/series"}).value();
  EXPECT_EQ(series, (std::vector<fs::path>{dir_ / "k/mutant.patch", dir_ / "k/series/0001-a.patch",
                                           dir_ / "k/series/0002-b.patch"}));
}

// source: image: the image's bytes and the tree's content.
TEST_F(KeysTest, ImageKeyFollowsTheImageAndTheTree) {
  fs::create_directories(dir_ / "linux/tools/sched_ext");
  fs::create_directories(dir_ / "linux/include/uapi");
  fs::create_directories(dir_ / "linux/kernel/sched/ext");
  append("linux/tools/sched_ext/scx_qmap.bpf.c", "int x;\n");
  append("linux/kernel/sched/ext/sub.c", "int y;\n");
  append("linux/kernel/sched/core.c", "int z;\n");
  append("bzImage", "image bytes");
  kernel_.source = config::KernelConfig::Source::kImage;
  kernel_.image = dir_ / "bzImage";
  kernel_.tree = dir_ / "linux";
  auto key = [&] {
    return image_kernel_key(src_, kernel_, tree_content_identity(kernel_.tree).value()).value();
  };
  const auto first = key();
  EXPECT_EQ(key(), first);
  append("linux/kernel/sched/core.c", "// not used by a run\n");
  EXPECT_EQ(key(), first);
  append("linux/kernel/sched/ext/sub.c", "// edit\n");
  const auto second = key();
  EXPECT_NE(second, first);
  append("bzImage", "more");
  EXPECT_NE(key(), second);
}

TEST_F(KeysTest, MissingScriptIsAnError) {
  fs::remove(dir_ / "harness/provision/scripts/guest-root.sh");
  auto key = guest_root_key(src_);
  ASSERT_FALSE(key.ok());
  EXPECT_NE(key.error().message.find("guest-root.sh"), std::string::npos);
}

}  // namespace
}  // namespace scxfarm::provision

namespace scxfarm::provision {
namespace {

// setup --dry-run: the plan names exactly the directories prepare() would
// fill, built from the same key functions, and sees what the cache holds.
TEST_F(KeysTest, ThePlanNamesEveryArtifactAndItsCacheState) {
  const fs::path cache = dir_ / "cache";
  Provisioner provisioner(dir_, cache, [](const std::string&) {});
  auto planned = provisioner.plan(kernel_);
  ASSERT_TRUE(planned.ok()) << planned.error().message;
  auto k = all();
  std::vector<std::string> kinds;
  for (const auto& a : *planned) {
    kinds.push_back(a.kind);
    EXPECT_EQ(a.dir, cache / a.kind / a.key);
    EXPECT_FALSE(a.cached) << a.kind;
  }
  EXPECT_EQ(kinds, (std::vector<std::string>{"guest-root", "kernel", "schedulers", "agent",
                                             "workloads", "initramfs"}));
  EXPECT_EQ(planned->at(1).key, k.kernel);
  EXPECT_EQ(planned->at(5).key, k.image);
  fs::create_directories(planned->at(3).dir);
  EXPECT_TRUE(provisioner.plan(kernel_)->at(3).cached);
}

// A long step's phase lines reach progress while it runs, each once, in
// order, and nothing else from its log does.
TEST_F(KeysTest, ScriptPhaseLinesAreForwardedWhileTheScriptRuns) {
  std::vector<std::string> lines;
  Provisioner provisioner(dir_, dir_ / "cache", [&](const std::string& l) { lines.push_back(l); });
  const auto log = dir_ / "step.log";
  auto st = provisioner.steps(Artifact{})
                .run_script(
                    "step",
                    {"bash", "-c",
                     "echo '[kernel-build] phase: one'; echo 'make noise'; sleep 2.5; "
                     "echo '[kernel-build] compiling: 5 objects'; echo '[provision] not a phase'"},
                    log);
  ASSERT_TRUE(st.ok()) << st.error().message;
  EXPECT_EQ(lines, (std::vector<std::string>{"step (log: " + log.string() + ")", "phase: one",
                                             "compiling: 5 objects"}));
}

}  // namespace
}  // namespace scxfarm::provision
