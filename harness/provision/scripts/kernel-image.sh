#!/usr/bin/env bash
# Import a kernel a developer built: a bzImage and the tree it came from.
# usage: kernel-image.sh IMAGE TREE OUT_DIR [VMLINUX]
#   TREE     the source tree (tools/sched_ext, the selftests, extract-vmlinux)
#   VMLINUX  optional; default: extracted from IMAGE (it carries .BTF)
#   OUT_DIR  must not exist; scxfarm publishes it (see common.sh)
# Produces OUT_DIR/{vmlinuz,vmlinux,release,src/}, like kernel-debian.sh.
# src/ is a copy of TREE without .git and build outputs, so a later change
# to TREE cannot change a cached kernel under a run.
source "$(dirname "$0")/common.sh"
if [ $# -lt 3 ] || [ $# -gt 4 ]; then die "usage: kernel-image.sh IMAGE TREE OUT_DIR [VMLINUX]"; fi
image=$1 tree=${2%/} out=$3 vmlinux=${4:-}
[ -f "$image" ] || die "kernel image not found: $image"
[ -d "$tree/tools/sched_ext" ] || die "not a kernel tree with tools/sched_ext: $tree"

new_out_dir "$out"
cp "$image" "$out/vmlinuz"
# The release string sits in the bzImage header: a pointer at offset 0x20e
# (relative to 0x200) to "RELEASE (builder) #N ...".
off=$(od -An -tu2 -j $((0x20e)) -N2 "$image" | tr -d ' ')
if [ -z "$off" ] || [ "$off" -eq 0 ]; then
  die "$image is not a bzImage (no kernel_version in its header)"
fi
dd if="$image" bs=1 skip=$((off + 0x200)) count=256 status=none | tr '\0' '\n' | head -n1 |
  cut -d' ' -f1 > "$out/release"
[ -s "$out/release" ] || die "$image: empty kernel version string"
log "importing $(cat "$out/release") from $image with the tree $tree"
mkdir -p "$out/src"
tar -C "$tree" --exclude=.git --exclude='*.o' --exclude='*.ko' --exclude='*.a' \
  --exclude='.*.cmd' --exclude='./vmlinux*' --exclude='*.tar*' -cf - . | tar -C "$out/src" -xf -
if [ -n "$vmlinux" ]; then
  cp "$vmlinux" "$out/vmlinux"
else
  "$out/src/scripts/extract-vmlinux" "$out/vmlinuz" > "$out/vmlinux" || die "extract-vmlinux failed on $image"
fi
log "kernel ready: $out ($(cat "$out/release"))"
