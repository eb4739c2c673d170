// What the runner tests feed the fake backend: a real console and a guest
// that reports a healthy numa1x4 topology. One copy for all runner tests.
#pragma once

#include <string>

#include "scxfarm/protocol/messages.h"
#include "scxfarm/vm/fake/fake_backend.h"

namespace scxfarm::runner::fake_runs {

// A real console (7.3.4, multi-threaded TCG): an int3 oops that panics.
inline constexpr const char* kRealInt3Oops =
    "[    1.880896] Oops: int3: 0000 [#1] SMP NOPTI\n"
    "[    1.881903] CPU: 6 UID: 0 PID: 0 Comm: swapper/6 Not tainted 7.3.4+deb13-cloud-amd64 #1\n"
    "[    1.882631] RIP: 0010:set_next_task_fair+0x609/0x780\n"
    "[    1.884393] Call Trace:\n[    1.884393]  <TASK>\n"
    "[    1.884393]  __schedule+0x29d/0x1080\n[    1.884393]  </TASK>\n"
    "[    1.884393] Kernel panic - not syncing: Fatal exception in interrupt\n";

// A sched_ext WARNING in the 7.3 format (classify_test's WarningInBothFormats).
inline constexpr const char* kSchedExtWarning =
    "[    3.0] ------------[ cut here ]------------\n"
    "[    3.0] WARNING: kernel/sched/ext/ext.c:6611 at scx_root_disable+0x3a/0x400, CPU#1: "
    "kworker/1:2/88\n"
    "[    3.0] Call Trace:\n"
    "[    3.0]  __warn+0x80/0x120\n"
    "[    3.0] ---[ end trace 0000000000000000 ]---\n";

// What the agent reports for the numa1x4 topology: one node, cpus 0-3.
inline protocol::TopologySeen seen_numa1x4() {
  protocol::TopologySeen s;
  s.nodes = {{0, "0-3", {10}, 950 * 1024}};
  for (uint32_t c = 0; c < 4; ++c) s.cpus.push_back({c, std::to_string(c)});
  return s;
}

// A guest that boots, reports numa1x4 and runs its plan.
inline vm::FakeScript healthy_guest() {
  vm::FakeScript s;
  s.topology = seen_numa1x4();
  return s;
}

}  // namespace scxfarm::runner::fake_runs
