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

}  // namespace
}  // namespace scxfarm
