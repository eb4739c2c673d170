// The exit status of `scxfarm`: every command returns one of these, and this
// is the only place that defines them (docs/ERRORS.md and the README's "Exit
// status" describe the same codes; --help prints exit_code_meaning()).
#pragma once

#include <string_view>

namespace scxfarm::cli {

enum class ExitCode : int {
  // Every run passed or was skipped (its kernel lacks a feature the
  // scenario requires), or the command did what it was asked to
  // (`compare`: no regression; `oracle`: it holds).
  kPass = 0,
  // At least one run failed, whatever its result kind (fail, kernel-crash,
  // boot-failure, scheduler-error, timeout, lost-connection); for `compare`,
  // the candidate regressed; for `oracle`, the oracle does not hold.
  kFail = 1,
  // An infrastructure error (QEMU or an image missing, out of disk, a failed
  // setup): the farm's own fault, no verdict on the kernel. For `compare`
  // and `oracle`: unusable input (unreadable files, schema versions or plans
  // that differ, missing runs, a kernel config missing) or a report file that
  // could not be written.
  kInfra = 2,
  // A usage or configuration error: a command line or config that cannot be
  // acted on; fatal user errors caught in main end here too.
  kUsage = 3,
  // Every run passed but exporting the metrics (Pushgateway, textfile)
  // failed; the results on disk are complete either way.
  kExportFailed = 4,
};

// What `compare` means by the shared codes.
inline constexpr ExitCode kRegression = ExitCode::kFail;
inline constexpr ExitCode kUnusableInput = ExitCode::kInfra;
// What `oracle` means: a stock run failed, or a mutant was missed or invalid.
inline constexpr ExitCode kOracleFails = ExitCode::kFail;

inline constexpr ExitCode kAllExitCodes[] = {ExitCode::kPass, ExitCode::kFail, ExitCode::kInfra,
                                             ExitCode::kUsage, ExitCode::kExportFailed};

// What the process returns from main.
constexpr int to_int(ExitCode code) {
  return static_cast<int>(code);
}

// One line for --help, e.g. "3 usage or config error".
constexpr std::string_view exit_code_meaning(ExitCode code) {
  switch (code) {
    case ExitCode::kPass:
      return "pass";
    case ExitCode::kFail:
      return "a run failed (compare: a regression; oracle: it does not hold)";
    case ExitCode::kInfra:
      return "infrastructure error (compare, oracle: unusable input)";
    case ExitCode::kUsage:
      return "usage or config error";
    case ExitCode::kExportFailed:
      return "every run passed but a metrics export (--pushgateway, --textfile) failed";
  }
  return "?";
}

}  // namespace scxfarm::cli
