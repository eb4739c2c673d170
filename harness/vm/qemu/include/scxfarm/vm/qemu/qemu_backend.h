// The QEMU backend: one qemu-system-x86_64 process per instance, the serial
// console to a file, the agent's control channel on a unix socket.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>

#include "scxfarm/common/process.h"
#include "scxfarm/vm/accel_cache.h"
#include "scxfarm/vm/backend.h"

namespace scxfarm::vm {

class QemuBackend : public Backend {
 public:
  // QEMU_BINARY: program name or path (default "qemu-system-x86_64").
  explicit QemuBackend(std::string qemu_binary = "qemu-system-x86_64");
  std::string name() const override { return "qemu"; }
  Result<std::unique_ptr<Instance>> create(const MachineSpec& spec) override;

 private:
  std::string qemu_binary_;
};

// Decides KVM vs TCG by a real boot under KVM (a /dev/kvm that opens can still
// fail for a normal guest: on one host QEMU aborts setting an MSR, on another
// the guest stops with "KVM internal error"). The probe boots KERNEL with no
// initramfs, console on QEMU's stdout, and reads QEMU's output as it comes:
// it ends as soon as that output decides (kvm_probe_decided), else after
// TIMEOUT. Bound to a QEMU binary and put behind its cache
// (vm/accel_cache.h), this is the suite's vm::AccelProbe.
AccelProbeResult probe_accel(const std::string& qemu_binary, const std::filesystem::path& kernel,
                             std::chrono::milliseconds timeout);

// True once a probe's OUTPUT (console and QEMU's stderr) decides: a complete
// "KVM internal error" line (QEMU pauses the guest then, it never exits), or
// the kernel banner followed by the complete root-mount panic line (the boot
// went through; the banner alone would pass a KVM that fails later on).
bool kvm_probe_decided(std::string_view output);

// The probe's answer from its finished or stopped QEMU run: KVM when the boot
// reached the root-mount panic (or exited cleanly after the banner), else TCG
// with QEMU's own message. Conclusive: QEMU ran.
AccelProbeResult read_kvm_probe(const CommandOutput& run, std::chrono::milliseconds timeout);

}  // namespace scxfarm::vm
