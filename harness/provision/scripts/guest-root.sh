#!/usr/bin/env bash
# Make the Debian 13 (trixie) guest root with mmdebstrap.
# usage: guest-root.sh OUT_DIR PACKAGE_LIST
#   OUT_DIR       where the root goes; must not exist (scxfarm publishes it,
#                 see common.sh)
#   PACKAGE_LIST  file, one Debian package per line, '#' comments
# env: SCXFARM_DEBIAN_MIRROR  optional mirror URL; default: mmdebstrap's own.
source "$(dirname "$0")/common.sh"
[ $# -eq 2 ] || die "usage: guest-root.sh OUT_DIR PACKAGE_LIST"
out=$1 list=$2
[ -r "$list" ] || die "package list not readable: $list"
command -v mmdebstrap >/dev/null || die "mmdebstrap not installed (apt-get install mmdebstrap)"

pkgs=$(grep -v '^[[:space:]]*#' "$list" | grep -v '^[[:space:]]*$' | paste -sd, -)
new_out_dir "$out"  # mmdebstrap fills an empty directory
args=(--variant=apt --include="$pkgs" trixie "$out")
if [ -n "${SCXFARM_DEBIAN_MIRROR:-}" ]; then args+=("$SCXFARM_DEBIAN_MIRROR"); fi
log "mmdebstrap trixie root with ${pkgs//,/ }"
mmdebstrap "${args[@]}" >&2

# trixie-backports (the 7.3 kernel) and source packages: derive both from
# the root's own first apt line so no mirror is written down here.
first=$(grep -m1 '^deb ' "$out/etc/apt/sources.list") || die "no deb line in guest sources.list"
printf '%s\n' "${first/ trixie / trixie-backports }" > "$out/etc/apt/sources.list.d/backports.list"
printf '%s\n' "${first/ trixie / trixie-backports }" | sed 's/^deb /deb-src /' > "$out/etc/apt/sources.list.d/sources.list"
printf '%s\n' "$first" | sed 's/^deb /deb-src /' >> "$out/etc/apt/sources.list.d/sources.list"
chroot "$out" apt-get update -q >&2
log "guest root ready: $out"
