#!/bin/bash
# Pool timing (manual benchmark, not a test): runs the pool-bench suite (six
# boot-verify runs on numa1x4) with --jobs 1 and --jobs 2 and prints both wall
# times (measured inside the shared VM lock, so waiting for it is not
# counted) and their ratio. Needs root + QEMU.
#   bash ci/pool-bench.sh [path/to/scxfarm]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$here/build/harness/cli/scxfarm}
out=$(mktemp -d /tmp/scxfarm-pool-bench.XXXXXX)
declare -A wall
for jobs in 1 2; do
  flock /var/lock/scxfarm-vm.lock timeout 1800 /usr/bin/time -f %e -o "$out/jobs$jobs.time" \
    "$bin" run pool-bench --jobs "$jobs" --results "$out/jobs$jobs" > "$out/jobs$jobs.log" 2>&1 ||
    { echo "jobs $jobs failed: see $out/jobs$jobs.log"; exit 1; }
  wall[$jobs]=$(tail -1 "$out/jobs$jobs.time")
  echo "jobs $jobs: ${wall[$jobs]} s"
done
echo "ratio jobs1/jobs2: $(echo "scale=2; ${wall[1]} / ${wall[2]}" | bc)"
rm -rf "$out"
