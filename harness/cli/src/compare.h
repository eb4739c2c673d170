// `scxfarm compare BASELINE_DIR CANDIDATE_DIR`: two finished suites,
// statistically and by their checks (harness/compare does the work; this
// validates the flags, prints the table and maps the verdict to the exit code).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "exit_code.h"
#include "scxfarm/common/result.h"
#include "scxfarm/compare/comparison.h"

namespace scxfarm::cli {

struct CompareCommandOptions {
  std::filesystem::path baseline_dir;
  std::filesystem::path candidate_dir;
  std::filesystem::path json_file;         // --json FILE, written atomically; "" = none
  std::filesystem::path junit_file;        // --junit FILE, written atomically; "" = none
  double min_effect_percent = 5;           // --min-effect PCT, of the baseline median; default 5
  std::vector<std::string> min_effect_of;  // --min-effect-of METRIC=PCT, repeatable
  double target_effect_percent = 10;       // --target-effect PCT; default 10
  double fdr = 0.05;                       // --fdr Q; default 0.05
};

// The statistics' options from the flags; an error names the flag and what
// it allows (METRIC: a compared name of the workload metric catalog).
Result<compare::CompareOptions> compare_options(const CompareCommandOptions& flags);

// 0 no regression, 1 a regression, 2 unusable input or a report file that
// could not be written, 3 bad flags.
ExitCode cmd_compare(const CompareCommandOptions& options);

}  // namespace scxfarm::cli
