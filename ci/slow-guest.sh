#!/usr/bin/env bash
# Slow-machine check (manual, ~45 min under TCG; not in the README test
# command): runs a suite at full speed, then again with every QEMU pinned to
# one host CPU shared with busy loops (the guest gets 1/(1+HOGS) of a core),
# and fails unless every run has the same outcome both times. Prints a table
# per run: outcome, attach, re-attach and settle times, so what was late is
# visible. Machines of this kind differ by up to 2x in speed: a verdict that
# holds only on a fast one would fail CI on a slow one.
#   bash ci/slow-guest.sh [SUITE] [HOGS]      # defaults: scenarios, 1 (half speed)
# Environment: SCXFARM_BIN (default build/harness/cli/scxfarm).
source "$(dirname "$0")/lib.sh"
suite=${1:-scenarios}
hogs=${2:-1}
bin=${SCXFARM_BIN:-$SCXFARM_BUILD/harness/cli/scxfarm}
[ -x "$bin" ] || die "no scxfarm binary at $bin (bash ci/bootstrap.sh builds it)"
command -v jq >/dev/null || die "jq missing (ci/host-packages.txt lists it: bash ci/bootstrap.sh)"
out=$(mktemp -d /tmp/scxfarm-slow-guest.XXXXXX)
step "results in $out"

# One line per run: scenario outcome attach/re-attach/settle (s).
table() {
  jq -r '.runs[] | [.scenario, .outcome,
      ([.schedulers[].attach_seconds] | max // 0 | tostring),
      ([.schedulers[].reattach_seconds // [] | .[]] | map(tostring) | join("+") | if . == "" then "-" else . end),
      (if .run_phase.settled_at_ms > 0 and .run_phase.last_churn_end_ms > 0 then ((.run_phase.settled_at_ms - .run_phase.last_churn_end_ms) / 1000 | tostring) else "-" end),
      ((.run_phase.phase_ms // 0) / 1000 | tostring), .reason] | @tsv' "$1"/*/suite.json
}

step "full speed: scxfarm run $suite --jobs 1"
"$bin" run "$suite" --jobs 1 --results "$out/full" > "$out/full.log" 2>&1 || true
pids=()
cleanup() { [ ${#pids[@]} -eq 0 ] || kill "${pids[@]}" 2>/dev/null || true; }
trap cleanup EXIT
for _ in $(seq "$hogs"); do
  taskset -c 0 sh -c 'while :; do :; done' &
  pids+=($!)
done
step "slowed (QEMU on cpu 0 with $hogs busy loop(s)): scxfarm run $suite --jobs 1"
taskset -c 0 "$bin" run "$suite" --jobs 1 --results "$out/slow" > "$out/slow.log" 2>&1 || true
cleanup
pids=()

printf '%-26s %-16s %-8s %-12s %-8s %-8s %s\n' scenario outcome attach re-attach settle phase reason
echo '(s: slowest first attach; re-attach; settle = settled minus last churn op end; run phase length)'
for speed in full slow; do
  echo "-- $speed"
  table "$out/$speed" | while IFS=$'\t' read -r sc oc at re se ph reason; do
    printf '%-26s %-16s %-8.1f %-12s %-8s %-8.1f %s\n' "$sc" "$oc" "$at" "$re" "$se" "$ph" "${reason:0:80}"
  done
done
if diff <(table "$out/full" | cut -f1,2) <(table "$out/slow" | cut -f1,2) > "$out/verdicts.diff"; then
  echo "same verdicts at full speed and slowed down (logs: $out)"
else
  echo "verdicts differ (full < > slow):"
  cat "$out/verdicts.diff"
  exit 1
fi
