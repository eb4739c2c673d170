#include "commands.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <set>

#include "export.h"
#include "scxfarm/common/fs.h"
#include "scxfarm/config/loader.h"
#include "scxfarm/config/repository.h"
#include "scxfarm/kernelinfo/probe.h"
#include "scxfarm/provision/provisioner.h"
#include "scxfarm/report/report.h"
#include "scxfarm/results/summary_text.h"
#include "scxfarm/runner/suite.h"
#include "scxfarm/vm/accel_cache.h"
#include "scxfarm/vm/qemu/qemu_backend.h"
#include "scxfarm/vm/timeouts.h"

namespace fs = std::filesystem;

namespace scxfarm::cli {

namespace {

void progress(const std::string& line) {
  spdlog::info("{}", line);
}

bool running_as_root() {
  return ::geteuid() == 0;
}

// Prepares every kernel in KERNELS; returns false after logging on failure.
bool prepare_kernels(const GlobalOptions& global,
                     const std::vector<config::KernelConfig>& kernels) {
  provision::Provisioner provisioner(global.source_dir, global.cache_dir, progress);
  for (const auto& kernel : kernels) {
    auto start = std::chrono::steady_clock::now();
    auto image = provisioner.prepare(kernel);
    if (!image) {
      spdlog::error("setup of kernel {} failed: {}", kernel.name, image.error().message);
      return false;
    }
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    spdlog::info("kernel {} ready in {:.1f} s: {} + {}", kernel.name, secs,
                 image->kernel_image.string(), image->initramfs.string());
  }
  return true;
}

// The accelerator probe `run` and `accel` share: a KVM probe boot with
// QEMU_BINARY behind its cache in the farm's cache root (vm/accel_cache.h).
vm::AccelProbe cached_kvm_probe(const GlobalOptions& global, const std::string& qemu_binary) {
  return vm::cached_accel_probe(
      vm::accel_cache_file(global.cache_dir),
      [qemu_binary] { return vm::read_accel_probe_key(qemu_binary); },
      [qemu_binary](const fs::path& kernel, std::chrono::milliseconds timeout) {
        return vm::probe_accel(qemu_binary, kernel, timeout);
      },
      progress);
}

}  // namespace

ExitCode cmd_setup(const GlobalOptions& global, const SetupOptions& options) {
  if (!options.dry_run && !running_as_root()) {
    spdlog::error("setup needs root (mmdebstrap, chroot builds, mounts)");
    return ExitCode::kUsage;
  }
  config::ConfigRepository repo(global.configs_dir);
  std::vector<config::KernelConfig> kernels;
  std::set<std::string> seen;
  auto suites = options.suites.empty() && options.kernels.empty()
                    ? std::vector<std::string>{"smoke"}
                    : options.suites;
  for (const auto& name : suites) {
    auto resolved = repo.resolve_suite(name);
    if (!resolved) {
      spdlog::error("{}", resolved.error().message);
      return ExitCode::kUsage;
    }
    for (const auto& [kname, kernel] : resolved->kernels)
      if (seen.insert(kname).second) kernels.push_back(kernel);
  }
  for (const auto& name : options.kernels) {
    auto kernel = repo.kernel(name);
    if (!kernel) {
      spdlog::error("{}", kernel.error().message);
      return ExitCode::kUsage;
    }
    if (seen.insert(name).second) kernels.push_back(*kernel);
  }
  if (options.dry_run) {
    provision::Provisioner provisioner(global.source_dir, global.cache_dir, progress);
    for (const auto& kernel : kernels) {
      auto planned = provisioner.plan(kernel);
      if (!planned) {
        spdlog::error("kernel {}: {}", kernel.name, planned.error().message);
        return ExitCode::kUsage;
      }
      std::printf("kernel %s:\n", kernel.name.c_str());
      for (const auto& a : *planned) {
        std::printf("  %-16s %s  %s\n", a.kind.c_str(), a.cached ? "cached  " : "to build",
                    a.dir.string().c_str());
      }
    }
    return ExitCode::kPass;
  }
  return prepare_kernels(global, kernels) ? ExitCode::kPass : ExitCode::kInfra;
}

ExitCode cmd_run(const GlobalOptions& global, const RunOptions& options) {
  config::ConfigRepository repo(global.configs_dir);
  auto resolved = repo.resolve_suite(options.suite);
  if (!resolved) {
    spdlog::error("{}", resolved.error().message);
    return ExitCode::kUsage;
  }
  if (!options.kernels.empty()) {
    resolved->suite.kernels.clear();
    resolved->kernels.clear();
    for (const auto& name : options.kernels) {
      auto kernel = repo.kernel(name);
      if (!kernel) {
        spdlog::error("--kernel {}: {}", name, kernel.error().message);
        return ExitCode::kUsage;
      }
      if (resolved->kernels.emplace(name, *kernel).second) resolved->suite.kernels.push_back(name);
    }
  }
  if (!running_as_root()) {
    spdlog::error("run needs root (it provisions guest images on first use)");
    return ExitCode::kUsage;
  }
  if (auto valid = validate_export_options(options.metrics); !valid) {
    spdlog::error("{}", valid.error().message);
    return ExitCode::kUsage;
  }
  auto live = start_live_metrics(options.metrics);
  if (!live) {
    spdlog::error("{}", live.error().message);
    return ExitCode::kUsage;
  }
  provision::Provisioner provisioner(global.source_dir, global.cache_dir, progress);
  runner::SuiteOptions suite_options;
  if (*live)
    suite_options.on_run_done = [&](const results::RunSummary& run) { (*live)->set.record(run); };
  suite_options.results_root = options.results_root;
  suite_options.accel = options.accel;
  suite_options.tcg_threads = options.tcg_threads;
  suite_options.timeout_scale = options.timeout_scale;
  suite_options.jobs = options.jobs;
  suite_options.crash_reruns = options.crash_reruns;
  suite_options.infra_retries = options.infra_retries;
  // The composition root: the suite runs on QEMU, probes KVM with a real
  // boot whose answer is cached, and provisions images with the cache-backed
  // provisioner.
  vm::QemuBackend backend(options.qemu_binary);
  const runner::SuiteServices services{
      backend, cached_kvm_probe(global, options.qemu_binary),
      [&](const config::KernelConfig& kernel) { return provisioner.prepare(kernel); },
      runner::probe_image_btf};
  auto result = runner::run_suite(*resolved, suite_options, services, progress);
  if (!result) {
    spdlog::error("{}", result.error().message);
    return ExitCode::kInfra;
  }
  std::cout << "\nsuite " << resolved->suite.name << " (" << result->dir.string() << "):\n"
            << results::format_suite_table(result->runs);
  // The suite's wall time as run_suite recorded it in suite.json, so this
  // export and a later `scxfarm export` of the directory agree.
  const metrics::SuiteRecord record{resolved->suite.name, result->runs, result->wall_seconds,
                                    result->finished_at};
  if (*live)
    (*live)->set.record_suite(record.suite, record.duration_seconds, record.all_passed(),
                              record.finished_at);
  const ExitCode runs_exit = result->all_passed()          ? ExitCode::kPass
                             : result->infra_only_failures ? ExitCode::kInfra
                                                           : ExitCode::kFail;
  return export_and_exit_code(record, options.metrics, runs_exit);
}

ExitCode cmd_accel(const GlobalOptions& global, const AccelOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  const auto choice = cached_kvm_probe(global, options.qemu_binary)(
      options.kernel_image, vm::kvm_probe_timeout(options.timeout_scale));
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << vm::to_string(choice.accel) << " (" << choice.reason << ")\n";
  spdlog::info("accelerator decided in {:.3f} s", secs);
  return ExitCode::kPass;
}

ExitCode cmd_kernel_info(const GlobalOptions& global, const KernelInfoOptions& options) {
  config::ConfigRepository repo(global.configs_dir);
  auto kernel = repo.kernel(options.kernel);
  if (!kernel) {
    spdlog::error("{}", kernel.error().message);
    return ExitCode::kUsage;
  }
  // The kernel artifact alone (fetched once, then cached): its vmlinux is
  // what the probe reads; the rest of the image is not needed.
  provision::Provisioner provisioner(global.source_dir, global.cache_dir, progress);
  const auto provision_error = [&](const Error& error) {
    spdlog::error("kernel {}: {}{}", options.kernel, error.message,
                  running_as_root() ? "" : " (provisioning a kernel the first time needs root)");
    return ExitCode::kInfra;
  };
  auto root = provisioner.guest_root();
  if (!root) return provision_error(root.error());
  auto artifact = provisioner.kernel(*kernel, *root);
  if (!artifact) return provision_error(artifact.error());
  auto probed = kernelinfo::probe_btf(artifact->dir / "vmlinux");
  if (!probed) {
    spdlog::error("kernel {}: {}", options.kernel, probed.error().message);
    return ExitCode::kInfra;
  }
  if (options.json) {
    std::cout << kernelinfo::kernel_info_json(options.kernel, *probed).dump(2) << "\n";
  } else {
    std::cout << kernelinfo::format_features(options.kernel, *probed);
  }
  return ExitCode::kPass;
}

ExitCode cmd_validate(const GlobalOptions&, const std::vector<fs::path>& paths) {
  bool ok = true;
  for (const auto& report : config::validate_paths(paths)) {
    std::cout << config::format_report(report) << "\n";
    ok = ok && report.errors.empty();
  }
  return ok ? ExitCode::kPass : ExitCode::kUsage;
}

ExitCode cmd_classify_console(const fs::path& file) {
  auto text = read_file(file);
  if (!text) {
    spdlog::error("{}", text.error().message);
    return ExitCode::kUsage;
  }
  std::cout << report::to_json(report::classify_console(*text)) << "\n";
  return ExitCode::kPass;
}

}  // namespace scxfarm::cli
