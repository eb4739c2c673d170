// A GoogleTest binary on scxfarm::gtest_main for common_test's
// GtestMain tests: one test passes, one skips, one fails (each selected by
// --gtest_filter). Not registered with ctest.
#include <gtest/gtest.h>

TEST(Probe, Passes) {
  EXPECT_TRUE(true);
}

TEST(Probe, Skips) {
  GTEST_SKIP() << "skipped on purpose";
}

TEST(Probe, Fails) {
  ADD_FAILURE() << "failed on purpose";
}
