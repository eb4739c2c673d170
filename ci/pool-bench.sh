#!/bin/bash
# Pool timing (manual benchmark, not a test): runs the pool-bench suite (six
# boot-verify runs on numa1x4) with --jobs 1 and --jobs 2 and prints both wall
# times and their ratio. Needs root + QEMU; takes the shared VM lock.
#   bash ci/pool-bench.sh [path/to/scxfarm]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$here/build/harness/cli/scxfarm}
out=$(mktemp -d /tmp/scxfarm-pool-bench.XXXXXX)
declare -A wall
for jobs in 1 2; do
  start=$(date +%s.%N)
  flock /var/lock/scxfarm-vm.lock timeout 1800 "$bin" run pool-bench --jobs "$jobs" \
    --results "$out/jobs$jobs" > "$out/jobs$jobs.log" 2>&1 || { echo "jobs $jobs failed: see $out/jobs$jobs.log"; exit 1; }
  wall[$jobs]=$(echo "$(date +%s.%N) - $start" | bc)
  echo "jobs $jobs: ${wall[$jobs]} s"
done
echo "ratio jobs1/jobs2: $(echo "scale=2; ${wall[1]} / ${wall[2]}" | bc)"
rm -rf "$out"
