#include "scxfarm/common/fs.h"

#include <gtest/gtest.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace scxfarm {
namespace {

fs::path temp_dir() {
  auto dir = fs::temp_directory_path() / ("scxfarm-fs-test-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir;
}

TEST(Fs, AtomicWriteReplacesAndLeavesNoTemporary) {
  auto dir = temp_dir();
  auto path = dir / "run.json";
  ASSERT_TRUE(write_file_atomic(path, "first").ok());
  ASSERT_TRUE(write_file_atomic(path, "second").ok());
  EXPECT_EQ(read_file(path).value(), "second");
  int entries = 0;
  for ([[maybe_unused]] auto& e : fs::directory_iterator(dir)) ++entries;
  EXPECT_EQ(entries, 1);
  fs::remove_all(dir);
}

TEST(Fs, MissingFileIsAnErrorNamingThePath) {
  auto r = read_file("/nonexistent/scxfarm/file");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("/nonexistent/scxfarm/file"), std::string::npos);
}

TEST(Fs, AtomicWriteIntoMissingDirectoryFails) {
  EXPECT_FALSE(write_file_atomic("/nonexistent/scxfarm/out", "x").ok());
}

TEST(Fs, PrivateTempDirIsOwnerOnlyAndGoneWithItsOwner) {
  const auto parent = temp_dir();
  fs::path kept;
  {
    auto dir = PrivateTempDir::create(parent, "run-");
    ASSERT_TRUE(dir.ok()) << dir.error().message;
    kept = dir->path();
    EXPECT_EQ(kept.parent_path(), parent);
    EXPECT_EQ(kept.filename().string().rfind("run-", 0), 0u) << kept;
    EXPECT_EQ(fs::status(kept).permissions() & fs::perms::all, fs::perms::owner_all);
    ASSERT_TRUE(write_file_atomic(kept / "control.sock", "x").ok());
    auto other = PrivateTempDir::create(parent, "run-");
    ASSERT_TRUE(other.ok());
    EXPECT_NE(other->path(), kept);  // parallel runs never share one
    PrivateTempDir moved = std::move(*dir);
    EXPECT_EQ(moved.path(), kept);
    EXPECT_TRUE(fs::exists(kept));  // the moved-from owner removed nothing
  }
  EXPECT_FALSE(fs::exists(kept));
  EXPECT_TRUE(fs::is_empty(parent));
  fs::remove_all(parent);
}

TEST(Fs, PrivateTempDirInAMissingParentIsAnErrorNamingIt) {
  auto dir = PrivateTempDir::create("/nonexistent/scxfarm", "run-");
  ASSERT_FALSE(dir.ok());
  EXPECT_NE(dir.error().message.find("/nonexistent/scxfarm/run-XXXXXX"), std::string::npos)
      << dir.error().message;
}

}  // namespace
}  // namespace scxfarm
