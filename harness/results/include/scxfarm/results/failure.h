// A failed check of a run, typed: which check (a closed set with stable
// spellings), what it was about, what it found, and the line a developer
// reads. Reports, metrics and JUnit group failures by `check` and `subject`
// instead of parsing the prose of `text`.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace scxfarm::results {

// One per kind of check the runner makes (runner/src/checks.cc, executor.cc).
// The spellings are part of run.json: renaming one is a schema change (see
// result_files.h); adding one is not (older readers read it as unclassified).
enum class Check {
  kSamples,         // the host received no samples, or fewer than the agent took
  kAttach,          // a declared scheduler never attached
  kChurn,           // too few churn ops, failed ops, or ops unaccounted for
  kRunPhase,        // the agent's run-phase report is missing or its settle never came
  kCapsChange,      // a scheduler's caps never changed (expect.caps_change)
  kExits,           // a declared exit never happened, or an undeclared one did
  kEviction,        // subtree-kill: the parent still lists the killed child
  kLiveness,        // a workload thread stayed runnable too long without running
  kPartition,       // settled qmap partition vs sysfs caps
  kInjection,       // wrong-cid injection not bounced / rescued as the mode says
  kInvariants,      // child caps not within the parent's, counters going backwards
  kTopology,        // the guest's topology differs from the declared one, or went unreported
  kKernelWarning,   // a kernel WARNING on the console
  kWorkloadOutput,  // a latency probe's output did not parse or never arrived: nothing measured
  kUnclassified,    // a free-form line from a run.json written before schema_version 1,
                    // or a check this build does not know (written by a newer one)
};

std::string_view to_string(Check check);
std::optional<Check> check_from_string(std::string_view name);
// Every check the runner makes, in declaration order: the vocabulary others
// may name (the oracle's mutant headers). kUnclassified is not among them: it
// is no check, only a failure this build cannot place.
std::vector<Check> runner_checks();

struct Failure {
  Check check = Check::kUnclassified;
  // What failed: a scheduler path ("root/A"), workload name, churn kind,
  // topology name, warning title; "" when the check is about the run as a
  // whole or does not single one out.
  std::string subject;
  std::string detail;  // what the check found, without the check's name or the subject
  // The whole line, as printed after "FAILED:" and quoted as the run's
  // reason ("scheduler root/A never attached").
  std::string text;

  bool operator==(const Failure&) const = default;
};

// The check by its spelling; an unknown spelling reads as kUnclassified.
void to_json(nlohmann::json& j, Check check);
void from_json(const nlohmann::json& j, Check& check);

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Failure, check, subject, detail, text)

}  // namespace scxfarm::results
