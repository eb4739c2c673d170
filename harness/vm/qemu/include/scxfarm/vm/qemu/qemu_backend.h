// The QEMU backend: one qemu-system-x86_64 process per instance, the serial
// console to a file, the agent's control channel on a unix socket.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>

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
// fail for a normal guest: QEMU aborts setting an MSR on some hosts). The
// probe boots KERNEL with no initramfs; reaching the kernel banner and
// QEMU's exit after the root-mount panic proves KVM works. Bound to a QEMU
// binary, this is the suite's vm::AccelProbe.
AccelChoice probe_accel(const std::string& qemu_binary, const std::filesystem::path& kernel,
                        std::chrono::milliseconds timeout);

}  // namespace scxfarm::vm
