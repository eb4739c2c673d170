# shellcheck shell=bash
# Shared by the ci/ entry scripts. Sourced, not run.
set -euo pipefail
SCXFARM_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Everything downloaded or built outside the clone, keyed by content, so a
# rerun on the same machine is fast and a fresh machine still works.
export SCXFARM_CACHE=${SCXFARM_CACHE:-/var/cache/scxfarm}
SCXFARM_BUILD=${SCXFARM_BUILD:-$SCXFARM_ROOT/build}
step() { printf '\n==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }
