#include "scxfarm/compare/suite_pair.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

namespace fs = std::filesystem;

namespace scxfarm::compare {

namespace {

std::string join(const std::vector<std::string>& parts, const std::string& separator = ", ") {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : separator) + p;
  return out;
}

Cell cell_of(const results::RunSummary& run) {
  return {run.topology, run.scenario};
}

// One kernel per side, and per cell repetitions 0 .. N-1 once each, N the
// same for every cell.
Result<SuiteSide> load_side(const fs::path& dir, const std::string& role) {
  const fs::path suite_file = dir / results::kSuiteFile;
  auto error = [&](const std::string& what) {
    return make_error(fmt::format("{} {}: {}", role, suite_file.string(), what));
  };
  auto record = results::read_finished_suite(dir);
  if (!record) return make_error(role + ": " + record.error().message);
  auto version = results::read_schema_version(suite_file);
  if (!version) return make_error(role + ": " + version.error().message);
  if (record->runs.empty()) return error("lists no runs");

  SuiteSide side{.dir = dir, .record = *record, .schema_version = *version};
  std::set<std::string> kernels;
  std::map<Cell, std::map<uint32_t, std::string>> repetitions;  // cell -> index -> run id
  for (const auto& run : record->runs) {
    kernels.insert(run.kernel);
    if (side.kernel_release.empty()) side.kernel_release = run.kernel_release;
    auto [it, fresh] = repetitions[cell_of(run)].insert({run.repeat_index, run.run_id});
    if (!fresh)
      return error(fmt::format("{} r{} twice (runs {} and {}): one suite's runs only",
                               cell_of(run).name(), run.repeat_index, it->second, run.run_id));
  }
  if (kernels.size() > 1)
    return error(fmt::format("runs of {} kernels ({}): compare needs one kernel per directory",
                             kernels.size(), join({kernels.begin(), kernels.end()})));
  side.kernel = *kernels.begin();

  for (const auto& [cell, runs] : repetitions)
    side.repetitions = std::max(side.repetitions, runs.rbegin()->first + 1);
  std::vector<std::string> gaps;
  for (const auto& [cell, runs] : repetitions) {
    std::vector<std::string> missing;
    for (uint32_t r = 0; r < side.repetitions; ++r)
      if (!runs.contains(r)) missing.push_back("r" + std::to_string(r));
    if (!missing.empty())
      gaps.push_back(
          fmt::format("{} lacks {} of r0..r{}", cell.name(), join(missing), side.repetitions - 1));
  }
  if (!gaps.empty()) return error("missing runs: " + join(gaps));
  return side;
}

std::set<Cell> cells_of(const SuiteSide& side) {
  std::set<Cell> cells;
  for (const auto& run : side.record.runs) cells.insert(cell_of(run));
  return cells;
}

std::vector<std::string> names_not_in(const std::set<Cell>& cells, const std::set<Cell>& other) {
  std::vector<std::string> out;
  for (const auto& cell : cells)
    if (!other.contains(cell)) out.push_back(cell.name());
  return out;
}

}  // namespace

Result<SuitePair> load_suite_pair(const fs::path& baseline_dir, const fs::path& candidate_dir) {
  auto baseline = load_side(baseline_dir, "baseline");
  if (!baseline) return baseline.error();
  auto candidate = load_side(candidate_dir, "candidate");
  if (!candidate) return candidate.error();

  // Checks are matched by their typed failures: versions that both have
  // them compare (a skipped run, new in 2, is no verdict either way).
  const bool both_typed =
      std::min(baseline->schema_version, candidate->schema_version) >= results::kTypedFailuresSince;
  if (baseline->schema_version != candidate->schema_version && !both_typed)
    return make_error(fmt::format(
        "schema versions differ: baseline {} has schema_version {}, candidate {} has {}; "
        "checks are matched by their typed failures (schema_version {} on), so compare suites "
        "written by such schemas",
        (baseline_dir / results::kSuiteFile).string(), baseline->schema_version,
        (candidate_dir / results::kSuiteFile).string(), candidate->schema_version,
        results::kTypedFailuresSince));

  const auto baseline_cells = cells_of(*baseline);
  const auto candidate_cells = cells_of(*candidate);
  if (baseline_cells != candidate_cells) {
    std::vector<std::string> parts;
    if (auto only = names_not_in(baseline_cells, candidate_cells); !only.empty())
      parts.push_back("only in baseline " + baseline_dir.string() + ": " + join(only));
    if (auto only = names_not_in(candidate_cells, baseline_cells); !only.empty())
      parts.push_back("only in candidate " + candidate_dir.string() + ": " + join(only));
    return make_error("plans differ (topology/scenario): " + join(parts, "; "));
  }
  return SuitePair{
      std::move(*baseline), std::move(*candidate), {baseline_cells.begin(), baseline_cells.end()}};
}

}  // namespace scxfarm::compare
