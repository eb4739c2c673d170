#!/usr/bin/env bash
# Unit test of ci/check-skips.sh (ctest ci_check_skips, label unit) on two
# recorded `ctest --output-junit` files: one where e2e_smoke and
# e2e_scenarios were skipped (run as an unprivileged user) beside a passing
# test, and one where every test ran.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
check="$here/../check-skips.sh"
data="$here/testdata"
failures=0
expect() {  # expect NAME WANT_STATUS WANT_TEXT [UNWANTED_TEXT] -- COMMAND...
  local name=$1 want=$2 text=$3 unwanted=$4
  shift 5
  local out status
  out=$("$@" 2>&1)
  status=$?
  if [ "$status" -ne "$want" ]; then
    echo "FAIL $name: exit $status, wanted $want; output:"; echo "$out"; failures=$((failures + 1)); return
  fi
  if ! grep -qF -- "$text" <<<"$out"; then
    echo "FAIL $name: output lacks '$text':"; echo "$out"; failures=$((failures + 1)); return
  fi
  if [ -n "$unwanted" ] && grep -qF -- "$unwanted" <<<"$out"; then
    echo "FAIL $name: output has '$unwanted':"; echo "$out"; failures=$((failures + 1)); return
  fi
  echo "ok   $name"
}
unset SCXFARM_ALLOW_SKIPS
expect "a clean run passes" 0 "no test was skipped" "" -- bash "$check" "$data/ctest-junit-clean.xml"
expect "a skip fails the run" 1 "2 test(s) skipped" "Spelling" -- bash "$check" "$data/ctest-junit-skipped.xml"
expect "the skipped entries are named" 1 "  e2e_scenarios" "" -- bash "$check" "$data/ctest-junit-skipped.xml"
expect "the fix is named" 1 "SCXFARM_ALLOW_SKIPS=1" "" -- bash "$check" "$data/ctest-junit-skipped.xml"
expect "SCXFARM_ALLOW_SKIPS=1 lets skips pass" 0 "allowed by SCXFARM_ALLOW_SKIPS=1" "" -- \
  env SCXFARM_ALLOW_SKIPS=1 bash "$check" "$data/ctest-junit-skipped.xml"
expect "a missing file is an error" 2 "cannot read" "" -- bash "$check" "$data/no-such-file.xml"
expect "a file that is not JUnit is an error" 2 "not a ctest JUnit file" "" -- bash "$check" "$0"
[ "$failures" -eq 0 ] || { echo "$failures check(s) failed"; exit 1; }
