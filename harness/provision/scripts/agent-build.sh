#!/usr/bin/env bash
# Build the guest agent (guest/) with the guest root's g++ 14, statically
# linked, so the initramfs needs no library closure for it.
# usage: agent-build.sh GUEST_ROOT SOURCE_DIR OUT_DIR
#   SOURCE_DIR  the scxfarm repository (guest/, harness/{protocol,telemetry},
#               harness/common/include are copied into the guest root)
# Produces OUT_DIR/bin/scxfarm-agent and OUT_DIR/init (the initramfs /init).
source "$(dirname "$0")/common.sh"
[ $# -eq 3 ] || die "usage: agent-build.sh GUEST_ROOT SOURCE_DIR OUT_DIR"
root=$1 src=$2 out=$3
[ -x "$root/usr/bin/g++" ] || die "no g++ in guest root $root"
[ -x "$root/usr/bin/cmake" ] || die "no cmake in guest root $root"
for p in guest/CMakeLists.txt guest/init harness/protocol/src harness/telemetry/src \
         harness/common/include; do
  [ -e "$src/$p" ] || die "missing $src/$p"
done

work=/var/tmp/scxfarm-agent
rm -rf "${root:?}$work"
mkdir -p "$root$work/src" "$root$work/build"
trap 'rm -rf "${root:?}$work"' EXIT
# Copies, not bind mounts: the build cannot write into the repository and a
# failed build leaves no mount behind.
for p in guest harness/protocol harness/telemetry harness/common/include; do
  mkdir -p "$root$work/src/$(dirname "$p")"
  cp -a "$src/$p" "$root$work/src/$p"
done

mkdir -p "$(dirname "$out")"
log "building the agent with the guest root's g++ (log: $out.log)"
jobs=$(nproc)
if ! { chroot_run "$root" cmake -S "$work/src/guest" -B "$work/build" \
         -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=g++ \
       && chroot_run "$root" cmake --build "$work/build" -j"$jobs"; } > "$out.log" 2>&1; then
  tail -n 30 "$out.log" >&2
  die "agent build failed (full log: $out.log)"
fi
bin="$root$work/build/scxfarm-agent"
[ -x "$bin" ] || die "build produced no scxfarm-agent"

tmp="$out.tmp"
rm -rf "$tmp"
mkdir -p "$tmp/bin"
# Debug info would triple the initramfs the kernel unpacks under TCG.
chroot "$root" strip --strip-debug -o "$work/build/scxfarm-agent.stripped" "$work/build/scxfarm-agent" \
  || die "strip failed"
cp "$bin.stripped" "$tmp/bin/scxfarm-agent"
install -m 0755 "$src/guest/init" "$tmp/init"
if file "$tmp/bin/scxfarm-agent" 2>/dev/null | grep -q 'dynamically linked'; then
  log "warning: scxfarm-agent is dynamically linked; pack-initramfs.sh adds its libraries"
fi
mv "$out.log" "$tmp/build.log"
publish_dir "$tmp" "$out"
log "agent ready: $out/bin/scxfarm-agent ($(du -h "$out/bin/scxfarm-agent" | cut -f1))"
