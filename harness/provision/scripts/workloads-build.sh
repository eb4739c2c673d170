#!/usr/bin/env bash
# Build the project's own workloads (workloads/) with the guest root's g++ 14,
# statically linked, so the initramfs needs no library closure for them.
# usage: workloads-build.sh GUEST_ROOT SOURCE_DIR OUT_DIR
#   SOURCE_DIR  the scxfarm repository (workloads/ is copied into the guest root)
#   OUT_DIR     must not exist; scxfarm publishes it (see common.sh)
# Produces OUT_DIR/bin/scxfarm-wakeup-probe and OUT_DIR/build.log.
source "$(dirname "$0")/common.sh"
[ $# -eq 3 ] || die "usage: workloads-build.sh GUEST_ROOT SOURCE_DIR OUT_DIR"
root=${1%/} src=$2 out=$3
[ -x "$root/usr/bin/g++" ] || die "no g++ in guest root $root"
[ -x "$root/usr/bin/cmake" ] || die "no cmake in guest root $root"
[ -e "$src/workloads/CMakeLists.txt" ] || die "missing $src/workloads/CMakeLists.txt"

scratch=$(root_scratch "$root" workloads)
trap 'rm -rf "$scratch"' EXIT
work=${scratch#"$root"}  # the same directory inside the chroot
mkdir -p "$scratch/src" "$scratch/build"
# A copy, not a bind mount: the build cannot write into the repository.
cp -a "$src/workloads" "$scratch/src/workloads"

new_out_dir "$out"
log "building the workloads with the guest root's g++ (log: $out/build.log)"
if ! { chroot_run "$root" cmake -S "$work/src/workloads" -B "$work/build" \
         -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=g++ \
       && chroot_run "$root" cmake --build "$work/build" -j"$(nproc)"; } > "$out/build.log" 2>&1; then
  tail -n 30 "$out/build.log" >&2
  die "workloads build failed (full log: $out/build.log)"
fi

mkdir -p "$out/bin"
# shellcheck disable=SC2043  # one workload today; the list grows
for prog in scxfarm-wakeup-probe; do
  built=$(find "$scratch/build" -type f -name "$prog" -perm -u+x | head -n1)
  [ -n "$built" ] || die "build produced no $prog"
  chroot "$root" strip --strip-debug -o "$work/build/$prog.stripped" "${built#"$root"}" \
    || die "strip $prog failed"
  cp "$scratch/build/$prog.stripped" "$out/bin/$prog"
  if file "$out/bin/$prog" 2>/dev/null | grep -q 'dynamically linked'; then
    die "$prog is dynamically linked; expected a static binary"
  fi
done
log "workloads ready: $out/bin ($(du -sh "$out/bin" | cut -f1))"
