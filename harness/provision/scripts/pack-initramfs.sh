#!/usr/bin/env bash
# Pack an uncompressed newc initramfs (uncompressed: the kernel unpacks it
# faster than it could decompress one under TCG).
# usage: pack-initramfs.sh GUEST_ROOT OUT_FILE INIT_FILE ENTRY...
#   OUT_FILE  written in place: scxfarm puts it in a staging directory that it
#             publishes (see common.sh)
#   ENTRY  SRC=DEST: copy SRC (a host path, or root:PATH for a path inside
#          GUEST_ROOT) to DEST in the image. ELF files bring their shared
#          library closure, resolved by the guest root's own ldd.
# busybox-static from the guest root provides the shell and core tools.
source "$(dirname "$0")/common.sh"
[ $# -ge 3 ] || die "usage: pack-initramfs.sh GUEST_ROOT OUT_FILE INIT_FILE ENTRY..."
root=${1%/} out=$2 init=$3; shift 3
[ -x "$root/bin/busybox" ] || die "busybox-static missing in guest root $root"

stage=$(mktemp -d "${TMPDIR:-/var/tmp}/scxfarm-initramfs.XXXXXX")
trap 'rm -rf "$stage"' EXIT
# Host files are copied into the root for the root's ldd to read.
probe=$(root_scratch "$root" ldd)
trap 'rm -rf "$stage" "$probe"' EXIT
mkdir -p "$stage"/{bin,sbin,dev,proc,sys,tmp,run,etc,root,usr/bin,usr/sbin,lib64,var/tmp}
cp "$root/bin/busybox" "$stage/bin/busybox"
for applet in $("$root/bin/busybox" --list); do
  [ -e "$stage/bin/$applet" ] || ln -s busybox "$stage/bin/$applet"
done
install -m 0755 "$init" "$stage/init"

declare -A libs=()
add_closure() {  # $1: path inside the guest root of an ELF file
  local line lib
  while read -r line; do
    lib=$(printf '%s\n' "$line" | awk '/=> \//{print $3} /^\/lib|^\/usr/{print $1}')
    [ -n "$lib" ] && libs[$lib]=1
  done < <(chroot "$root" ldd "$1" 2>/dev/null || true)
}

n=0
for entry in "$@"; do
  src=${entry%%=*} dest=${entry#*=}
  [ "$src" != "$entry" ] || die "entry without '=': $entry"
  if [[ $src == root:* ]]; then
    inroot=${src#root:}
    host="$root$inroot"
  else
    host=$src
    n=$((n + 1))
    inroot="${probe#"$root"}/f$n"
    cp "$host" "$root$inroot"
  fi
  [ -e "$host" ] || die "missing file for the image: $host"
  mkdir -p "$stage$(dirname "$dest")"
  cp -L "$host" "$stage$dest"
  if head -c4 "$host" | grep -q 'ELF'; then add_closure "$inroot"; fi
done
for lib in "${!libs[@]}"; do
  mkdir -p "$stage$(dirname "$lib")"
  cp -L "$root$lib" "$stage$lib"
done
# Debian's merged /usr: /lib -> usr/lib must exist for the loader path.
if [ -d "$stage/lib/x86_64-linux-gnu" ] && [ ! -e "$stage/usr/lib/x86_64-linux-gnu" ]; then
  mkdir -p "$stage/usr/lib"
  ln -s ../../lib/x86_64-linux-gnu "$stage/usr/lib/x86_64-linux-gnu"
fi
(cd "$stage" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc --quiet) > "$out"
log "initramfs ready: $out ($(du -h "$out" | cut -f1), ${#libs[@]} libraries)"
