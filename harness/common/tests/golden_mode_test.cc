// testing/golden.h: an update run of the golden-file tests fails unless
// SCXFARM_UPDATE_GOLDEN_INTENDED=1, and its message names that variable.
#include <gtest/gtest.h>
#include <stdlib.h>

#include "testing/golden.h"

namespace scxfarm {
namespace {

class GoldenMode : public ::testing::Test {
 protected:
  void SetUp() override {
    ::unsetenv("SCXFARM_UPDATE_GOLDEN");
    ::unsetenv("SCXFARM_UPDATE_GOLDEN_INTENDED");
  }
  void TearDown() override { SetUp(); }
};

TEST_F(GoldenMode, CompareUnlessUpdateIsSet) {
  EXPECT_FALSE(golden::update_requested());
  ::setenv("SCXFARM_UPDATE_GOLDEN", "0", 1);
  EXPECT_FALSE(golden::update_requested());
  ::setenv("SCXFARM_UPDATE_GOLDEN", "1", 1);
  EXPECT_TRUE(golden::update_requested());
}

TEST_F(GoldenMode, AnUpdateFailsAndSaysWhichVariableToSet) {
  ::setenv("SCXFARM_UPDATE_GOLDEN", "1", 1);
  const std::string failure = golden::update_failure({"a.argv", "b.log"});
  EXPECT_NE(failure.find("rewrote 2 golden file(s) (a.argv, b.log)"), std::string::npos) << failure;
  EXPECT_NE(failure.find("set SCXFARM_UPDATE_GOLDEN_INTENDED=1"), std::string::npos) << failure;
  ::setenv("SCXFARM_UPDATE_GOLDEN_INTENDED", "0", 1);
  EXPECT_FALSE(golden::update_failure({"a.argv"}).empty());
}

TEST_F(GoldenMode, AnIntendedUpdatePasses) {
  ::setenv("SCXFARM_UPDATE_GOLDEN", "1", 1);
  ::setenv("SCXFARM_UPDATE_GOLDEN_INTENDED", "1", 1);
  EXPECT_EQ(golden::update_failure({"a.argv"}), "");
}

}  // namespace
}  // namespace scxfarm
