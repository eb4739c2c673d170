#!/usr/bin/env bash
# The format gate (ctest format_check, label unit): every C++ source and
# header under harness/, guest/, workloads/ and bpf/ must be as .clang-format
# wants it. Fix with: bash ci/format-check.sh --fix
set -euo pipefail
cd "$(dirname "$0")/.."
command -v clang-format >/dev/null || { echo "format gate: clang-format is not installed (ci/host-packages.txt lists it)"; exit 1; }
mapfile -t files < <(find harness guest workloads bpf -type f \( -name '*.cc' -o -name '*.h' \) | sort)
if [ "${1:-}" = --fix ]; then
  clang-format -i "${files[@]}"
  exit 0
fi
if ! clang-format --dry-run -Werror "${files[@]}" 2> /tmp/format-check.$$; then
  grep -E '^[^ ].*: error:' /tmp/format-check.$$ | cut -d: -f1 | sort | uniq -c | sed 's/^/  /'
  echo "format gate: the files above differ from .clang-format (fix: bash ci/format-check.sh --fix)"
  rm -f /tmp/format-check.$$
  exit 1
fi
rm -f /tmp/format-check.$$
echo "format gate: ${#files[@]} files clean"
