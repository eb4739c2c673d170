# shellcheck shell=bash
# Shared helpers for the provisioning scripts. Sourced, not run.
#
# Publishing: scxfarm gives every script a fresh staging directory (or a file
# inside one) and renames it into the cache once the script succeeded
# (Provisioner::obtain in harness/provision/src/provisioner.cc). That rename
# is the only publish step: scripts just fill OUT and never move it.
#
# Scratch space: one guest root serves every artifact built on it, and the
# cache lock is per artifact, so two builds (two kernels, or two farms on one
# cache) may use the same root at once. Scratch directories inside the root
# are therefore always unique (root_scratch), never a fixed name.
set -euo pipefail

log() { printf '[provision] %s\n' "$*" >&2; }
die() { printf '[provision] error: %s\n' "$*" >&2; exit 1; }

# Creates OUT, which must not exist yet (scxfarm passes a fresh staging
# directory; a leftover means someone else is writing there).
new_out_dir() {
  local out=$1
  [ ! -e "$out" ] || die "output directory already exists: $out"
  mkdir -p "$out"
}

# Prints the host path of a new, unique directory under ROOT/var/tmp named
# after NAME; the same directory is ${dir#"$ROOT"} inside the chroot. The
# caller removes it (trap).
root_scratch() {
  local root=$1 name=$2
  mkdir -p "$root/var/tmp"
  mktemp -d "$root/var/tmp/scxfarm-$name.XXXXXX"
}

# Run a command inside a chroot with /proc, /sys and /dev mounted: the
# kernel's objtool and bpftool read /proc. The mounts live in a private mount
# namespace of this one call: concurrent builds on the same root each see
# their own, none unmounts another's, and they vanish with the command even
# when it is killed.
chroot_run() {
  local root=$1; shift
  # shellcheck disable=SC2016  # expanded by the inner bash
  unshare --mount --propagation private -- bash -c '
    root=$1; shift
    mount -t proc proc "$root/proc" && mount -t sysfs sys "$root/sys" &&
      mount --bind /dev "$root/dev" && exec chroot "$root" "$@"' chroot_run "$root" "$@"
}
