#include "scxfarm/results/outcome.h"

#include "scxfarm/common/spelling.h"

namespace scxfarm::results {

namespace {
constexpr Spellings<Outcome, 8> kNames = {{
    {"pass", Outcome::kPass},
    {"fail", Outcome::kFail},
    {"kernel-crash", Outcome::kKernelCrash},
    {"boot-failure", Outcome::kBootFailure},
    {"scheduler-error", Outcome::kSchedulerError},
    {"timeout", Outcome::kTimeout},
    {"lost-connection", Outcome::kLostConnection},
    {"infra-error", Outcome::kInfraError},
}};
}  // namespace

std::string_view to_string(Outcome outcome) {
  return name_of(kNames, outcome).value_or("unknown");
}

std::optional<Outcome> outcome_from_string(std::string_view name) {
  return value_of(kNames, name);
}

}  // namespace scxfarm::results
