// The build provider's series handling on small real git repositories:
// scripts/kernel-series.sh (reset to the base, apply an mbox or a diff,
// stop with the failing patch's subject and files) and git_tree_state.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <fstream>

#include "scxfarm/common/fs.h"
#include "scxfarm/common/process.h"
#include "scxfarm/provision/kernel_provider.h"

namespace fs = std::filesystem;

namespace scxfarm::provision {
namespace {

class SeriesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("scxfarm-series-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "tree");
    fs::create_directories(dir_ / "series");
    ::setenv("GIT_AUTHOR_NAME", "t", 1);
    ::setenv("GIT_AUTHOR_EMAIL", "t@localhost", 1);
    ::setenv("GIT_COMMITTER_NAME", "t", 1);
    ::setenv("GIT_COMMITTER_EMAIL", "t@localhost", 1);
    write("tree/a.txt", "one\ntwo\nthree\n");
    write("tree/b.txt", "alpha\n");
    git({"init", "-q"});
    git({"add", "-A"});
    git({"commit", "-q", "-m", "base"});
    git({"tag", "scxfarm-base"});
  }
  void TearDown() override { fs::remove_all(dir_); }

  void write(const std::string& rel, const std::string& text) { std::ofstream(dir_ / rel) << text; }
  std::string read(const std::string& rel) {
    auto text = read_file(dir_ / rel);
    return text.ok() ? *text : "<missing>";
  }
  CommandOutput git(std::vector<std::string> args) {
    std::vector<std::string> argv = {"git", "-C", (dir_ / "tree").string()};
    argv.insert(argv.end(), args.begin(), args.end());
    auto out = run_command(argv, std::chrono::seconds(30));
    EXPECT_TRUE(out.ok());
    EXPECT_TRUE(out->status.success()) << out->output;
    return *out;
  }
  // Commits an edit on top of the base and writes it as an mbox into the
  // series directory, then puts the tree back at the base.
  void mail(const std::string& name, const std::string& file, const std::string& text,
            const std::string& subject) {
    write("tree/" + file, text);
    git({"commit", "-q", "-a", "-m", subject});
    auto patch = git({"format-patch", "--stdout", "-1"});
    write("series/" + name, patch.output);
  }
  CommandOutput apply() {
    auto out =
        run_command({"bash", SCXFARM_SOURCE_DIR "/harness/provision/scripts/kernel-series.sh",
                     (dir_ / "tree").string(), (dir_ / "series").string()},
                    std::chrono::seconds(60));
    EXPECT_TRUE(out.ok());
    return *out;
  }

  fs::path dir_;
};

TEST_F(SeriesTest, AnMboxSeriesAppliesInOrderAndListsItsSubjects) {
  mail("0001.mbox", "a.txt", "one\nTWO\nthree\n", "sched_ext: first change");
  mail("0002.mbox", "b.txt", "alpha\nbeta\n", "sched_ext: second change");
  git({"reset", "-q", "--hard", "scxfarm-base"});
  auto out = apply();
  ASSERT_TRUE(out.status.success()) << out.output;
  EXPECT_NE(out.output.find("sched_ext: first change\nsched_ext: second change\n"),
            std::string::npos)
      << out.output;
  EXPECT_EQ(read("tree/a.txt"), "one\nTWO\nthree\n");
  EXPECT_EQ(read("tree/b.txt"), "alpha\nbeta\n");

  // The next build without a series is back at the base.
  fs::remove_all(dir_ / "series");
  fs::create_directories(dir_ / "series");
  ASSERT_TRUE(apply().status.success());
  EXPECT_EQ(read("tree/a.txt"), "one\ntwo\nthree\n");
  EXPECT_EQ(read("tree/b.txt"), "alpha\n");
}

TEST_F(SeriesTest, APlainDiffApplies) {
  write("series/fix.patch", "--- a/b.txt\n+++ b/b.txt\n@@ -1 +1 @@\n-alpha\n+omega\n");
  auto out = apply();
  ASSERT_TRUE(out.status.success()) << out.output;
  EXPECT_EQ(read("tree/b.txt"), "omega\n");
  EXPECT_NE(out.output.find("fix.patch"), std::string::npos);
}

TEST_F(SeriesTest, APatchThatDoesNotApplyNamesItsSubjectAndFilesAndLeavesTheBase) {
  mail("0001.mbox", "a.txt", "one\nTWO\nthree\n", "sched_ext: good change");
  git({"reset", "-q", "--hard", "scxfarm-base"});
  // A second mail made against a different a.txt: its context is missing.
  write("tree/a.txt", "uno\ndos\ntres\n");
  git({"commit", "-q", "-a", "-m", "elsewhere"});
  mail("0002.mbox", "a.txt", "uno\nDOS\ntres\n", "sched_ext: conflicting change");
  git({"reset", "-q", "--hard", "scxfarm-base"});
  auto out = apply();
  EXPECT_FALSE(out.status.success());
  EXPECT_NE(out.output.find("patch does not apply: 0002.mbox: '[PATCH] sched_ext: conflicting "
                            "change' (conflicting files: a.txt)"),
            std::string::npos)
      << out.output;
  EXPECT_EQ(read("tree/a.txt"), "one\ntwo\nthree\n");
}

TEST_F(SeriesTest, GitTreeStateFollowsContentNotHistory) {
  auto clean = git_tree_state(dir_ / "tree");
  ASSERT_TRUE(clean.ok()) << clean.error().message;
  EXPECT_FALSE(clean->dirty);
  write("tree/a.txt", "changed\n");
  auto dirty = git_tree_state(dir_ / "tree");
  ASSERT_TRUE(dirty.ok());
  EXPECT_TRUE(dirty->dirty);
  EXPECT_NE(dirty->tree_id, clean->tree_id);
  EXPECT_EQ(read("tree/a.txt"), "changed\n");  // the tree itself is untouched
  write("tree/a.txt", "one\ntwo\nthree\n");
  auto back = git_tree_state(dir_ / "tree");
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->tree_id, clean->tree_id);
  EXPECT_FALSE(git_tree_state(dir_ / "series").ok());  // not a git tree
}

// After olddefconfig, every fragment line must hold in the .config;
// scripts/kernel-config-check.sh names each dropped option with its value.
TEST_F(SeriesTest, TheConfigCheckNamesEveryOptionOlddefconfigDropped) {
  write("frag.config",
        "# comment\nCONFIG_A=y\nCONFIG_B=y  # trailing comment\nCONFIG_C=n\nCONFIG_D=60\n");
  write("good.config", "CONFIG_A=y\nCONFIG_B=y\n# CONFIG_C is not set\nCONFIG_D=60\n");
  write("bad.config", "CONFIG_A=y\n# CONFIG_B is not set\nCONFIG_C=m\nCONFIG_D=21\n");
  auto check = [&](const std::string& config) {
    auto out =
        run_command({"bash", SCXFARM_SOURCE_DIR "/harness/provision/scripts/kernel-config-check.sh",
                     (dir_ / config).string(), (dir_ / "frag.config").string()},
                    std::chrono::seconds(30));
    EXPECT_TRUE(out.ok());
    return *out;
  };
  auto good = check("good.config");
  EXPECT_TRUE(good.status.success()) << good.output;
  EXPECT_EQ(good.output, "");
  auto bad = check("bad.config");
  EXPECT_EQ(bad.status.code, 1);
  EXPECT_EQ(bad.output,
            "dropped: CONFIG_B=y from frag.config (the .config has: # CONFIG_B is not set)\n"
            "dropped: CONFIG_C=n from frag.config (the .config has: CONFIG_C=m)\n"
            "dropped: CONFIG_D=60 from frag.config (the .config has: CONFIG_D=21)\n");
}

}  // namespace
}  // namespace scxfarm::provision
