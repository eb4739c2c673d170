#!/usr/bin/env bash
# Build a kernel from a source tree, an optional patch series and config
# fragments, in the kernel build root (kernel-toolchain.sh), incrementally.
# usage: kernel-build.sh TOOLCHAIN_ROOT SOURCE_DIR BASE_ID WORK_DIR OUT_DIR \
#          [--patch FILE_OR_DIR]... [--fragment FILE]...
#   SOURCE_DIR  the pristine tree, no .git (an unpacked linux-source tarball,
#               or a git tree exported with git archive)
#   BASE_ID     names SOURCE_DIR's content (its cache key): a work directory
#               whose base has another id imports SOURCE_DIR as its new base
#   WORK_DIR    kept between builds of the same base (tree + fragments):
#               WORK_DIR/src is a git repository of SOURCE_DIR (commit tagged
#               scxfarm-base) that each build resets and patches, and
#               WORK_DIR/obj the object tree (make O=). Two builds that differ
#               only by a patch recompile only what the patch touches: make
#               sees the changed files by their modification time.
#   OUT_DIR     must not exist; scxfarm publishes it (see common.sh)
#   --patch     an mbox (a series as mailing lists deliver it, applied with
#               git am) or a single patch, or a directory of *.patch applied
#               in name order. Repeatable; applied in the order given.
#   --fragment  a Kconfig fragment merged onto x86_64_defconfig +
#               kvm_guest.config with merge_config.sh, then olddefconfig.
# Produces OUT_DIR/{vmlinuz,vmlinux,config,release,src/,series.txt,build.log,
# build-seconds}; vmlinux is extracted from the bzImage like a Debian
# kernel's (it carries .BTF). Progress lines go to stderr.
source "$(dirname "$0")/common.sh"
usage="usage: kernel-build.sh TOOLCHAIN_ROOT SOURCE_DIR BASE_ID WORK_DIR OUT_DIR [--patch P]... [--fragment F]..."
[ $# -ge 5 ] || die "$usage"
root=${1%/} src=${2%/} base_id=$3 work=${4%/} out=$5
shift 5
patches=() fragments=()
while [ $# -gt 0 ]; do
  case $1 in
    --patch) [ $# -ge 2 ] || die "$usage"; patches+=("$2"); shift 2 ;;
    --fragment) [ $# -ge 2 ] || die "$usage"; fragments+=("$2"); shift 2 ;;
    *) die "unknown argument: $1 ($usage)" ;;
  esac
done
[ -x "$root/usr/bin/pahole" ] || die "kernel build root missing or incomplete: $root"
if [ ! -f "$src/Makefile" ] || [ ! -d "$src/kernel" ]; then die "not a kernel source tree: $src"; fi
for f in "${fragments[@]}"; do [ -r "$f" ] || die "config fragment not readable: $f"; done

new_out_dir "$out"
mkdir -p "$work"
# One build at a time per object tree; other kernels build beside it.
exec 9>"$work.lock"
if ! flock -n 9; then
  log "waiting for another build in $work"
  flock 9
fi

# Everything the chroot sees goes into one scratch directory of the root:
# the pristine source (read-only), the work tree, the series and fragments.
# Inside the chroot it is always /build (a private bind mount per build), so
# the compiler command lines make records never change between builds of
# one work tree: a changing path would make every object out of date.
scratch=$(root_scratch "$root" kbuild)
mkdir -p "$root/build"
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/source" "$scratch/work" "$scratch/series" "$scratch/fragments" "$scratch/out"
n=0
for p in "${patches[@]}"; do
  if [ -d "$p" ]; then
    for f in $(find "$p" -maxdepth 1 -name '*.patch' | sort); do
      n=$((n + 1)); cp "$f" "$scratch/series/$(printf %04d "$n")-$(basename "$f")"
    done
  elif [ -r "$p" ]; then
    n=$((n + 1)); cp "$p" "$scratch/series/$(printf %04d "$n")-$(basename "$p")"
  else
    die "patch not readable: $p"
  fi
done
i=0
for f in "${fragments[@]}"; do
  i=$((i + 1)); cp "$f" "$scratch/fragments/$(printf %02d "$i")-$(basename "$f")"
done
cp "$(dirname "$0")/kernel-build-inner.sh" "$scratch/inner.sh"
cp "$(dirname "$0")/kernel-series.sh" "$scratch/kernel-series.sh"
cp "$(dirname "$0")/kernel-config-check.sh" "$scratch/kernel-config-check.sh"
printf '%s\n' "$base_id" > "$scratch/base-id"

log "building the kernel (log: $out/build.log; object tree: $work/obj)"
start=$(date +%s)
# The mounts live in a private mount namespace of this one command (see
# chroot_run): they vanish with it, even when it is killed.
# shellcheck disable=SC2016  # expanded by the inner bash
if ! unshare --mount --propagation private -- bash -c '
    set -e
    root=$1 scratch=$2 src=$3 work=$4; shift 4
    mount --bind "$scratch" "$root/build"
    mount --bind "$src" "$root/build/source"; mount -o remount,bind,ro "$root/build/source"
    mount --bind "$work" "$root/build/work"
    mount -t proc proc "$root/proc"; mount -t sysfs sys "$root/sys"; mount --bind /dev "$root/dev"
    exec chroot "$root" "$@"' kbuild "$root" "$scratch" "$src" "$work" \
    bash /build/inner.sh /build 2> >(tee "$out/progress.log" >&2) > "$out/build.log"; then
  tail -n 40 "$out/build.log" >&2
  die "kernel build failed (full log: $out/build.log)"
fi
echo $(( $(date +%s) - start )) > "$out/build-seconds"

cp "$scratch/out/bzImage" "$out/vmlinuz"
cp "$scratch/out/config" "$out/config"
cp "$scratch/out/release" "$out/release"
cp "$scratch/out/series.txt" "$out/series.txt"
mv "$scratch/out/src" "$out/src"
"$out/src/scripts/extract-vmlinux" "$out/vmlinuz" > "$out/vmlinux" || die "extract-vmlinux failed"
log "kernel ready: $out ($(cat "$out/release"), built in $(cat "$out/build-seconds") s)"
