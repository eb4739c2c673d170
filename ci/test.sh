#!/usr/bin/env bash
# The whole test suite: set up from nothing (as root on Debian 12), then run
# every ctest tier: unit (seconds), integration (real Prometheus tools on
# loopback), e2e (real kernels under QEMU; minutes).
source "$(dirname "$0")/lib.sh"
"$SCXFARM_ROOT/ci/bootstrap.sh"
step "scxfarm setup (cached artifacts are reused)"
time "$SCXFARM_BUILD/harness/cli/scxfarm" setup
step "all tiers: unit, integration, e2e"
exec ctest --test-dir "$SCXFARM_BUILD" --output-on-failure
