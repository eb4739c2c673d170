// The terminal summary of a run: what a kernel developer reads first.
#pragma once

#include <string>
#include <vector>

#include "scxfarm/results/run_summary.h"

namespace scxfarm::results {

// Several lines: outcome and reason, timings, per scheduler its caps and
// event deltas, churn, violations, where the files are.
std::string format_run(const RunSummary& run);

// One line per run plus a totals line ("N passed, M failed").
std::string format_suite_table(const std::vector<RunSummary>& runs);

}  // namespace scxfarm::results
