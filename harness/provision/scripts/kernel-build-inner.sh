#!/usr/bin/env bash
# The part of kernel-build.sh that runs inside the kernel build root.
# usage: kernel-build-inner.sh SCRATCH
#   SCRATCH/source     pristine tree (read-only)
#   SCRATCH/work       src/ (git, tag scxfarm-base) and obj/ (make O=), kept
#   SCRATCH/series     patches, applied in name order
#   SCRATCH/fragments  config fragments, merged in name order
#   SCRATCH/out        gets bzImage, config, release, series.txt, src/
# stdout: make's output (the build log); stderr: one line per phase.
set -euo pipefail
s=$1
say() { printf '[kernel-build] %s\n' "$*" >&2; }
fail() { printf '[kernel-build] error: %s\n' "$*" >&2; exit 1; }
tree=$s/work/src obj=$s/work/obj
export GIT_AUTHOR_NAME=scxfarm GIT_AUTHOR_EMAIL=scxfarm@localhost
export GIT_COMMITTER_NAME=scxfarm GIT_COMMITTER_EMAIL=scxfarm@localhost
export GIT_CONFIG_GLOBAL=$s/gitconfig
git config --global --add safe.directory '*'
git config --global advice.detachedHead false

# 1. The base commit: the pristine source as a commit of the work repo,
# tagged scxfarm-base. A new base (another package version, another commit
# of a git tree) is committed from the source directory through git's
# --work-tree, so the reset below rewrites only the files that differ and
# make rebuilds only what they touch.
base_id=$(cat "$s/base-id")
if [ "$(cat "$s/work/base-id" 2>/dev/null)" != "$base_id" ]; then
  say "phase: importing the source tree as the base ($base_id)"
  if [ ! -d "$tree/.git" ]; then
    rm -rf "$tree"
    mkdir -p "$tree"
    git -C "$tree" init -q
  fi
  # -f: commit ignored files too, so resetting restores the whole tree.
  git -C "$tree" --work-tree="$s/source" add -A -f
  git -C "$tree" --work-tree="$s/source" commit -q --allow-empty -m "scxfarm base $base_id"
  git -C "$tree" tag -f scxfarm-base >/dev/null
  # The index now describes the source directory's files: re-read it from
  # the work tree (by content), so the hard reset below writes only files
  # whose content differs and keeps every other file's modification time.
  git -C "$tree" reset -q
  echo "$base_id" > "$s/work/base-id"
fi

# 2. Back to the base, then the series. Files a previous series changed get
# a new modification time here, so make rebuilds them.
bash "$s/kernel-series.sh" "$tree" "$s/series" > "$s/out/series.txt" ||
  fail "the patch series does not apply (see above)"

# 3. Configuration: x86_64_defconfig + kvm_guest.config + the fragments.
say "phase: configuring (x86_64_defconfig + kvm_guest.config + $(find "$s/fragments" -type f | wc -l) fragment(s))"
mkdir -p "$obj"
make -C "$tree" O="$obj" -s x86_64_defconfig
(cd "$obj" && "$tree/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" \
   "$tree/kernel/configs/kvm_guest.config" "$s"/fragments/*) >&2
make -C "$tree" O="$obj" -s olddefconfig
bash "$s/kernel-config-check.sh" "$obj/.config" "$s"/fragments/* >&2 ||
  fail "olddefconfig dropped required options (a missing dependency?): see the lines above"

# 4. Build, with a progress line every 30 s: objects compiled against the
# last build's count (or an estimate for the first).
expected=$(cat "$s/work/objects" 2>/dev/null || echo 3300)  # 3262 measured for 7.3 + sched-ext.config
say "phase: compiling ($(nproc) jobs)"
make -C "$tree" O="$obj" -j"$(nproc)" bzImage &
pid=$!
before=$(find "$obj" -name '*.o' -newer "$obj/.config" 2>/dev/null | wc -l)
while kill -0 "$pid" 2>/dev/null; do
  for _ in $(seq 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  kill -0 "$pid" 2>/dev/null || break
  done_now=$(find "$obj" -name '*.o' -newer "$obj/.config" | wc -l)
  pct=$(( (done_now - before) * 100 / expected )); [ $pct -gt 99 ] && pct=99
  say "compiling: $((done_now - before)) objects rebuilt (~$pct % of a full build)"
done
wait "$pid" || fail "make bzImage failed"
find "$obj" -name '*.o' | wc -l > "$s/work/objects"
say "phase: packaging"
cp "$obj/arch/x86/boot/bzImage" "$s/out/bzImage"
cp "$obj/.config" "$s/out/config"
make -C "$tree" O="$obj" -s kernelrelease > "$s/out/release"
mkdir -p "$s/out/src"
git -C "$tree" archive HEAD | tar -C "$s/out/src" -xf -
say "done: $(cat "$s/out/release")"
