// The KVM probe's reading of QEMU output, on texts recorded on this farm's
// hosts (no QEMU runs here).
#include <gtest/gtest.h>
#include <signal.h>

#include "scxfarm/vm/qemu/qemu_backend.h"

namespace scxfarm::vm {
namespace {

using namespace std::chrono_literals;

// Where KVM works: the banner, then the panic for want of a root device.
constexpr std::string_view kBoot =
    "[    0.000000] Linux version 7.3.4+deb13-cloud-amd64 (debian-kernel@lists.debian.org)\n"
    "[    0.000000] Command line: console=ttyS0 panic=-1\n"
    "[    1.826436] VFS: Cannot open root device \"\" or unknown-block(0,0): error -19\n"
    "[    1.826823] Kernel panic - not syncing: VFS: Unable to mount root fs on "
    "unknown-block(0,0)\n";
// One host: QEMU aborts at once.
constexpr std::string_view kMsrAbort =
    "qemu-system-x86_64: error: failed to set MSR 0x10a to 0x69\n"
    "qemu-system-x86_64: ../../target/i386/kvm/kvm.c:3183: kvm_buf_set_msrs: Assertion `ret == "
    "cpu->kvm_msr_buf->nmsrs' failed.\n";
// Another: the guest stops and QEMU waits forever.
constexpr std::string_view kInternalError =
    "KVM internal error. Suberror: 1\n"
    "emulation failure\n"
    "RAX=0000000000000000 RBX=0000000000000000\n";

CommandOutput exited(int code, std::string_view output) {
  CommandOutput run;
  run.status.exited = true;
  run.status.code = code;
  run.output = std::string(output);
  return run;
}

CommandOutput killed(std::string_view output, bool timed_out) {
  CommandOutput run;
  run.status.signal = SIGKILL;
  run.output = std::string(output);
  run.timed_out = timed_out;
  run.stopped = !timed_out;
  return run;
}

TEST(KvmProbe, DecidesOnACompleteInternalErrorLine) {
  EXPECT_FALSE(kvm_probe_decided("KVM internal err"));
  EXPECT_FALSE(kvm_probe_decided("KVM internal error. Suberror: 1"));  // line not complete yet
  EXPECT_TRUE(kvm_probe_decided("KVM internal error. Suberror: 1\n"));
}

TEST(KvmProbe, DecidesOnTheRootMountPanicAfterTheBanner) {
  const std::string_view boot = kBoot;
  EXPECT_FALSE(kvm_probe_decided(boot.substr(0, boot.find("VFS"))));  // banner alone
  EXPECT_FALSE(kvm_probe_decided(boot.substr(0, boot.size() - 1)));   // panic line incomplete
  EXPECT_TRUE(kvm_probe_decided(boot));
  EXPECT_FALSE(kvm_probe_decided("Kernel panic - not syncing: no banner before\n"));
  EXPECT_FALSE(kvm_probe_decided(""));
}

TEST(KvmProbe, ABootToTheRootMountPanicMeansKvm) {
  for (const auto& run : {killed(kBoot, /*timed_out=*/false), exited(0, kBoot)}) {
    const auto result = read_kvm_probe(run, 10s);
    EXPECT_EQ(result.choice.accel, AccelKind::kKvm);
    EXPECT_EQ(result.choice.reason, "KVM probe boot succeeded");
    EXPECT_TRUE(result.conclusive);
  }
}

TEST(KvmProbe, AnInternalErrorMeansTcgWithQemusLine) {
  const auto result = read_kvm_probe(killed(kInternalError, /*timed_out=*/false), 10s);
  EXPECT_EQ(result.choice.accel, AccelKind::kTcg);
  EXPECT_EQ(result.choice.reason,
            "KVM probe boot failed (KVM internal error. Suberror: 1); using TCG");
  EXPECT_TRUE(result.conclusive);
}

TEST(KvmProbe, AQemuAbortMeansTcgWithItsFirstError) {
  const auto result = read_kvm_probe(exited(134, kMsrAbort), 10s);
  EXPECT_EQ(result.choice.accel, AccelKind::kTcg);
  EXPECT_EQ(result.choice.reason,
            "KVM probe boot failed (exit code 134: qemu-system-x86_64: error: failed to set MSR "
            "0x10a to 0x69); using TCG");
}

TEST(KvmProbe, ATimeoutMeansTcgAndSaysHowLong) {
  const std::string_view boot = kBoot;
  const auto result = read_kvm_probe(killed(boot.substr(0, boot.find("VFS")), true), 2500ms);
  EXPECT_EQ(result.choice.accel, AccelKind::kTcg);
  EXPECT_EQ(result.choice.reason, "KVM probe boot failed (timed out after 2.5 s); using TCG");
}

// A clean exit after the banner counts (the old criterion); without the
// banner, or with an internal error, it does not.
TEST(KvmProbe, ACleanExitNeedsTheBanner) {
  EXPECT_EQ(read_kvm_probe(exited(0, "[    0.000000] Linux version 7.3\n"), 10s).choice.accel,
            AccelKind::kKvm);
  EXPECT_EQ(read_kvm_probe(exited(0, ""), 10s).choice.accel, AccelKind::kTcg);
  EXPECT_EQ(
      read_kvm_probe(exited(0, std::string(kBoot) + std::string(kInternalError)), 10s).choice.accel,
      AccelKind::kTcg);
}

}  // namespace
}  // namespace scxfarm::vm
