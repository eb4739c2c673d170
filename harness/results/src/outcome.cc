#include "scxfarm/results/outcome.h"

#include "scxfarm/common/spelling.h"

namespace scxfarm::results {

namespace {
constexpr Spellings<Outcome, 9> kNames = {{
    {"pass", Outcome::kPass},
    {"fail", Outcome::kFail},
    {"kernel-crash", Outcome::kKernelCrash},
    {"boot-failure", Outcome::kBootFailure},
    {"scheduler-error", Outcome::kSchedulerError},
    {"timeout", Outcome::kTimeout},
    {"lost-connection", Outcome::kLostConnection},
    {"infra-error", Outcome::kInfraError},
    {"skipped", Outcome::kSkipped},
}};
}  // namespace

std::string_view to_string(Outcome outcome) {
  return name_of(kNames, outcome).value_or("unknown");
}

std::optional<Outcome> outcome_from_string(std::string_view name) {
  return value_of(kNames, name);
}

void to_json(nlohmann::json& j, Outcome outcome) {
  j = std::string(to_string(outcome));
}

void from_json(const nlohmann::json& j, Outcome& outcome) {
  outcome = outcome_from_string(j.get<std::string>()).value_or(Outcome::kInfraError);
}

}  // namespace scxfarm::results
