// Where the oracle's inputs come from: the suite's configs (which kernels are
// stock, which are mutants and their headers) and a finished suite's results
// directory, read through the one results reader (results/result_files.h).
#pragma once

#include <filesystem>
#include <vector>

#include "scxfarm/common/result.h"
#include "scxfarm/config/repository.h"
#include "scxfarm/oracle/verdict.h"
#include "scxfarm/results/result_files.h"

namespace scxfarm::oracle {

// KERNEL as the oracle sees it: stock, or a mutant with its parsed header.
Result<KernelUnderTest> kernel_under_test(const config::KernelConfig& kernel);

// The plan of a resolved suite: its kernels in suite order, its scenarios.
Result<OraclePlan> plan_of(const config::ResolvedSuite& suite);

// The plan behind RECORD (a finished suite's suite.json): the suite config
// of that name in REPO when there is one (its kernels, then any other kernel
// the runs used; its scenarios), else the runs' own kernels and scenarios
// (said in the notes). Every kernel config must load: a missing one is an
// error naming it.
Result<OraclePlan> plan_for_results(const config::ConfigRepository& repo,
                                    const results::SuiteRecord& record);

}  // namespace scxfarm::oracle
