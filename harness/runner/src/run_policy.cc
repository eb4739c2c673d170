#include "scxfarm/runner/run_policy.h"

namespace scxfarm::runner {

results::RunSummary execute_with_policy(const RunInputs& in, vm::Backend& backend,
                                        const RunPolicy& policy, const ProgressFn& progress) {
  using results::Outcome;
  results::RunSummary summary = execute_run(in, backend, progress);
  std::vector<std::string> infra_errors;
  while (summary.outcome == Outcome::kInfraError && infra_errors.size() < policy.infra_retries) {
    infra_errors.push_back(summary.reason);
    progress("infra error (" + summary.reason + "): retry " + std::to_string(infra_errors.size()) +
             " of " + std::to_string(policy.infra_retries));
    summary = execute_run(in, backend, progress);
  }
  summary.infra_retries = static_cast<uint32_t>(infra_errors.size());
  summary.infra_errors = std::move(infra_errors);

  if (summary.outcome == Outcome::kKernelCrash && policy.crash_reruns > 0) {
    bool same_every_time = true;
    for (uint32_t k = 1; k <= policy.crash_reruns; ++k) {
      RunInputs again = in;
      again.run_dir = in.run_dir / ("rerun-" + std::to_string(k));
      again.run_id = in.run_id + "/rerun-" + std::to_string(k);
      progress("kernel crash (" + summary.crash_signature + "): rerun " + std::to_string(k) +
               " of " + std::to_string(policy.crash_reruns) + " in " + again.run_dir.string());
      const results::RunSummary rerun = execute_run(again, backend, progress);
      std::string line(results::to_string(rerun.outcome));
      if (!rerun.crash_signature.empty()) line += ": " + rerun.crash_signature;
      summary.rerun_outcomes.push_back(line);
      same_every_time = same_every_time && rerun.outcome == Outcome::kKernelCrash &&
                        rerun.crash_signature == summary.crash_signature;
    }
    summary.crash_reruns = policy.crash_reruns;
    summary.flaky = !same_every_time;
    summary.crash_determinism = same_every_time ? "deterministic" : "flaky";
    progress("kernel crash is " + summary.crash_determinism + " over " +
             std::to_string(policy.crash_reruns + 1) + " runs");
  }
  write_run_json(summary, progress);
  return summary;
}

}  // namespace scxfarm::runner
