// A suite run: provision every kernel the suite names, pick the
// accelerator, run the matrix, and leave a suite directory:
//   <results>/<suite>-<UTC timestamp>/
//     suite.json     every finished RunSummary (in matrix order), the suite's
//                    start and wall time (results/result_files.h), written
//                    atomically after each run and once more at the end
//     metrics.prom   Prometheus text for all runs (node_exporter textfile format)
//     <NN>-<kernel>-<topology>-<scenario>-r<K>/   one directory per run
// Runs go through the VM pool (vm/pool.h): several at once within --jobs
// host CPUs; each run boots a fresh VM (a new QEMU process, never reused).
// Before any run, each kernel's BTF is probed once (kernelinfo): a run whose
// scenario requires a feature the kernel lacks ends as `skipped` at once,
// with no VM, and every run.json records its kernel's probe.
// The VM backend, the accelerator probe, the image provisioning and the
// kernel probe are passed in (SuiteServices): the CLI composes the real ones
// (QEMU, a KVM probe boot behind its cache, the provisioner, the BTF probe),
// unit tests fakes.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "scxfarm/config/repository.h"
#include "scxfarm/kernelinfo/features.h"
#include "scxfarm/provision/provisioner.h"
#include "scxfarm/results/run_summary.h"
#include "scxfarm/runner/session.h"
#include "scxfarm/vm/backend.h"

namespace scxfarm::runner {

struct SuiteOptions {
  std::filesystem::path results_root = "results";  // default ./results
  std::optional<config::Accel> accel;              // overrides the suite's
  std::optional<config::TcgThreads> tcg_threads;   // overrides the suite's
  double timeout_scale = 0;                        // 0 = the suite's, else by accel
  // Called right after each run's summary is final (e.g. to record it into
  // a live metrics registry); empty = nothing. Runs finish on pool threads:
  // calls come one at a time, under the suite's lock.
  std::function<void(const results::RunSummary&)> on_run_done;
  uint32_t jobs = 0;  // host CPU budget of the run pool (--jobs); 0 = the host's usable CPUs
  uint32_t crash_reruns = 1;   // reruns of a kernel-crash run (--crash-reruns); default 1
  uint32_t infra_retries = 2;  // extra attempts of an infra-error run; default 2
};

// Builds (or finds cached) the guest image of one kernel; an error stops the
// suite before any VM starts. The CLI binds provision::Provisioner::prepare.
using PrepareImageFn =
    std::function<Result<provision::GuestImage>(const config::KernelConfig& kernel)>;

// What a prepared kernel offers (its BTF, read with libbpf); an error stops
// the suite before any VM starts. The CLI binds probe_image_btf.
using ProbeKernelFn =
    std::function<Result<kernelinfo::KernelFeatures>(const provision::GuestImage& image)>;

// The real probe: kernelinfo::probe_btf on IMAGE.kernel_dir/vmlinux. Not
// cached: it takes tens of milliseconds (docs/PERFORMANCE.md).
Result<kernelinfo::KernelFeatures> probe_image_btf(const provision::GuestImage& image);

// What run_suite runs on, composed by its caller.
struct SuiteServices {
  vm::Backend& backend;          // creates every run's VM; used from pool threads
  vm::AccelProbe probe_accel;    // called once for accel auto; kvm or tcg by request skip it
  PrepareImageFn prepare_image;  // called once per kernel, before any run
  // Called once per kernel after provisioning, before any run: a run whose
  // scenario requires a feature its kernel lacks is skipped without a VM.
  ProbeKernelFn probe_kernel;
};

struct SuiteResult {
  std::filesystem::path dir;
  std::vector<results::RunSummary> runs;
  double wall_seconds = 0;  // the suite's wall time, as suite.json records it
  std::chrono::system_clock::time_point finished_at;  // when suite.json was final
  bool infra_only_failures = false;                   // every failed run is an infra error
  // No run failed: each passed or was skipped (results::is_failure).
  bool all_passed() const;
};

Result<SuiteResult> run_suite(const config::ResolvedSuite& suite, const SuiteOptions& options,
                              const SuiteServices& services, const ProgressFn& progress);

// "07-debian-7.3-cloud-numa2x4-smoke-nested-r0"
std::string run_directory_name(size_t index, const config::RunSpec& spec);

}  // namespace scxfarm::runner
