#include "scxfarm/results/outcome.h"

#include <array>
#include <utility>

namespace scxfarm::results {

namespace {
constexpr std::array<std::pair<Outcome, std::string_view>, 8> kNames = {{
    {Outcome::kPass, "pass"},
    {Outcome::kFail, "fail"},
    {Outcome::kKernelCrash, "kernel-crash"},
    {Outcome::kBootFailure, "boot-failure"},
    {Outcome::kSchedulerError, "scheduler-error"},
    {Outcome::kTimeout, "timeout"},
    {Outcome::kLostConnection, "lost-connection"},
    {Outcome::kInfraError, "infra-error"},
}};
}  // namespace

std::string_view to_string(Outcome outcome) {
  for (const auto& [o, name] : kNames)
    if (o == outcome) return name;
  return "unknown";
}

std::optional<Outcome> outcome_from_string(std::string_view name) {
  for (const auto& [o, n] : kNames)
    if (n == name) return o;
  return std::nullopt;
}

}  // namespace scxfarm::results
