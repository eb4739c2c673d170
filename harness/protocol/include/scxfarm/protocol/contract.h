// The host<->guest contract: everything both ends must agree on, in one
// place. The agent is built from this same header with the guest toolchain.
//
// Transport: a named virtio-serial port (QEMU `virtserialport,name=...`);
// the guest finds it by name under /sys/class/virtio-ports/*/name.
// Framing: one JSON object per line (UTF-8, '\n' terminated), each with a
// "type" field. The host sends exactly one "run" after "hello"; the guest
// streams the rest and ends with "result" then "bye".
#pragma once

#include <cstdint>
#include <string_view>

namespace scxfarm::protocol {

// Bumped on any incompatible change; the host refuses a mismatched agent.
// 2: the plan carries timeout_scale, the agent awaits a declared settle and
// sends a run_phase report (the host requires it from version 2 on).
// 3: a churn op lists its targets ("targets", a list; "cpu" for hotplug)
// instead of comma-joining them into "target".
inline constexpr int kProtocolVersion = 3;

// virtio-serial port name for the control channel.
inline constexpr std::string_view kControlPortName = "org.scxfarm.ctl";

// Kernel command-line parameters the host sets and the agent reads from
// /proc/cmdline.
inline constexpr std::string_view kCmdlinePort = "scxfarm.port";    // = kControlPortName
inline constexpr std::string_view kCmdlineDebug = "scxfarm.debug";  // 1 = verbose agent log

// Where the guest image puts things (fixed by the initramfs layout).
inline constexpr std::string_view kGuestQmapPath = "/opt/scxfarm/bin/scx_qmap";
inline constexpr std::string_view kGuestCgroupRoot = "/sys/fs/cgroup";
inline constexpr std::string_view kSchedExtSysfs = "/sys/kernel/sched_ext";

}  // namespace scxfarm::protocol
