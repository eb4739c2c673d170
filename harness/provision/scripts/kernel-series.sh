#!/usr/bin/env bash
# Reset a kernel work repo to its base and apply a patch series on top.
# usage: kernel-series.sh TREE SERIES_DIR
#   TREE        a git repository whose base commit is tagged scxfarm-base
#   SERIES_DIR  patches applied in name order: an mbox (one or more mails as
#               git format-patch, b4 or a mailing list archive writes them,
#               applied with git am) or a plain diff (git apply)
# stdout: the applied commits' subjects, one per line.
# A patch that does not apply stops everything with its subject and the
# files that conflict, and leaves the tree at the base.
set -euo pipefail
tree=$1 series=$2
fail() { printf '[kernel-build] error: %s\n' "$*" >&2; exit 1; }
: "${GIT_AUTHOR_NAME:=scxfarm}" "${GIT_AUTHOR_EMAIL:=scxfarm@localhost}"
: "${GIT_COMMITTER_NAME:=scxfarm}" "${GIT_COMMITTER_EMAIL:=scxfarm@localhost}"
export GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL

to_base() {
  git -C "$tree" am --abort >/dev/null 2>&1 || true
  git -C "$tree" reset -q --hard scxfarm-base
  git -C "$tree" clean -q -fdx
}
to_base
count=$(find "$series" -maxdepth 1 -type f | wc -l)
printf '[kernel-build] phase: applying %s patch file(s)\n' "$count" >&2
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for p in "$series"/*; do
  [ -f "$p" ] || continue
  name=$(basename "$p")
  if head -n1 "$p" | grep -q '^From '; then
    if ! git -C "$tree" am -q --whitespace=nowarn "$p" >"$log" 2>&1; then
      subject=$(git -C "$tree" am --show-current-patch=raw 2>/dev/null |
                sed -n 's/^Subject: *//p' | head -n1)
      files=$(grep -oE '(patch failed|does not exist in index|already exists in working directory): [^:]+' "$log" |
              sed 's/.*: //' | sort -u | paste -sd' ')
      cat "$log" >&2
      to_base
      fail "patch does not apply: $name: '${subject:-?}' (conflicting files: ${files:-see above})"
    fi
  else
    if ! git -C "$tree" apply --index "$p" >"$log" 2>&1; then
      files=$(grep -oE '(patch failed|No such file or directory|does not exist in index): [^:]+' "$log" |
              sed 's/.*: //' | sort -u | paste -sd' ')
      cat "$log" >&2
      to_base
      fail "patch does not apply: $name (conflicting files: ${files:-see above})"
    fi
    git -C "$tree" commit -q -m "$name"
  fi
done
git -C "$tree" log --reverse --format='%s' scxfarm-base..HEAD
