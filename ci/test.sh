#!/usr/bin/env bash
# The whole test suite: set up from nothing (as root on Debian 12), then run
# every ctest tier: unit (seconds), integration (real Prometheus tools on
# loopback), e2e (real kernels under QEMU; minutes). Developer tools (label
# dev) are not tests and do not run; the long tiers (label kernel-build: a
# kernel built from source, ~30-50 min; label oracle: every kernel mutant
# built and run, ~1 h) run with `ctest -L kernel-build` / `ci/oracle.sh`.
# A skipped test fails the run (it checked nothing) unless SCXFARM_ALLOW_SKIPS=1.
source "$(dirname "$0")/lib.sh"
"$SCXFARM_ROOT/ci/bootstrap.sh"
step "scxfarm setup (cached artifacts are reused)"
time "$SCXFARM_BUILD/harness/cli/scxfarm" setup
# The BTF probe's integration test reads the default kernel's real vmlinux
# (smoke's kernel, just set up: kernel info only finds it in the cache).
step "the default kernel's BTF (scxfarm kernel info)"
"$SCXFARM_BUILD/harness/cli/scxfarm" kernel info debian-7.3-cloud >&2
SCXFARM_TEST_VMLINUX=$("$SCXFARM_BUILD/harness/cli/scxfarm" kernel info debian-7.3-cloud --json | jq -r .vmlinux)
export SCXFARM_TEST_VMLINUX
step "all tiers: unit, integration, e2e"
junit="$SCXFARM_BUILD/ctest-junit.xml"
status=0
ctest --test-dir "$SCXFARM_BUILD" --label-exclude '^(dev|kernel-build|oracle)$' --output-on-failure \
  --output-junit "$junit" || status=$?
step "skipped tests"
"$SCXFARM_ROOT/ci/check-skips.sh" "$junit" || status=1
exit "$status"
