#!/usr/bin/env bash
# Make the Debian 13 (trixie) guest root with mmdebstrap.
# usage: guest-root.sh OUT_DIR PACKAGE_LIST
#   OUT_DIR       where the finished root goes (built in OUT_DIR.tmp first)
#   PACKAGE_LIST  file, one Debian package per line, '#' comments
# env: SCXFARM_DEBIAN_MIRROR  optional mirror URL; default: mmdebstrap's own.
source "$(dirname "$0")/common.sh"
[ $# -eq 2 ] || die "usage: guest-root.sh OUT_DIR PACKAGE_LIST"
out=$1 list=$2
[ -r "$list" ] || die "package list not readable: $list"
command -v mmdebstrap >/dev/null || die "mmdebstrap not installed (apt-get install mmdebstrap)"

pkgs=$(grep -v '^[[:space:]]*#' "$list" | grep -v '^[[:space:]]*$' | paste -sd, -)
tmp="$out.tmp"
rm -rf "$tmp"
mkdir -p "$(dirname "$tmp")"
args=(--variant=apt --include="$pkgs" trixie "$tmp")
if [ -n "${SCXFARM_DEBIAN_MIRROR:-}" ]; then args+=("$SCXFARM_DEBIAN_MIRROR"); fi
log "mmdebstrap trixie root with ${pkgs//,/ }"
mmdebstrap "${args[@]}" >&2

# trixie-backports (the 7.3 kernel) and source packages: derive both from
# the root's own first apt line so no mirror is written down here.
first=$(grep -m1 '^deb ' "$tmp/etc/apt/sources.list") || die "no deb line in guest sources.list"
printf '%s\n' "${first/ trixie / trixie-backports }" > "$tmp/etc/apt/sources.list.d/backports.list"
printf '%s\n' "${first/ trixie / trixie-backports }" | sed 's/^deb /deb-src /' > "$tmp/etc/apt/sources.list.d/sources.list"
printf '%s\n' "$first" | sed 's/^deb /deb-src /' >> "$tmp/etc/apt/sources.list.d/sources.list"
chroot "$tmp" apt-get update -q >&2
publish_dir "$tmp" "$out"
log "guest root ready: $out"
