// The KVM probe's answer kept across `scxfarm run`s. A probe boots a kernel
// (a second on a host where KVM works, up to its timeout where KVM hangs),
// yet its answer changes only with the QEMU binary, a reboot or /dev/kvm.
// So the answer is stored with the key it was found under, in
// <cache root>/accel/probe.json, and a decision whose key matches costs a
// stat, a `qemu --version` and two small reads. Any other key probes again.
// An explicit --accel kvm|tcg never gets here: the suite skips the probe.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "scxfarm/common/result.h"
#include "scxfarm/vm/backend.h"

namespace scxfarm::vm {

// What one probe found. CONCLUSIVE: QEMU ran and gave its answer, which holds
// until the key changes; a probe that could not even start QEMU is not kept.
struct AccelProbeResult {
  AccelChoice choice;
  bool conclusive = true;
};

// The probe itself (vm::probe_accel bound to a QEMU binary), injected so the
// cache is tested without QEMU.
using UncachedAccelProbe = std::function<AccelProbeResult(const std::filesystem::path& kernel,
                                                          std::chrono::milliseconds timeout)>;

// Everything that decides the probe's answer on one host.
struct AccelProbeKey {
  std::string qemu_path;        // the binary as exec finds it, symlinks resolved
  uint64_t qemu_size = 0;       // bytes
  int64_t qemu_mtime_ns = 0;    // modification time, ns since the epoch
  std::string qemu_version;     // `QEMU --version`, trimmed
  std::string boot_id;          // the kernel's boot id: a reboot probes again
  bool kvm_present = false;     // /dev/kvm exists
  bool kvm_accessible = false;  // /dev/kvm is readable and writable by this user
  bool operator==(const AccelProbeKey&) const = default;
};

// Where the key's host facts come from; tests point them at files of their own.
struct AccelKeySources {
  std::filesystem::path boot_id = "/proc/sys/kernel/random/boot_id";
  std::filesystem::path kvm_device = "/dev/kvm";
  std::chrono::milliseconds version_timeout{10'000};  // `QEMU --version`; default 10 s
};

// The key on this host for QEMU_BINARY (a name searched in $PATH, or a path).
// An error (QEMU missing, no boot id) means the answer cannot be cached.
Result<AccelProbeKey> read_accel_probe_key(const std::string& qemu_binary,
                                           const AccelKeySources& sources = {});

// The cache file under the farm's cache root ($SCXFARM_CACHE): ROOT/accel/probe.json.
std::filesystem::path accel_cache_file(const std::filesystem::path& cache_root);

// PROBE behind the cache file CACHE_FILE, as the suite's AccelProbe. READ_KEY
// runs on every decision. A hit answers "cached probe from <UTC time>:
// <reason>"; a miss probes and stores a conclusive answer atomically. A
// cache file that cannot be read, parsed or written, or a key that cannot be
// read, is never fatal: LOG gets one line and the probe runs.
AccelProbe cached_accel_probe(std::filesystem::path cache_file,
                              std::function<Result<AccelProbeKey>()> read_key,
                              UncachedAccelProbe probe,
                              std::function<void(const std::string&)> log);

}  // namespace scxfarm::vm
