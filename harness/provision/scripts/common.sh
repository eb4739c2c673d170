# Shared helpers for the provisioning scripts. Sourced, not run.
set -euo pipefail

log() { printf '[provision] %s\n' "$*" >&2; }
die() { printf '[provision] error: %s\n' "$*" >&2; exit 1; }

# Run a command inside a chroot with /proc, /sys and /dev mounted: the
# kernel's objtool and bpftool read /proc. Mounts are undone on any exit.
chroot_run() {
  local root=$1; shift
  mount -t proc proc "$root/proc"
  mount -t sysfs sys "$root/sys"
  mount --bind /dev "$root/dev"
  local rc=0
  chroot "$root" "$@" || rc=$?
  umount "$root/dev" "$root/sys" "$root/proc"
  return $rc
}

# Publish a finished directory atomically: build in DIR.tmp, rename to DIR.
publish_dir() {
  local tmp=$1 final=$2
  rm -rf "$final"
  mv "$tmp" "$final"
}
