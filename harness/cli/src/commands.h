// The scxfarm subcommands. main.cc parses the command line (CLI11) and calls
// one of these; each returns the process exit code (exit_code.h).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "exit_code.h"
#include "scxfarm/config/model.h"

namespace scxfarm::cli {

struct GlobalOptions {
  std::filesystem::path source_dir;   // configs/, scripts, guest sources
  std::filesystem::path configs_dir;  // default <source>/configs
  std::filesystem::path cache_dir;    // default $SCXFARM_CACHE or /var/cache/scxfarm
  bool verbose = false;
};

struct SetupOptions {
  std::vector<std::string> suites;   // default {"smoke"}
  std::vector<std::string> kernels;  // extra kernels by name
  bool dry_run = false;  // --dry-run: print each artifact's key and cache state, build nothing
};

// Metrics exports (README "Prometheus and Grafana"); all off by default.
struct MetricsExportOptions {
  std::string listen;              // --metrics-listen [HOST]:PORT (host default 127.0.0.1)
  std::string pushgateway_url;     // --pushgateway URL, pushed at the end of the suite
  std::filesystem::path textfile;  // --textfile PATH (*.prom), written atomically
  std::string shard = "0/1";       // --shard I/N, the Pushgateway group's shard label
};

struct RunOptions {
  std::string suite;
  // --kernel NAME (repeatable): run the suite on these kernels instead of
  // its own list, e.g. smoke on a kernel with a patch series; default none.
  std::vector<std::string> kernels;
  std::filesystem::path results_root = "results";
  std::optional<config::Accel> accel;
  std::optional<config::TcgThreads> tcg_threads;
  double timeout_scale = 0;
  std::string qemu_binary = "qemu-system-x86_64";
  uint32_t jobs = 0;          // --jobs: host CPU budget of the run pool; 0 = the host's usable CPUs
  uint32_t crash_reruns = 1;  // --crash-reruns: reruns of a kernel-crash run; default 1
  uint32_t infra_retries = 2;  // --infra-retries: extra attempts of an infra-error run; default 2
  MetricsExportOptions metrics;
};

// `scxfarm accel`: the accelerator `run` would pick with --accel auto.
struct AccelOptions {
  std::filesystem::path kernel_image;  // --kernel-image: what a probe boots (any bootable kernel)
  std::string qemu_binary = "qemu-system-x86_64";
  double timeout_scale = 0;  // --timeout-scale of the probe; 0 = KVM's own (1)
};

// `scxfarm kernel info NAME`: what a kernel's BTF offers (kernelinfo).
struct KernelInfoOptions {
  std::string kernel;  // a name under configs/kernels
  bool json = false;   // --json: the probe as JSON instead of text
};

// `scxfarm export RESULTS_DIR`: re-export a finished suite from its suite.json.
struct ExportOptions {
  std::filesystem::path results_dir;
  MetricsExportOptions metrics;
};

ExitCode cmd_setup(const GlobalOptions& global, const SetupOptions& options);
ExitCode cmd_run(const GlobalOptions& global, const RunOptions& options);
ExitCode cmd_export(const GlobalOptions& global, const ExportOptions& options);
ExitCode cmd_accel(const GlobalOptions& global, const AccelOptions& options);
ExitCode cmd_kernel_info(const GlobalOptions& global, const KernelInfoOptions& options);
ExitCode cmd_validate(const GlobalOptions& global, const std::vector<std::filesystem::path>& paths);
ExitCode cmd_classify_console(const std::filesystem::path& file);

}  // namespace scxfarm::cli
