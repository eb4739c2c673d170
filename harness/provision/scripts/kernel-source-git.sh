#!/usr/bin/env bash
# Export one state of a git kernel tree for a kernel build: its HEAD plus the
# uncommitted changes to tracked files (as `git stash create` records them),
# never untracked or ignored files, and never touching the tree itself.
# usage: kernel-source-git.sh TREE REV OUT_DIR
#   REV      the commit to export (HEAD, or the id `git stash create` gave)
#   OUT_DIR  must not exist; scxfarm publishes it (see common.sh)
# Produces OUT_DIR/src (no .git) and OUT_DIR/describe (git describe of HEAD).
source "$(dirname "$0")/common.sh"
[ $# -eq 3 ] || die "usage: kernel-source-git.sh TREE REV OUT_DIR"
tree=$1 rev=$2 out=$3
git -C "$tree" rev-parse -q --verify "$rev^{commit}" >/dev/null || die "$tree: no commit $rev"
new_out_dir "$out"
mkdir -p "$out/src"
log "exporting $tree at $rev"
git -C "$tree" archive "$rev" | tar -C "$out/src" -xf -
git -C "$tree" describe --always --dirty > "$out/describe" 2>/dev/null || echo "$rev" > "$out/describe"
log "kernel source ready: $out/src ($(cat "$out/describe"))"
