// What the farm does with a run's outcome before it counts: infrastructure
// errors are retried (the farm's fault, never the kernel's), and a kernel
// crash is rerun to tell a deterministic crash from a flaky one (multi-
// threaded TCG oopses at random around live text patching: "Oops: int3",
// seen at boot on this farm's hosts; README.md, "Notes for this farm's hosts").
#pragma once

#include "scxfarm/runner/executor.h"

namespace scxfarm::runner {

struct RunPolicy {
  uint32_t crash_reruns = 1;   // reruns of a kernel-crash run (--crash-reruns); default 1
  uint32_t infra_retries = 2;  // extra attempts of an infra-error run; default 2
};

// Runs IN, then:
//  - while it ends in infra-error and retries are left, runs it again in the
//    same directory (run.json lists every earlier reason in infra_errors);
//  - if it ends in kernel-crash, reruns it POLICY.crash_reruns times into
//    <run_dir>/rerun-K/ (each with its own console.log). The outcome stays
//    kernel-crash; crash_determinism is "deterministic" when every rerun
//    crashed with the same signature, else "flaky" (flaky = true), and
//    rerun_outcomes lists "<outcome>[: <signature>]" per rerun.
// run.json is rewritten with these fields.
results::RunSummary execute_with_policy(const RunInputs& in, vm::Backend& backend,
                                        const RunPolicy& policy, const ProgressFn& progress);

}  // namespace scxfarm::runner
