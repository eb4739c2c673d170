#include "scxfarm/vm/timeouts.h"

#include <gtest/gtest.h>

namespace scxfarm::vm {
namespace {

using std::chrono::milliseconds;

// The probe boots a kernel alone: its budget is a share of a boot, so it
// scales with the table instead of standing apart as a constant.
TEST(Timeouts, TheKvmProbeIsAQuarterOfABootAndScalesWithIt) {
  const Timeouts table;
  EXPECT_EQ(table.kvm_probe(), table.boot_to_hello / 4);
  EXPECT_EQ(table.kvm_probe(), milliseconds(10'000));
  EXPECT_EQ(table.scaled(2).kvm_probe(), table.scaled(2).boot_to_hello / 4);
  EXPECT_EQ(table.scaled(2).kvm_probe(), milliseconds(20'000));
}

TEST(Timeouts, ProbeTimeoutUsesTheRequestedScaleElseKvmsOwn) {
  EXPECT_EQ(kvm_probe_timeout(0), milliseconds(10'000));  // KVM's factor 1
  EXPECT_EQ(kvm_probe_timeout(3), milliseconds(30'000));
  EXPECT_EQ(kvm_probe_timeout(0.5), milliseconds(5'000));
}

}  // namespace
}  // namespace scxfarm::vm
