// scxfarm::gtest_main (harness/common/testing/gtest_main.cc): a binary whose
// tests were skipped exits SCXFARM_TEST_SKIPPED_EXIT, which ctest reports as
// Skipped (cmake/Testing.cmake); a failure still exits non-zero otherwise.
#include <gtest/gtest.h>

#include "scxfarm/common/process.h"

namespace scxfarm {
namespace {

using namespace std::chrono_literals;

int probe_exit(const std::string& filter) {
  auto r = run_command({SCXFARM_SKIP_PROBE, "--gtest_filter=" + filter}, 30s);
  EXPECT_TRUE(r.ok()) << r.error().message;
  if (!r.ok()) return -1;
  EXPECT_TRUE(r->status.exited) << r->output;
  return r->status.code;
}

TEST(GtestMain, PassingTestsExitZero) {
  EXPECT_EQ(probe_exit("Probe.Passes"), 0);
}

TEST(GtestMain, ASkipExitsWithTheSkipCodeEvenBesideAPass) {
  EXPECT_EQ(probe_exit("Probe.Skips"), SCXFARM_TEST_SKIPPED_EXIT);
  EXPECT_EQ(probe_exit("Probe.Passes:Probe.Skips"), SCXFARM_TEST_SKIPPED_EXIT);
}

TEST(GtestMain, AFailureWinsOverASkip) {
  EXPECT_EQ(probe_exit("Probe.Fails"), 1);
  EXPECT_EQ(probe_exit("Probe.Skips:Probe.Fails"), 1);
}

}  // namespace
}  // namespace scxfarm
