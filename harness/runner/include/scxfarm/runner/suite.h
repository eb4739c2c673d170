// A suite run: provision every kernel the suite names, pick the
// accelerator, run the matrix, and leave a suite directory:
//   <results>/<suite>-<UTC timestamp>/
//     suite.json     every RunSummary, written atomically after each run
//     metrics.prom   Prometheus text for all runs (node_exporter textfile format)
//     <NN>-<kernel>-<topology>-<scenario>-r<K>/   one directory per run
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "scxfarm/config/repository.h"
#include "scxfarm/provision/provisioner.h"
#include "scxfarm/results/run_summary.h"
#include "scxfarm/runner/session.h"

namespace scxfarm::runner {

struct SuiteOptions {
  std::filesystem::path results_root = "results";  // default ./results
  std::optional<config::Accel> accel;              // overrides the suite's
  std::optional<config::TcgThreads> tcg_threads;   // overrides the suite's
  double timeout_scale = 0;                        // 0 = the suite's, else by accel
  std::string qemu_binary = "qemu-system-x86_64";
  // Called on the suite's thread right after each run's summary is final
  // (e.g. to record it into a live metrics registry); empty = nothing.
  std::function<void(const results::RunSummary&)> on_run_done;
};

struct SuiteResult {
  std::filesystem::path dir;
  std::vector<results::RunSummary> runs;
  bool infra_only_failures = false;  // every non-pass is an infra error
  bool all_passed() const;
};

Result<SuiteResult> run_suite(const config::ResolvedSuite& suite, const SuiteOptions& options,
                              provision::Provisioner& provisioner, const ProgressFn& progress);

// "07-debian-7.3-cloud-numa2x4-smoke-nested-r0"
std::string run_directory_name(size_t index, const config::RunSpec& spec);

}  // namespace scxfarm::runner
