#!/usr/bin/env bash
# Fetch a Debian kernel package and its source tree through the guest root's apt.
# usage: kernel-debian.sh GUEST_ROOT OUT_DIR BINARY_PKG SOURCE_PKG VERSION
# Produces OUT_DIR/{vmlinuz,vmlinux,config,release,src/} where src/ is the
# unpacked kernel source (tools/sched_ext is built from it) and vmlinux is
# extracted from the image with the tree's own scripts/extract-vmlinux (it
# carries .BTF, which scx_qmap is built against).
source "$(dirname "$0")/common.sh"
[ $# -eq 5 ] || die "usage: kernel-debian.sh GUEST_ROOT OUT_DIR BINARY_PKG SOURCE_PKG VERSION"
root=$1 out=$2 binpkg=$3 srcpkg=$4 version=$5
[ -x "$root/usr/bin/apt-get" ] || die "guest root missing or incomplete: $root"

tmp="$out.tmp"
rm -rf "$tmp"
mkdir -p "$tmp" "$root/var/tmp/scxfarm-dl"
dl="$root/var/tmp/scxfarm-dl"
rm -f "$dl"/*.deb
log "downloading $binpkg=$version and $srcpkg=$version"
chroot "$root" sh -c 'cd /var/tmp/scxfarm-dl && exec apt-get -q download "$@"' sh \
  "$binpkg=$version" "$srcpkg=$version" >&2 || die "apt-get download failed for $binpkg/$srcpkg $version"

mkdir -p "$tmp/pkg"
for deb in "$dl"/*.deb; do dpkg-deb -x "$deb" "$tmp/pkg"; done
image=$(find "$tmp/pkg" -name 'vmlinuz*' -type f | head -n1)
[ -n "$image" ] || die "no vmlinuz in $binpkg"
cp "$image" "$tmp/vmlinuz"
basename "$(dirname "$image")" > "$tmp/release"
tarball=$(find "$tmp/pkg" -name 'linux-source-*.tar.*' | head -n1)
[ -n "$tarball" ] || die "no source tarball in $srcpkg"
log "unpacking $(basename "$tarball")"
mkdir -p "$tmp/src"
tar -xf "$tarball" -C "$tmp/src" --strip-components=1
config=$(find "$tmp/pkg" -name 'config-*' -type f | head -n1)
if [ -n "$config" ]; then cp "$config" "$tmp/config"; fi
"$tmp/src/scripts/extract-vmlinux" "$tmp/vmlinuz" > "$tmp/vmlinux" || die "extract-vmlinux failed"
rm -rf "$tmp/pkg" "$dl"
publish_dir "$tmp" "$out"
log "kernel ready: $out ($(cat "$out/release"))"
