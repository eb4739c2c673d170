#!/usr/bin/env bash
# Make the kernel build root: a copy of the guest root plus the packages a
# kernel build needs (flex, bison, pahole, git). A copy, not the guest root
# itself, so building kernels never changes what goes into a VM image.
# usage: kernel-toolchain.sh GUEST_ROOT OUT_DIR PACKAGE_LIST
#   OUT_DIR  must not exist; scxfarm publishes it (see common.sh)
source "$(dirname "$0")/common.sh"
[ $# -eq 3 ] || die "usage: kernel-toolchain.sh GUEST_ROOT OUT_DIR PACKAGE_LIST"
groot=${1%/} out=$2 list=$3
[ -x "$groot/usr/bin/apt-get" ] || die "guest root missing or incomplete: $groot"
[ -r "$list" ] || die "package list not readable: $list"
mapfile -t pkgs < <(grep -v '^[[:space:]]*#' "$list" | grep -v '^[[:space:]]*$')

new_out_dir "$out"
log "copying the guest root"
cp -a --reflink=auto "$groot" "$out/root"
log "installing ${pkgs[*]}"
DEBIAN_FRONTEND=noninteractive chroot_run "$out/root" apt-get install -q -y \
  --no-install-recommends "${pkgs[@]}" >&2 || die "apt-get install failed"
chroot "$out/root" apt-get clean
chroot_run "$out/root" sh -c 'gcc --version | head -n1; pahole --version' > "$out/toolchain.txt"
log "kernel build root ready: $out ($(paste -sd' ' "$out/toolchain.txt"))"
