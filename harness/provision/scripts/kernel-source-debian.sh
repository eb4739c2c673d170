#!/usr/bin/env bash
# Fetch a Debian linux-source package and unpack its tree, for a kernel build.
# usage: kernel-source-debian.sh GUEST_ROOT OUT_DIR SOURCE_PKG VERSION
#   OUT_DIR  must not exist; scxfarm publishes it (see common.sh)
# Produces OUT_DIR/src (the pristine tree, no .git).
source "$(dirname "$0")/common.sh"
[ $# -eq 4 ] || die "usage: kernel-source-debian.sh GUEST_ROOT OUT_DIR SOURCE_PKG VERSION"
root=${1%/} out=$2 srcpkg=$3 version=$4
[ -x "$root/usr/bin/apt-get" ] || die "guest root missing or incomplete: $root"

new_out_dir "$out"
dl=$(root_scratch "$root" dl)
trap 'rm -rf "$dl"' EXIT
log "downloading $srcpkg=$version"
# shellcheck disable=SC2016  # $1 and $@ are expanded by the chroot's sh
chroot "$root" sh -c 'cd "$1" && shift && exec apt-get -q download "$@"' sh \
  "${dl#"$root"}" "$srcpkg=$version" >&2 || die "apt-get download failed for $srcpkg $version"
mkdir -p "$dl/pkg"
for deb in "$dl"/*.deb; do dpkg-deb -x "$deb" "$dl/pkg"; done
tarball=$(find "$dl/pkg" -name 'linux-source-*.tar.*' | head -n1)
[ -n "$tarball" ] || die "no source tarball in $srcpkg"
log "unpacking $(basename "$tarball")"
mkdir -p "$out/src"
tar -xf "$tarball" -C "$out/src" --strip-components=1
log "kernel source ready: $out/src"
