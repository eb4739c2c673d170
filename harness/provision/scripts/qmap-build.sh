#!/usr/bin/env bash
# Build the kernel tree's own tools/sched_ext schedulers (scx_qmap among them)
# with the guest root's clang-22, against the kernel image's BTF.
# usage: qmap-build.sh GUEST_ROOT KERNEL_DIR OUT_DIR
#   KERNEL_DIR  output of kernel-debian.sh (src/, vmlinux)
#   OUT_DIR     must not exist; scxfarm publishes it (see common.sh)
# Produces OUT_DIR/bin/scx_qmap (and the other tools/sched_ext schedulers)
# and OUT_DIR/build.log.
source "$(dirname "$0")/common.sh"
[ $# -eq 3 ] || die "usage: qmap-build.sh GUEST_ROOT KERNEL_DIR OUT_DIR"
root=${1%/} kdir=$2 out=$3
[ -d "$kdir/src/tools/sched_ext" ] || die "no tools/sched_ext in $kdir/src"
[ -f "$kdir/vmlinux" ] || die "no vmlinux in $kdir"
clang=${SCXFARM_GUEST_CLANG:-clang-22}
llvm_strip=${SCXFARM_GUEST_LLVM_STRIP:-llvm-strip-22}

scratch=$(root_scratch "$root" qmap)
work=${scratch#"$root"}  # the same directory inside the chroot
# The kernel tree is bind-mounted (read-only) into the scratch directory:
# remove the directory only once that mount is gone, or rm would reach into
# the cached tree.
cleanup() {
  if mountpoint -q "$scratch/src"; then
    umount "$scratch/src" || { log "cannot unmount $scratch/src; leaving $scratch"; return; }
  fi
  rm -rf "$scratch"
}
trap cleanup EXIT
mkdir -p "$scratch/src" "$scratch/out"
mount --bind "$kdir/src" "$scratch/src"
mount -o remount,bind,ro "$scratch/src"
cp "$kdir/vmlinux" "$scratch/vmlinux"

new_out_dir "$out"
log "building tools/sched_ext with $clang (log: $out/build.log)"
jobs=$(nproc)
if ! chroot_run "$root" make -C "$work/src/tools/sched_ext" -j"$jobs" \
    CLANG="$clang" LLVM_STRIP="$llvm_strip" VMLINUX_BTF="$work/vmlinux" O="$work/out" \
    > "$out/build.log" 2>&1; then
  tail -n 30 "$out/build.log" >&2
  die "tools/sched_ext build failed (full log: $out/build.log)"
fi
mkdir -p "$out/bin"
found=0
for bin in "$scratch"/out/build/bin/scx_*; do
  [ -x "$bin" ] || continue
  cp "$bin" "$out/bin/"
  found=1
done
[ $found -eq 1 ] || die "build produced no scx_* binaries"
[ -x "$out/bin/scx_qmap" ] || die "build produced no scx_qmap"
log "schedulers ready: $out/bin ($(ls "$out/bin" | tr '\n' ' '))"
