#!/bin/sh
# A stand-in for scx_qmap in guest_test: makes its sysfs directory the way
# the kernel names it (root, or <parent dir>/sub/sub-<cgroup inode>), prints
# like qmap, and removes the directory on SIGINT/SIGTERM.
# Environment: FAKE_SCHED_EXT (the fake /sys/kernel/sched_ext),
# FAKE_CGROUP_ROOT, FAKE_QMAP_FAIL_CGROUP (a -c path that fails to attach),
# FAKE_QMAP_ATTACH_DELAY (seconds before the sysfs dir appears; default 0.1:
# a slow machine), FAKE_QMAP_SILENT_CGROUP (a -c path that prints no hier).
sched=$FAKE_SCHED_EXT
cg=
while [ $# -gt 0 ]; do
  case $1 in
    -c) cg=$2; shift 2 ;;
    *) shift ;;
  esac
done
if [ -n "$cg" ] && [ "$cg" = "$FAKE_QMAP_FAIL_CGROUP" ]; then
  echo "libbpf: failed to attach"
  echo "EXIT: fake attach failure" >&2
  exit 1
fi
if [ -z "$cg" ]; then
  dir=$sched/root
else
  dir=
  p=$(dirname "$cg")
  while [ "$p" != "$FAKE_CGROUP_ROOT" ] && [ "$p" != / ]; do
    d=$(find "$sched" -type d -name "sub-$(stat -c %i "$p")" | head -n 1)
    if [ -n "$d" ]; then dir=$d/sub/sub-$(stat -c %i "$cg"); break; fi
    p=$(dirname "$p")
  done
  [ -n "$dir" ] || dir=$sched/root/sub/sub-$(stat -c %i "$cg")
fi
trap 'rm -rf "$dir"; [ -z "$cg" ] && echo disabled > "$sched/state"; echo "EXIT: unregistered from user space"; exit 0' INT TERM
sleep "${FAKE_QMAP_ATTACH_DELAY:-0.1}"
mkdir -p "$dir"
echo qmap > "$dir/ops"
printf 'enq_immed: 0-3\nenq: 0-3\npreempt: 0-3\nperf: 0-3\n' > "$dir/caps"
echo "SCX_EV_SELECT_CPU_FALLBACK 1" > "$dir/events"
[ -z "$cg" ] && echo enabled > "$sched/state"
echo "scx_qmap started"
while :; do
  if [ -z "$cg" ] || [ "$cg" != "$FAKE_QMAP_SILENT_CGROUP" ]; then
    echo "hier   : nsub=0 excl=0 shared=- rr=- reenq cap/immed +0/+0 inj=+0 rescue=+0"
    echo "hier   :          cgroup    w  alloc   disp/s  cids"
    echo "hier   : self          0  100   0.00        -  0-3"
  fi
  sleep 0.1
done
