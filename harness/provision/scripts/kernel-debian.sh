#!/usr/bin/env bash
# Fetch a Debian kernel package and its source tree through the guest root's apt.
# usage: kernel-debian.sh GUEST_ROOT OUT_DIR BINARY_PKG SOURCE_PKG VERSION
#   OUT_DIR  must not exist; scxfarm publishes it (see common.sh)
# Produces OUT_DIR/{vmlinuz,vmlinux,config,release,src/} where src/ is the
# unpacked kernel source (tools/sched_ext is built from it) and vmlinux is
# extracted from the image with the tree's own scripts/extract-vmlinux (it
# carries .BTF, which scx_qmap is built against).
source "$(dirname "$0")/common.sh"
[ $# -eq 5 ] || die "usage: kernel-debian.sh GUEST_ROOT OUT_DIR BINARY_PKG SOURCE_PKG VERSION"
root=${1%/} out=$2 binpkg=$3 srcpkg=$4 version=$5
[ -x "$root/usr/bin/apt-get" ] || die "guest root missing or incomplete: $root"

new_out_dir "$out"
dl=$(root_scratch "$root" dl)
trap 'rm -rf "$dl"' EXIT
log "downloading $binpkg=$version and $srcpkg=$version"
# shellcheck disable=SC2016  # $1 and $@ are expanded by the chroot's sh
chroot "$root" sh -c 'cd "$1" && shift && exec apt-get -q download "$@"' sh \
  "${dl#"$root"}" "$binpkg=$version" "$srcpkg=$version" >&2 \
  || die "apt-get download failed for $binpkg/$srcpkg $version"

mkdir -p "$out/pkg"
for deb in "$dl"/*.deb; do dpkg-deb -x "$deb" "$out/pkg"; done
image=$(find "$out/pkg" -name 'vmlinuz*' -type f | head -n1)
[ -n "$image" ] || die "no vmlinuz in $binpkg"
cp "$image" "$out/vmlinuz"
basename "$(dirname "$image")" > "$out/release"
tarball=$(find "$out/pkg" -name 'linux-source-*.tar.*' | head -n1)
[ -n "$tarball" ] || die "no source tarball in $srcpkg"
log "unpacking $(basename "$tarball")"
mkdir -p "$out/src"
tar -xf "$tarball" -C "$out/src" --strip-components=1
config=$(find "$out/pkg" -name 'config-*' -type f | head -n1)
if [ -n "$config" ]; then cp "$config" "$out/config"; fi
"$out/src/scripts/extract-vmlinux" "$out/vmlinuz" > "$out/vmlinux" || die "extract-vmlinux failed"
rm -rf "$out/pkg"
log "kernel ready: $out ($(cat "$out/release"))"
