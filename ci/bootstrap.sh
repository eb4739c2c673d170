#!/usr/bin/env bash
# Set up a fresh Debian 12 host as root: packages, prometheus-cpp, and the
# harness build. Idempotent; a second run does (almost) no work.
source "$(dirname "$0")/lib.sh"
[ "$(id -u)" -eq 0 ] || die "run as root (installs packages, mounts for chroot builds)"

mapfile -t packages < <(grep -v '^[[:space:]]*#' "$SCXFARM_ROOT/ci/host-packages.txt" | grep -v '^[[:space:]]*$')
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  step "installing ${#missing[@]} Debian packages: ${missing[*]}"
  apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
else
  step "host packages present (${#packages[@]})"
fi

prefix=$("$SCXFARM_ROOT/ci/prometheus-cpp.sh")
step "building the harness in $SCXFARM_BUILD"
cmake -S "$SCXFARM_ROOT" -B "$SCXFARM_BUILD" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_BUILD_TYPE=${SCXFARM_BUILD_TYPE:-RelWithDebInfo} ${SCXFARM_CMAKE_ARGS:-} >&2
cmake --build "$SCXFARM_BUILD" >&2
