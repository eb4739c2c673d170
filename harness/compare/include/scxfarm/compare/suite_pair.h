// The two finished suites `scxfarm compare` reads, through the results
// reader, and the checks that they can be compared at all: same schema
// version, one kernel per side, the same (topology, scenario) cells, no
// repetition missing. Anything else is unusable input: an error that says
// what differs, never a verdict.
#pragma once

#include <compare>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "scxfarm/common/result.h"
#include "scxfarm/results/result_files.h"

namespace scxfarm::compare {

// One matrix cell of a suite: what a run measured is compared only with runs
// of the same cell.
struct Cell {
  std::string topology;
  std::string scenario;
  auto operator<=>(const Cell&) const = default;
  std::string name() const { return topology + "/" + scenario; }  // "numa2x4/smoke-nested"
};

struct SuiteSide {
  std::filesystem::path dir;
  results::SuiteRecord record;
  int schema_version = 0;
  std::string kernel;          // the kernel config every run used
  std::string kernel_release;  // uname -r of the first run that booted; "" if none did
  uint32_t repetitions = 0;    // runs per cell
};

struct SuitePair {
  SuiteSide baseline;
  SuiteSide candidate;
  std::vector<Cell> cells;  // sorted; the same on both sides
};

// Reads BASELINE_DIR/suite.json and CANDIDATE_DIR/suite.json (and each run's
// run.json where its directory has one, which must be readable and of the
// same run) and checks the pair: an error names the directory, the file or
// the cells that differ.
Result<SuitePair> load_suite_pair(const std::filesystem::path& baseline_dir,
                                  const std::filesystem::path& candidate_dir);

}  // namespace scxfarm::compare
