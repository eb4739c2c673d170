// Outcomes of a run, as types of failure in the spirit of syzkaller's VM
// layer: the kernel's fault, the scheduler's, the scenario's, or the farm's.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace scxfarm::results {

enum class Outcome {
  kPass,            // every check held
  kFail,            // an assertion or invariant broke
  kKernelCrash,     // panic/oops/BUG on the console
  kBootFailure,     // the kernel never reached the agent
  kSchedulerError,  // sched_ext disabled a scheduler unexpectedly
  kTimeout,         // the scenario did not finish in time (hang)
  kLostConnection,  // the agent's channel closed mid-run
  kInfraError,      // the farm's own fault: QEMU missing, image missing, disk
  // The kernel lacks a feature the scenario requires (kernelinfo/features.h):
  // no VM was booted, and it is no verdict on the kernel either way.
  kSkipped,
};

// A run that counts against the suite: anything but pass and skipped. A
// suite of passes and skips passed (exit 0, last-success metric).
constexpr bool is_failure(Outcome outcome) {
  return outcome != Outcome::kPass && outcome != Outcome::kSkipped;
}

std::string_view to_string(Outcome outcome);
std::optional<Outcome> outcome_from_string(std::string_view name);

// run.json spells the outcome by name. An unknown name reads as infra-error,
// as it always has: a verdict this build cannot tell is never a pass (so
// adding an outcome bumps the schema version, result_files.h).
void to_json(nlohmann::json& j, Outcome outcome);
void from_json(const nlohmann::json& j, Outcome& outcome);

}  // namespace scxfarm::results
