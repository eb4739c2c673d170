#include "scxfarm/results/failure.h"

#include "scxfarm/common/spelling.h"

namespace scxfarm::results {

namespace {
constexpr Spellings<Check, 15> kNames = {{
    {"samples", Check::kSamples},
    {"attach", Check::kAttach},
    {"churn", Check::kChurn},
    {"run-phase", Check::kRunPhase},
    {"caps-change", Check::kCapsChange},
    {"exits", Check::kExits},
    {"eviction", Check::kEviction},
    {"liveness", Check::kLiveness},
    {"partition", Check::kPartition},
    {"injection", Check::kInjection},
    {"invariants", Check::kInvariants},
    {"topology", Check::kTopology},
    {"kernel-warning", Check::kKernelWarning},
    {"workload-output", Check::kWorkloadOutput},
    {"unclassified", Check::kUnclassified},
}};
}  // namespace

std::string_view to_string(Check check) {
  return name_of(kNames, check).value_or("unclassified");
}

std::optional<Check> check_from_string(std::string_view name) {
  return value_of(kNames, name);
}

std::vector<Check> runner_checks() {
  std::vector<Check> checks;
  for (const auto& [name, check] : kNames)
    if (check != Check::kUnclassified) checks.push_back(check);
  return checks;
}

void to_json(nlohmann::json& j, Check check) {
  j = std::string(to_string(check));
}

// A newer farm may add checks without a schema bump: its failures still read,
// ungrouped, with their text intact.
void from_json(const nlohmann::json& j, Check& check) {
  check = check_from_string(j.get<std::string>()).value_or(Check::kUnclassified);
}

}  // namespace scxfarm::results
