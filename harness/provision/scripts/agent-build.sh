#!/usr/bin/env bash
# Build the guest agent (guest/) with the guest root's g++ 14, statically
# linked, so the initramfs needs no library closure for it.
# usage: agent-build.sh GUEST_ROOT SOURCE_DIR OUT_DIR
#   SOURCE_DIR  the scxfarm repository; only the agent's inputs are copied
#               into the guest root (the list below, which is also what
#               agent_key hashes: harness/provision/src/keys.cc)
#   OUT_DIR     must not exist; scxfarm publishes it (see common.sh)
# Produces OUT_DIR/bin/scxfarm-agent, OUT_DIR/init (the initramfs /init) and
# OUT_DIR/build.log.
source "$(dirname "$0")/common.sh"
[ $# -eq 3 ] || die "usage: agent-build.sh GUEST_ROOT SOURCE_DIR OUT_DIR"
root=${1%/} src=$2 out=$3
[ -x "$root/usr/bin/g++" ] || die "no g++ in guest root $root"
[ -x "$root/usr/bin/cmake" ] || die "no cmake in guest root $root"
# What goes into the binary (keep in step with kAgentInputs in keys.cc).
inputs=(guest/CMakeLists.txt guest/init guest/src harness/common/include
        harness/protocol/include harness/protocol/src
        harness/telemetry/include harness/telemetry/src)
for p in "${inputs[@]}"; do
  [ -e "$src/$p" ] || die "missing $src/$p"
done

scratch=$(root_scratch "$root" agent)
trap 'rm -rf "$scratch"' EXIT
work=${scratch#"$root"}  # the same directory inside the chroot
mkdir -p "$scratch/src" "$scratch/build"
# Copies, not bind mounts: the build cannot write into the repository and a
# failed build leaves no mount behind.
for p in "${inputs[@]}"; do
  mkdir -p "$scratch/src/$(dirname "$p")"
  cp -a "$src/$p" "$scratch/src/$p"
done

new_out_dir "$out"
log "building the agent with the guest root's g++ (log: $out/build.log)"
jobs=$(nproc)
if ! { chroot_run "$root" cmake -S "$work/src/guest" -B "$work/build" \
         -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=g++ \
       && chroot_run "$root" cmake --build "$work/build" -j"$jobs"; } > "$out/build.log" 2>&1; then
  tail -n 30 "$out/build.log" >&2
  die "agent build failed (full log: $out/build.log)"
fi
[ -x "$scratch/build/scxfarm-agent" ] || die "build produced no scxfarm-agent"

mkdir -p "$out/bin"
# Debug info would triple the initramfs the kernel unpacks under TCG.
chroot "$root" strip --strip-debug -o "$work/build/scxfarm-agent.stripped" "$work/build/scxfarm-agent" \
  || die "strip failed"
cp "$scratch/build/scxfarm-agent.stripped" "$out/bin/scxfarm-agent"
install -m 0755 "$src/guest/init" "$out/init"
if file "$out/bin/scxfarm-agent" 2>/dev/null | grep -q 'dynamically linked'; then
  log "warning: scxfarm-agent is dynamically linked; pack-initramfs.sh adds its libraries"
fi
log "agent ready: $out/bin/scxfarm-agent ($(du -h "$out/bin/scxfarm-agent" | cut -f1))"
