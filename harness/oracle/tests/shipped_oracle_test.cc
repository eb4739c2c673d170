// The shipped oracle suite and mutants agree: every mutant kernel is in the
// suite, every patch in configs/kernels/mutants parses and has its kernel,
// and the suite runs exactly the scenarios the headers name.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "scxfarm/config/repository.h"
#include "scxfarm/oracle/inputs.h"

namespace scxfarm::oracle {
namespace {

namespace fs = std::filesystem;

const fs::path kConfigs = fs::path(SCXFARM_SOURCE_DIR) / "configs";

TEST(ShippedOracle, EveryMutantHeaderParsesAndHasItsKernel) {
  config::ConfigRepository repo(kConfigs);
  size_t mutants = 0;
  for (const auto& entry : fs::directory_iterator(kConfigs / "kernels" / "mutants")) {
    if (entry.path().extension() != ".patch") continue;
    ++mutants;
    auto header = parse_mutant_header(entry.path());
    ASSERT_TRUE(header.ok()) << header.error().message;
    const std::string kernel_name = "mutant-" + entry.path().stem().string();
    auto kernel = repo.kernel(kernel_name);
    ASSERT_TRUE(kernel.ok()) << kernel.error().message;
    auto seen = kernel_under_test(*kernel);
    ASSERT_TRUE(seen.ok()) << seen.error().message;
    ASSERT_TRUE(seen->mutant.has_value()) << kernel_name << " carries no mutant header";
    EXPECT_EQ(seen->mutant->file, fs::path(entry.path()).lexically_normal());
  }
  EXPECT_GE(mutants, 4u);  // issue 10: at least four, from different mechanisms
}

TEST(ShippedOracle, TheSuiteRunsStockAndEveryMutantOnTheNamedScenarios) {
  config::ConfigRepository repo(kConfigs);
  auto resolved = repo.resolve_suite("oracle");
  ASSERT_TRUE(resolved.ok()) << resolved.error().message;
  auto plan = plan_of(*resolved);
  ASSERT_TRUE(plan.ok()) << plan.error().message;

  std::set<std::string> mutant_kernels;
  for (const auto& name : repo.names(config::ConfigKind::kKernel))
    if (name.rfind("mutant-", 0) == 0) mutant_kernels.insert(name);
  std::set<std::string> planned_mutants, named_scenarios;
  size_t stock = 0;
  for (const auto& kernel : plan->kernels) {
    if (!kernel.mutant) {
      ++stock;
      continue;
    }
    planned_mutants.insert(kernel.name);
    for (const auto& scenario : kernel.mutant->scenarios()) named_scenarios.insert(scenario);
  }
  EXPECT_EQ(planned_mutants, mutant_kernels);
  EXPECT_EQ(stock, 1u);
  EXPECT_EQ(plan->kernels.front().name, "debian-7.3-cloud");
  EXPECT_FALSE(plan->kernels.front().mutant.has_value());
  const std::set<std::string> suite_scenarios(plan->scenarios.begin(), plan->scenarios.end());
  EXPECT_EQ(suite_scenarios, named_scenarios);
  EXPECT_EQ(resolved->suite.topologies, std::vector<std::string>{"numa2x4"});
  EXPECT_EQ(resolved->suite.repeat, 1u);
}

}  // namespace
}  // namespace scxfarm::oracle
