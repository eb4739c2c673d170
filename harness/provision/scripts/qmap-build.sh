#!/usr/bin/env bash
# Build the kernel tree's own tools/sched_ext schedulers (scx_qmap among them)
# with the guest root's clang-22, against the kernel image's BTF.
# usage: qmap-build.sh GUEST_ROOT KERNEL_DIR OUT_DIR
#   KERNEL_DIR  output of kernel-debian.sh / kernel-local.sh (src/, vmlinux)
# Produces OUT_DIR/bin/scx_qmap (and the other tools/sched_ext schedulers).
source "$(dirname "$0")/common.sh"
[ $# -eq 3 ] || die "usage: qmap-build.sh GUEST_ROOT KERNEL_DIR OUT_DIR"
root=$1 kdir=$2 out=$3
[ -d "$kdir/src/tools/sched_ext" ] || die "no tools/sched_ext in $kdir/src"
[ -f "$kdir/vmlinux" ] || die "no vmlinux in $kdir"
clang=${SCXFARM_GUEST_CLANG:-clang-22}
llvm_strip=${SCXFARM_GUEST_LLVM_STRIP:-llvm-strip-22}

work=/var/tmp/scxfarm-qmap
rm -rf "$root$work"
mkdir -p "$root$work/src" "$root$work/out"
mount --bind "$kdir/src" "$root$work/src"
mount -o remount,bind,ro "$root$work/src"
trap 'umount "$root$work/src" 2>/dev/null || true' EXIT
cp "$kdir/vmlinux" "$root$work/vmlinux"
log "building tools/sched_ext with $clang (log: $out.log)"
jobs=$(nproc)
if ! chroot_run "$root" make -C "$work/src/tools/sched_ext" -j"$jobs" \
    CLANG="$clang" LLVM_STRIP="$llvm_strip" VMLINUX_BTF="$work/vmlinux" O="$work/out" \
    > "$out.log" 2>&1; then
  tail -n 30 "$out.log" >&2
  die "tools/sched_ext build failed (full log: $out.log)"
fi
tmp="$out.tmp"
rm -rf "$tmp"
mkdir -p "$tmp/bin"
found=0
for bin in "$root$work"/out/build/bin/scx_*; do
  [ -x "$bin" ] || continue
  cp "$bin" "$tmp/bin/"
  found=1
done
[ $found -eq 1 ] || die "build produced no scx_* binaries"
[ -x "$tmp/bin/scx_qmap" ] || die "build produced no scx_qmap"
mv "$out.log" "$tmp/build.log"
umount "$root$work/src"
trap - EXIT
rm -rf "$root$work"
publish_dir "$tmp" "$out"
log "schedulers ready: $out/bin ($(ls "$out/bin" | tr '\n' ' '))"
