// One run, start to finish: boot the VM, drive the scenario, watch the
// console, decide the outcome, and leave everything in the run directory:
//   run.json       the RunSummary (written atomically, last)
//   samples.jsonl  every agent message, verbatim, as it arrived
//   console.log    the serial console (console.log.qemu: QEMU's own stderr)
//   qemu.argv      the exact QEMU command, one argument per line
//   qemu.pid       QEMU's pid while it runs (for tools and fault tests)
// The host<->agent control socket lives outside it, in a private
// $TMPDIR/scxfarm-run-XXXXXX (mode 0700) removed when the run ends.
#pragma once

#include <filesystem>
#include <string>

#include "scxfarm/config/model.h"
#include "scxfarm/kernelinfo/features.h"
#include "scxfarm/provision/provisioner.h"
#include "scxfarm/results/run_summary.h"
#include "scxfarm/runner/session.h"
#include "scxfarm/vm/backend.h"
#include "scxfarm/vm/timeouts.h"

namespace scxfarm::runner {

struct RunInputs {
  std::string suite;
  config::KernelConfig kernel;
  config::TopologyConfig topology;
  config::ScenarioConfig scenario;
  uint32_t repeat_index = 0;
  provision::GuestImage image;
  vm::AccelChoice accel;
  config::TcgThreads tcg_threads = config::TcgThreads::kSingle;
  vm::Timeouts timeouts;  // already scaled
  std::filesystem::path run_dir;
  std::string run_id;
  // From the pool: the run's cost and, for exclusive runs, the host CPUs
  // QEMU is pinned to (empty = not pinned).
  uint32_t pool_cost = 1;
  bool exclusive = false;
  std::vector<uint32_t> pin_cpus;
  uint64_t min_free_disk_mib = 256;  // less free space under run_dir: infra error "out of disk"
  kernelinfo::KernelFeatures kernel_features;  // the kernel's BTF probe, recorded in run.json
};

// run.json in SUMMARY's run_dir, atomically (results::write_run_json); a
// failure to write is reported through PROGRESS.
void write_run_json(const results::RunSummary& summary, const ProgressFn& progress);

results::RunSummary execute_run(const RunInputs& inputs, vm::Backend& backend,
                                const ProgressFn& progress);

// A run its kernel cannot host (LACKING: kernelinfo::lacking_features of
// the scenario's requirements): outcome skipped with LACKING as the reason,
// no VM; run.json written in its directory.
results::RunSummary skip_run(const RunInputs& inputs, const std::string& lacking,
                             const ProgressFn& progress);

// The console's verdict, folded into the outcome: a kernel crash beats
// everything the agent said; a sched_ext exit the scenario did not ask for
// is a scheduler error.
struct ConsoleFindings {
  bool kernel_crash = false;
  bool scheduler_exit = false;
  std::string title;      // first crash (or exit) title
  std::string signature;  // stable signature of it
  std::vector<std::string> all_titles;
  std::vector<std::string> warnings;  // titles of kernel WARNINGs: a failed run, not a crash
};
ConsoleFindings inspect_console(const std::string& console_text);

// Each kernel WARNING the console showed fails the run: one
// results::Check::kKernelWarning failure per title, appended to SUMMARY.
void add_console_failures(const ConsoleFindings& console, results::RunSummary& summary);

// Decides the outcome from everything known about a run. Pure: unit-tested.
void decide_outcome(const SessionResult& session, const ConsoleFindings& console, bool powered_off,
                    results::RunSummary& summary);

}  // namespace scxfarm::runner
