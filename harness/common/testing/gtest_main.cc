// The main of every GoogleTest binary of the farm (scxfarm::gtest_main):
// GoogleTest's own exits 0 when tests were skipped (GTEST_SKIP: not root,
// a tool missing), which ctest would report as Passed. This one exits
// SCXFARM_TEST_SKIPPED_EXIT when every test that ran passed but some were
// skipped, and the ctest entries carry SKIP_RETURN_CODE with that value
// (cmake/Testing.cmake): a skip shows as Skipped, a failure still fails.
#include <gtest/gtest.h>

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  const int failed = RUN_ALL_TESTS();
  if (failed != 0) return failed;
  const auto* unit = ::testing::UnitTest::GetInstance();
  return unit->skipped_test_count() > 0 ? SCXFARM_TEST_SKIPPED_EXIT : 0;
}
