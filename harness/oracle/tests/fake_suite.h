// Test inputs for the oracle: finished suites written through the results
// writer (results/result_files.h) as `scxfarm run` leaves them, and mutant
// mails written the way `git format-patch` does.
#pragma once

#include <filesystem>
#include <initializer_list>
#include <string>
#include <vector>

#include "scxfarm/common/result.h"
#include "scxfarm/results/result_files.h"

namespace scxfarm::oracle::testing {

// A fresh, empty directory under the test's temp dir.
std::filesystem::path temp_dir(const std::string& name);

class FakeSuite {
 public:
  explicit FakeSuite(std::string suite) { record_.suite = std::move(suite); }

  // A run of KERNEL on numa2x4 / SCENARIO ending in OUTCOME with a failure
  // of each of CHECKS; edit it through the reference (valid until the next add).
  results::RunSummary& add(const std::string& kernel, const std::string& scenario,
                           results::Outcome outcome = results::Outcome::kPass,
                           std::initializer_list<results::Check> checks = {});

  const std::vector<results::RunSummary>& runs() const { return record_.runs; }

  // DIR/suite.json and DIR/<run id>/run.json.
  Status write(const std::filesystem::path& dir) const;

 private:
  results::SuiteRecord record_;
};

// A mail as git format-patch writes it, with MESSAGE (lines joined by "\n")
// as its commit message.
std::string mail(const std::vector<std::string>& message);

}  // namespace scxfarm::oracle::testing
