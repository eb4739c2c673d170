#include "scxfarm/oracle/inputs.h"

#include <fmt/format.h>

#include <algorithm>

namespace fs = std::filesystem;

namespace scxfarm::oracle {

namespace {

void add_once(std::vector<std::string>& names, const std::string& name) {
  if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
}

}  // namespace

Result<KernelUnderTest> kernel_under_test(const config::KernelConfig& kernel) {
  auto header = mutant_header_of(kernel);
  if (!header) return header.error();
  return KernelUnderTest{kernel.name, std::move(*header)};
}

Result<OraclePlan> plan_of(const config::ResolvedSuite& suite) {
  OraclePlan plan{suite.suite.name, {}, suite.suite.scenarios, {}};
  for (const auto& name : suite.suite.kernels) {
    const auto it = suite.kernels.find(name);
    if (it == suite.kernels.end())  // a ResolvedSuite holds every kernel it lists
      return make_error(fmt::format("suite {}: kernel {} not resolved", suite.suite.name, name));
    auto kernel = kernel_under_test(it->second);
    if (!kernel) return kernel.error();
    plan.kernels.push_back(std::move(*kernel));
  }
  return plan;
}

Result<OraclePlan> plan_for_results(const config::ConfigRepository& repo,
                                    const results::SuiteRecord& record) {
  OraclePlan plan;
  plan.suite = record.suite;
  std::vector<std::string> kernels;
  const fs::path suite_file = repo.path_of(config::ConfigKind::kSuite, record.suite);
  std::error_code ec;
  const bool have_suite = fs::exists(suite_file, ec);
  if (have_suite) {
    auto suite = repo.suite(record.suite);
    if (!suite) return suite.error();
    kernels = suite->kernels;
    plan.scenarios = suite->scenarios;
  } else {
    plan.notes.push_back(fmt::format(
        "no suite config {}: kernels and scenarios are the runs' own (a scenario no run "
        "reached cannot be missed)",
        suite_file.string()));
    for (const auto& run : record.runs) add_once(plan.scenarios, run.scenario);
  }
  for (const auto& run : record.runs) {
    if (have_suite && std::find(kernels.begin(), kernels.end(), run.kernel) == kernels.end())
      plan.notes.push_back(fmt::format("kernel {} (run {}) is not in suite {}: judged too",
                                       run.kernel, run.run_id, record.suite));
    add_once(kernels, run.kernel);
  }
  for (const auto& name : kernels) {
    auto config = repo.kernel(name);
    if (!config)
      return make_error(fmt::format("kernel config of {}: {}", name, config.error().message));
    auto kernel = kernel_under_test(*config);
    if (!kernel) return kernel.error();
    plan.kernels.push_back(std::move(*kernel));
  }
  return plan;
}

}  // namespace scxfarm::oracle
