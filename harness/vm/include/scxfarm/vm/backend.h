// The VM backend contract, after syzkaller's vm/vmimpl: a Backend creates
// Instances; an Instance boots, exposes the agent's control channel as a
// file descriptor, reports how it ended, and is closed. QEMU is the real
// backend (vm/qemu/); tests use a fake one.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "scxfarm/common/process.h"
#include "scxfarm/common/result.h"
#include "scxfarm/vm/machine.h"

namespace scxfarm::vm {

class Instance {
 public:
  virtual ~Instance() = default;
  // Launches the VM; an error here is an infra error (e.g. QEMU missing).
  virtual Status start() = 0;
  // Connects to the guest agent's control channel; returns a readable and
  // writable fd owned by the instance. Errors are infra errors.
  virtual Result<int> connect_control(std::chrono::milliseconds timeout) = 0;
  // How the VM process ended, if it has.
  virtual std::optional<ExitStatus> poll_exit() = 0;
  // Waits up to TIMEOUT for the VM to end by itself.
  virtual std::optional<ExitStatus> wait_exit(std::chrono::milliseconds timeout) = 0;
  // Ends the VM now.
  virtual void kill() = 0;
  // The VM process's pid (QEMU's), -1 when there is none (not started, fake).
  virtual int pid() const { return -1; }
  virtual std::filesystem::path console_path() const = 0;
  virtual std::vector<std::string> command_line() const = 0;
};

class Backend {
 public:
  virtual ~Backend() = default;
  virtual std::string name() const = 0;
  virtual Result<std::unique_ptr<Instance>> create(const MachineSpec& spec) = 0;
};

// The accelerator a suite's VMs use, and why (recorded in run.json and logged).
struct AccelChoice {
  AccelKind accel = AccelKind::kTcg;
  std::string reason;
};

// Decides KVM vs TCG by booting KERNEL within TIMEOUT. It is a function
// passed in, not a call into the QEMU backend, so the suite loop runs on any
// backend: the CLI binds vm::probe_accel (qemu/qemu_backend.h) to its QEMU
// binary; tests pass a stand-in.
using AccelProbe = std::function<AccelChoice(const std::filesystem::path& kernel,
                                             std::chrono::milliseconds timeout)>;

}  // namespace scxfarm::vm
