#!/usr/bin/env bash
# The main job: set up everything from nothing (as root on Debian 12), then
# run the smoke suite on the default Debian 7.3 kernel. Exit status is
# scxfarm's: 0 pass, 1 a run failed, 2 infrastructure error, 3 usage error.
source "$(dirname "$0")/lib.sh"
"$SCXFARM_ROOT/ci/bootstrap.sh"
step "scxfarm setup (cached artifacts are reused)"
"$SCXFARM_BUILD/harness/cli/scxfarm" setup
step "scxfarm run smoke"
exec "$SCXFARM_BUILD/harness/cli/scxfarm" run smoke --results "${SCXFARM_RESULTS:-$SCXFARM_ROOT/results}" "$@"
