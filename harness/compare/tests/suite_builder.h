// Suite directories for the tests, written through the results writer
// (results/result_files.h) exactly as `scxfarm run` leaves them: suite.json
// and each run's run.json.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "scxfarm/common/result.h"
#include "scxfarm/results/result_files.h"

namespace scxfarm::compare::testing {

// A fresh, empty directory under the test's temp dir.
std::filesystem::path temp_dir(const std::string& name);

class SuiteBuilder {
 public:
  explicit SuiteBuilder(std::string suite, std::string kernel = "debian-7.3-cloud");

  // A passing run of TOPOLOGY/SCENARIO, repetition REPEAT; edit it through
  // the reference (valid until the next add_run).
  results::RunSummary& add_run(const std::string& topology, const std::string& scenario,
                               uint32_t repeat);
  // One run per value of VALUES (repetitions 0..), each reporting METRIC of
  // WORKLOAD (of KIND) with that value, its unit from the metric catalog.
  void add_runs_with(const std::string& topology, const std::string& scenario,
                     const std::string& workload, const std::string& kind,
                     const std::string& metric, const std::vector<double>& values);

  std::vector<results::RunSummary>& runs() { return record_.runs; }

  // DIR/suite.json and DIR/<run id>/run.json.
  Status write(const std::filesystem::path& dir) const;

 private:
  // "03-<kernel>-<topology>-<scenario>-r<K>", as the runner names run directories.
  std::string fmt_run_id(size_t index, const std::string& topology, const std::string& scenario,
                         uint32_t repeat) const;

  results::SuiteRecord record_;
  std::string kernel_;
};

// METRIC of WORKLOAD (of KIND) with VALUE, in RUN; its unit from the catalog.
void set_metric(results::RunSummary& run, const std::string& workload, const std::string& kind,
                const std::string& metric, double value);

}  // namespace scxfarm::compare::testing
