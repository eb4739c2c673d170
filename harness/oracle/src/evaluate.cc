#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "scxfarm/common/spelling.h"
#include "scxfarm/common/text.h"
#include "scxfarm/oracle/verdict.h"

namespace scxfarm::oracle {

namespace {

using results::Check;
using results::Outcome;

constexpr Spellings<CellVerdict, 5> kCellVerdicts = {{
    {"caught", CellVerdict::kCaught},
    {"missed", CellVerdict::kMissed},
    {"not-named", CellVerdict::kNotNamed},
    {"waiting", CellVerdict::kWaiting},
    {"invalid", CellVerdict::kInvalid},
}};
constexpr Spellings<StockVerdict, 2> kStockVerdicts = {{
    {"pass", StockVerdict::kPass},
    {"failed", StockVerdict::kFailed},
}};

std::vector<Check> sorted_unique(std::vector<Check> checks) {
  std::sort(checks.begin(), checks.end());
  checks.erase(std::unique(checks.begin(), checks.end()), checks.end());
  return checks;
}

std::string names(const std::vector<Check>& checks) {
  if (checks.empty()) return "none";
  std::vector<std::string_view> out;
  for (const auto c : checks) out.push_back(results::to_string(c));
  return text::join(out, ", ");
}

RunSeen seen(const results::RunSummary& run) {
  RunSeen s{run.run_id, run.topology, run.repeat_index, run.outcome, run.reason, {}};
  for (const auto& f : run.failures) s.checks.push_back(f.check);
  s.checks = sorted_unique(std::move(s.checks));
  return s;
}

std::string run_line(const RunSeen& run) {
  std::string line = fmt::format("{} {}", run.run_id, results::to_string(run.outcome));
  if (!run.checks.empty()) line += " (" + names(run.checks) + ")";
  if (!run.reason.empty()) line += ": " + run.reason;
  return line;
}

bool fired_any(const RunSeen& run, const std::vector<Check>& named) {
  return std::any_of(named.begin(), named.end(), [&](Check c) {
    return std::find(run.checks.begin(), run.checks.end(), c) != run.checks.end();
  });
}

// The scenarios in FIRST's order, then those of REST not in FIRST, each once.
std::vector<std::string> ordered_union(const std::vector<std::string>& first,
                                       const std::vector<std::string>& rest) {
  std::vector<std::string> out;
  for (const auto* list : {&first, &rest})
    for (const auto& s : *list)
      if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
  return out;
}

StockCell stock_cell(const std::string& kernel, const std::string& scenario,
                     const std::vector<RunSeen>& runs) {
  StockCell cell{kernel, scenario, StockVerdict::kPass, "", runs};
  if (runs.empty()) {
    cell.verdict = StockVerdict::kFailed;
    cell.reason = "not run";
    return cell;
  }
  std::vector<std::string> failed;
  for (const auto& run : runs)
    if (run.outcome != Outcome::kPass) failed.push_back(run_line(run));
  if (!failed.empty()) {
    cell.verdict = StockVerdict::kFailed;
    cell.reason = text::join(failed, "; ");
  }
  return cell;
}

MutantCell mutant_cell(const MutantHeader& header, const std::string& scenario,
                       const std::vector<RunSeen>& runs) {
  MutantCell cell;
  cell.scenario = scenario;
  cell.named = header.checks_for(scenario);
  cell.runs = runs;
  for (const auto& run : runs)
    cell.fired.insert(cell.fired.end(), run.checks.begin(), run.checks.end());
  cell.fired = sorted_unique(std::move(cell.fired));

  std::vector<std::string> invalid;
  for (const auto& run : runs)
    if (invalidates_mutant_run(run.outcome)) invalid.push_back(run_line(run));
  if (!invalid.empty()) {
    cell.verdict = CellVerdict::kInvalid;
    cell.reason = "the mutant must boot and schedule: " + text::join(invalid, "; ");
    return cell;
  }
  if (header.waiting()) {
    cell.verdict = CellVerdict::kWaiting;
    return cell;
  }
  if (cell.named.empty()) {
    cell.verdict = CellVerdict::kNotNamed;
    return cell;
  }
  if (runs.empty()) {
    cell.verdict = CellVerdict::kMissed;
    cell.reason = "not run";
    return cell;
  }
  std::vector<std::string> uncaught;
  for (const auto& run : runs)
    if (!fired_any(run, cell.named)) uncaught.push_back(run_line(run));
  cell.verdict = uncaught.empty() ? CellVerdict::kCaught : CellVerdict::kMissed;
  if (!uncaught.empty())
    cell.reason = fmt::format("{} did not fire in {} of {} runs: {}", names(cell.named),
                              uncaught.size(), runs.size(), text::join(uncaught, "; "));
  return cell;
}

}  // namespace

std::string_view to_string(CellVerdict verdict) {
  return name_of(kCellVerdicts, verdict).value_or("?");
}

std::string_view to_string(StockVerdict verdict) {
  return name_of(kStockVerdicts, verdict).value_or("?");
}

bool invalidates_mutant_run(Outcome outcome) {
  switch (outcome) {
    case Outcome::kPass:
    case Outcome::kFail:
    case Outcome::kSchedulerError:  // a scheduler the kernel disabled: judged by its checks
      return false;
    case Outcome::kKernelCrash:
    case Outcome::kBootFailure:
    case Outcome::kTimeout:
    case Outcome::kLostConnection:  // the run's checks are incomplete
    case Outcome::kInfraError:
    case Outcome::kSkipped:  // the kernel lacked a feature: the mutant was never exercised
      return true;
  }
  return true;
}

std::vector<Check> MutantCell::others() const {
  std::vector<Check> out;
  for (const auto c : fired)
    if (std::find(named.begin(), named.end(), c) == named.end()) out.push_back(c);
  return out;
}

bool OracleReport::holds() const {
  if (!problems.empty()) return false;
  for (const auto& cell : stock)
    if (cell.verdict != StockVerdict::kPass) return false;
  for (const auto& mutant : mutants)
    for (const auto& cell : mutant.cells)
      if (cell.fails_oracle()) return false;
  return true;
}

OracleReport evaluate(const OraclePlan& plan, const std::vector<results::RunSummary>& runs) {
  OracleReport report;
  report.suite = plan.suite;
  report.notes = plan.notes;

  // kernel -> scenario -> runs, and each kernel's scenarios in run order.
  std::map<std::string, std::map<std::string, std::vector<RunSeen>>> by_cell;
  std::map<std::string, std::vector<std::string>> run_scenarios;
  std::set<std::string> planned;
  for (const auto& kernel : plan.kernels) planned.insert(kernel.name);
  std::set<std::string> unplanned;
  for (const auto& run : runs) {
    if (!planned.contains(run.kernel)) {
      unplanned.insert(run.kernel);
      continue;
    }
    auto& cell = by_cell[run.kernel][run.scenario];
    if (cell.empty()) run_scenarios[run.kernel].push_back(run.scenario);
    cell.push_back(seen(run));
  }
  for (const auto& kernel : unplanned)
    report.notes.push_back(
        fmt::format("runs of kernel {} not judged: the suite does not list it", kernel));

  size_t stock_kernels = 0;
  for (const auto& kernel : plan.kernels) {
    auto& cells = by_cell[kernel.name];
    const auto& scenarios_run = run_scenarios[kernel.name];
    if (!kernel.mutant) {
      ++stock_kernels;
      for (const auto& scenario : ordered_union(plan.scenarios, scenarios_run))
        report.stock.push_back(stock_cell(kernel.name, scenario, cells[scenario]));
      continue;
    }
    MutantVerdicts mutant{kernel.name, *kernel.mutant, {}};
    // The suite's order for the scenarios it ran, then named ones it did not.
    std::vector<std::string> scenarios;
    for (const auto& s : ordered_union(plan.scenarios, scenarios_run))
      if (cells.contains(s)) scenarios.push_back(s);
    for (const auto& scenario : ordered_union(scenarios, kernel.mutant->scenarios()))
      mutant.cells.push_back(mutant_cell(*kernel.mutant, scenario, cells[scenario]));
    report.mutants.push_back(std::move(mutant));
  }
  if (stock_kernels == 0)
    report.problems.push_back(
        "no stock kernel in the suite: without one, a check that fires on every kernel would "
        "count as catching every mutant");
  else if (report.stock.empty())
    report.problems.push_back("no stock kernel ran a scenario");
  return report;
}

}  // namespace scxfarm::oracle
