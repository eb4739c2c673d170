#!/usr/bin/env bash
# The oracle: the delegation scenarios on the stock kernel and on every kernel
# mutant (configs/kernels/mutants/), then the verdict. Builds each mutant
# with the build provider first (cold: 20-40 min for the first kernel on 2
# cores; each further mutant 2-4 min, incrementally from one object tree),
# then 40 runs (~35 min on 2 cores). Not part of the README test command;
# also registered with ctest as label `oracle` (ctest -L oracle).
# Exit status is `scxfarm oracle`'s: 0 the stock kernel passed and every
# mutant was caught as its header says, 1 not, 2 unusable results.
source "$(dirname "$0")/lib.sh"
"$SCXFARM_ROOT/ci/bootstrap.sh"
results=${SCXFARM_RESULTS:-$SCXFARM_ROOT/results}/oracle-runs
mkdir -p "$results"
before=$(find "$results" -mindepth 1 -maxdepth 1 -type d | sort)
step "scxfarm run oracle (results under $results)"
# A failing mutant run is the point of the suite: its exit status is not the verdict.
"$SCXFARM_BUILD/harness/cli/scxfarm" run oracle --results "$results" "$@" || true
suite_dir=$(comm -13 <(printf '%s\n' "$before") <(find "$results" -mindepth 1 -maxdepth 1 -type d | sort) | tail -n1)
[ -n "$suite_dir" ] || die "scxfarm run oracle wrote no suite directory under $results"
step "scxfarm oracle $suite_dir"
exec "$SCXFARM_BUILD/harness/cli/scxfarm" oracle "$suite_dir"
