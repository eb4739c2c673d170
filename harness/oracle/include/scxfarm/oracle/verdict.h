// The oracle's verdict on a finished suite: the stock kernels must pass every
// run, and every mutant must be caught, in each scenario its header names, by
// a check the header names for it. This is what proves the farm's checks can
// fail on a real kernel (configs/kernels/mutants/README.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scxfarm/oracle/mutant_header.h"
#include "scxfarm/results/outcome.h"
#include "scxfarm/results/run_summary.h"

namespace scxfarm::oracle {

// One kernel of the suite: stock (no mutant header) or a mutant.
struct KernelUnderTest {
  std::string name;  // kernel config name
  std::optional<MutantHeader> mutant;
};

// What the suite asked for: its kernels, and the scenarios every stock
// kernel must pass (empty when unknown: then the runs' own scenarios).
struct OraclePlan {
  std::string suite;
  std::vector<KernelUnderTest> kernels;
  std::vector<std::string> scenarios;
  std::vector<std::string> notes;  // how the plan was found, for the report
};

// A mutant cell's verdict (mutant x scenario).
enum class CellVerdict {
  kCaught,    // in every run, a check the header names for the scenario fired
  kMissed,    // named, but in some run no named check fired, or it was not run: fails
  kNotNamed,  // the header does not name the scenario: informational
  kWaiting,   // the header says no check sees it yet ("none (waits for ...)"): informational
  kInvalid,   // a run ended kernel-crash/boot-failure/timeout/lost-connection/infra-error:
              // the mutant must boot and schedule, so nothing was judged: fails
};
enum class StockVerdict {
  kPass,    // every run passed
  kFailed,  // a run did not pass, or none ran: fails
};

std::string_view to_string(CellVerdict verdict);
std::string_view to_string(StockVerdict verdict);

// What one run showed: its outcome and the checks that failed in it.
struct RunSeen {
  std::string run_id;
  std::string topology;
  uint32_t repeat_index = 0;
  results::Outcome outcome = results::Outcome::kInfraError;
  std::string reason;
  std::vector<results::Check> checks;  // failed checks, in Check order, each once
};

struct StockCell {
  std::string kernel;
  std::string scenario;
  StockVerdict verdict = StockVerdict::kFailed;
  std::string reason;  // why it failed ("" when it passed)
  std::vector<RunSeen> runs;
};

struct MutantCell {
  std::string scenario;
  CellVerdict verdict = CellVerdict::kMissed;
  std::vector<results::Check> named;  // what the header names for this scenario
  std::vector<results::Check> fired;  // failed checks over all runs, in Check order
  std::string reason;                 // why missed/invalid; "" otherwise
  std::vector<RunSeen> runs;

  // FIRED without NAMED: what else the mutant tripped.
  std::vector<results::Check> others() const;
  bool fails_oracle() const {
    return verdict == CellVerdict::kMissed || verdict == CellVerdict::kInvalid;
  }
};

struct MutantVerdicts {
  std::string kernel;
  MutantHeader header;
  std::vector<MutantCell> cells;  // suite scenario order, then named scenarios not in it
};

struct OracleReport {
  std::string suite;
  std::vector<StockCell> stock;
  std::vector<MutantVerdicts> mutants;
  std::vector<std::string> problems;  // failures outside any cell (no stock kernel)
  std::vector<std::string> notes;     // informational (runs of kernels not in the plan)

  // Every stock cell passed, no mutant cell is missed or invalid, no problem.
  bool holds() const;
};

// The verdict of RUNS (a finished suite's, any order) against PLAN. Runs of
// a kernel the plan lacks are noted and not judged.
OracleReport evaluate(const OraclePlan& plan, const std::vector<results::RunSummary>& runs);

// A run outcome that says the mutant did not boot or schedule to the end.
bool invalidates_mutant_run(results::Outcome outcome);

}  // namespace scxfarm::oracle
