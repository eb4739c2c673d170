#!/usr/bin/env bash
# Check a kernel .config against the fragments it was made from: every
# CONFIG_X=value line of every fragment must hold in it (CONFIG_X=n: not set
# to y or m). olddefconfig silently drops an option whose dependencies are
# missing; this names each one with the value it got instead.
# usage: kernel-config-check.sh CONFIG FRAGMENT...
# Exit 0 when all hold; 1 with one "dropped: ..." line per option otherwise.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: kernel-config-check.sh CONFIG FRAGMENT..." >&2; exit 2; }
config=$1; shift
[ -r "$config" ] || { echo "config not readable: $config" >&2; exit 2; }
status=0
for fragment in "$@"; do
  while IFS= read -r line; do
    opt=${line%%=*}
    got=$(grep -m1 -E "^$opt=|^# $opt is not set" "$config" || true)
    case $line in
      *=n) case $got in "$opt=y" | "$opt=m") ;; *) continue ;; esac ;;
      *) [ "$got" = "$line" ] && continue ;;
    esac
    echo "dropped: $line from $(basename "$fragment") (the .config has: ${got:-nothing})"
    status=1
  done < <(sed 's/[[:space:]]*#.*//; s/[[:space:]]*$//' "$fragment" | grep '^CONFIG_' || true)
done
exit $status
