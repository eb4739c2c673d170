#!/usr/bin/env bash
# Build the project's own workloads (workloads/) with the guest root's g++ 14,
# statically linked, so the initramfs needs no library closure for them.
# usage: workloads-build.sh GUEST_ROOT SOURCE_DIR OUT_DIR
#   SOURCE_DIR  the scxfarm repository (workloads/ is copied into the guest root)
# Produces OUT_DIR/bin/scxfarm-wakeup-probe.
source "$(dirname "$0")/common.sh"
[ $# -eq 3 ] || die "usage: workloads-build.sh GUEST_ROOT SOURCE_DIR OUT_DIR"
root=$1 src=$2 out=$3
[ -x "$root/usr/bin/g++" ] || die "no g++ in guest root $root"
[ -x "$root/usr/bin/cmake" ] || die "no cmake in guest root $root"
[ -e "$src/workloads/CMakeLists.txt" ] || die "missing $src/workloads/CMakeLists.txt"

work=/var/tmp/scxfarm-workloads
rm -rf "${root:?}$work"
mkdir -p "$root$work/src" "$root$work/build"
trap 'rm -rf "${root:?}$work"' EXIT
# A copy, not a bind mount: the build cannot write into the repository.
cp -a "$src/workloads" "$root$work/src/workloads"

mkdir -p "$(dirname "$out")"
log "building the workloads with the guest root's g++ (log: $out.log)"
if ! { chroot_run "$root" cmake -S "$work/src/workloads" -B "$work/build" \
         -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=g++ \
       && chroot_run "$root" cmake --build "$work/build" -j"$(nproc)"; } > "$out.log" 2>&1; then
  tail -n 30 "$out.log" >&2
  die "workloads build failed (full log: $out.log)"
fi

tmp="$out.tmp"
rm -rf "$tmp"
mkdir -p "$tmp/bin"
for prog in scxfarm-wakeup-probe; do
  built=$(find "$root$work/build" -type f -name "$prog" -perm -u+x | head -n1)
  [ -n "$built" ] || die "build produced no $prog"
  chroot "$root" strip --strip-debug -o "$work/build/$prog.stripped" "${built#"$root"}" \
    || die "strip $prog failed"
  cp "$root$work/build/$prog.stripped" "$tmp/bin/$prog"
  if file "$tmp/bin/$prog" 2>/dev/null | grep -q 'dynamically linked'; then
    die "$prog is dynamically linked; expected a static binary"
  fi
done
mv "$out.log" "$tmp/build.log"
publish_dir "$tmp" "$out"
log "workloads ready: $out/bin ($(du -sh "$out/bin" | cut -f1))"
