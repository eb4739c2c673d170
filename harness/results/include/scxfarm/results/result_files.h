// The on-disk results: run.json (one run) and suite.json (a suite's runs),
// read and written only through here. The runner writes them; `scxfarm
// export`, the metrics and the tests read them.
//
// Both files carry "schema_version" at the top level (suite.json's covers the
// runs inside it). Version history:
//   (none)  files written before versioning ("version 0"): failures are
//           plain strings, suite.json has no started_at / wall_seconds. Still
//           read: failures become unclassified (text = the old line) and the
//           suite's wall time is the span of its runs (earliest start to
//           latest end).
//   1       schema_version; failures are {check, subject, detail, text};
//           suite.json records started_at and wall_seconds.
//   2       the outcome "skipped" (the kernel lacks a required feature; a
//           version 1 reader would read it as infra-error); run.json records
//           the kernel's BTF probe (kernel_features) and the scenario's
//           required_features. Version 1 files read unchanged: their runs
//           were never skipped and have no probe (kernel_features empty).
//
// What bumps kSchemaVersion: anything an older reader would misread -
// removing or renaming a key, changing a key's type, unit or meaning,
// adding an Outcome (older readers would read it as infra-error). Then add
// the upgrade from the previous version to the reader and keep the previous
// version's testdata (harness/results/tests/testdata/) readable.
// What does not: a new key with a default (older readers ignore it, this
// one defaults it when absent) and a new Check (older readers read it as
// unclassified, text intact).
//
// A file with a newer schema_version than kSchemaVersion is an error naming
// the file and both versions: it is never half-read.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "scxfarm/common/result.h"
#include "scxfarm/results/run_summary.h"

namespace scxfarm::results {

inline constexpr int kSchemaVersion = 2;
// Failures are typed ({check, subject, detail, text}) from this version on:
// suites of different versions at or above it compare check by check.
inline constexpr int kTypedFailuresSince = 1;
inline constexpr std::string_view kRunFile = "run.json";      // in the run's directory
inline constexpr std::string_view kSuiteFile = "suite.json";  // in the suite's directory

// suite.json: the suite's finished runs and its wall time, written by
// run_suite after every run (so a killed farm still leaves the finished
// runs) and once more when the last one is done.
struct SuiteRecord {
  std::string suite;
  std::string started_at;        // ISO 8601 UTC (timestamp.h): when run_suite started
  double wall_seconds = 0;       // run_suite's start to this write; the last write's is the suite's
  std::vector<RunSummary> runs;  // finished runs, in matrix order

  bool operator==(const SuiteRecord&) const = default;
};

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(SuiteRecord, suite, started_at, wall_seconds, runs)

// RUN_DIR/run.json, atomically.
Status write_run_json(const std::filesystem::path& run_dir, const RunSummary& run);
// RUN_DIR/run.json, of this version or an older one.
Result<RunSummary> read_run_json(const std::filesystem::path& run_dir);

// SUITE_DIR/suite.json, atomically.
Status write_suite_json(const std::filesystem::path& suite_dir, const SuiteRecord& suite);
// SUITE_DIR/suite.json, of this version or an older one; it must name its
// suite and list its runs.
Result<SuiteRecord> read_suite_json(const std::filesystem::path& suite_dir);
// A finished suite directory: suite.json with each run replaced by its own
// run.json where the run's directory has one (the whole record), after
// checking it is the same run (a directory assembled from two suites is not
// one suite). compare and oracle read results through this.
Result<SuiteRecord> read_finished_suite(const std::filesystem::path& suite_dir);

// The schema_version FILE (a run.json or suite.json) was written with; 0 for
// files written before versioning. Readers that must not mix versions (the
// comparison of two suites) ask this; read_*_json upgrade silently.
Result<int> read_schema_version(const std::filesystem::path& file);

}  // namespace scxfarm::results
