// Every wait in the VM layer comes from this one table, multiplied by one
// slowdown factor (as syzkaller's sys/targets timeouts do), never from
// constants scattered in code.
#pragma once

#include <chrono>

namespace scxfarm::vm {

struct Timeouts {
  using ms = std::chrono::milliseconds;
  ms control_connect{10'000};  // QEMU start -> control socket accepts
  ms boot_to_hello{40'000};    // QEMU start -> agent hello (kernel boot + init)
  ms scenario_grace{60'000};   // beyond the plan's own duration and attach budget
  ms shutdown{20'000};         // agent result -> QEMU exit (power-off)
  ms console_grace{2'000};     // keep watching the console after the scenario ends
  ms no_output{15'000};  // agent silent this long mid-scenario -> timeout (it samples every <=1 s)
  // The factor applied by scaled(); it travels in the plan
  // (ScenarioPlan.timeout_scale) so the agent's waits scale alike.
  double factor = 1.0;

  // All of the above times FACTOR.
  Timeouts scaled(double factor) const;

  // One KVM probe boot: the kernel alone up to its root-mount panic (no
  // init, no agent), so a quarter of boot_to_hello (10 s unscaled). The probe
  // also stops as soon as its output decides (qemu_backend.h).
  ms kvm_probe() const { return boot_to_hello / 4; }
};

// The KVM probe's timeout before the run's factor is known (the probe is what
// decides it): the table scaled by REQUESTED_SCALE (--timeout-scale or the
// suite's), or by KVM's own factor when that is 0 (not requested).
std::chrono::milliseconds kvm_probe_timeout(double requested_scale);

// The slowdown factor for an accelerator: KVM 1, TCG 3 (measured: a TCG boot
// of the 7.3 cloud kernel takes ~4-5 s of wall time on 2 host cores, a KVM
// boot well under 1 s, and everything in the guest runs slower under TCG).
double default_timeout_scale(bool kvm);

}  // namespace scxfarm::vm
