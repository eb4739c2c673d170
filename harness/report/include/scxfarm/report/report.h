// Console crash classifier: kernel/serial console text in, zero or more
// crash reports out, in the spirit of syzkaller's pkg/report. Pure: no I/O,
// no state, safe to call from any thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace scxfarm::report {

enum class Kind {
  kPanic,             // "Kernel panic - not syncing: ..."
  kOops,              // "Oops: ...", "BUG: unable to handle ...", "general protection fault"
  kBug,               // other "BUG: ..." lines and "kernel BUG at file:line!"
  kWarning,           // "WARNING: file:line at func+0x.." (both the 7.x and the older format)
  kSoftLockup,        // "watchdog: BUG: soft lockup - CPU#N stuck for Ns!"
  kRcuStall,          // "rcu: INFO: rcu_preempt detected stalls" / "self-detected stall"
  kHungTask,          // "INFO: task comm:pid blocked for more than N seconds."
  kSchedExtExit,      // a BPF scheduler disabled by an error (stall, scx_bpf_error, ...)
  kVerifierReject,    // libbpf "-- BEGIN PROG LOAD LOG --" / "failed to load"
  kOomKill,           // "invoked oom-killer" / "Out of memory: Killed process"
  kUnexpectedReboot,  // a second boot banner without a clean "reboot: Power down" first
};

struct Report {
  Kind kind = Kind::kPanic;
  // syzkaller-style one-line title without addresses, offsets or numbers that
  // change between runs, e.g. "Oops: int3 in set_next_task_fair".
  std::string title;
  // Top meaningful frame: the kernel RIP, else the first call-trace frame not
  // in the skip list (panic, __warn, scheduling primitives, ...), offsets and
  // compiler suffixes (.cold, .isra.0) removed; "" if none.
  std::string function;
  // The crash's own reason: the "not syncing:" text of a panic, the sched_ext
  // exit reason ("runnable task stall", "scx_bpf_error", "runtime error"), the
  // verifier's complaint, the killed comm of an OOM kill; "" if none.
  std::string reason;
  size_t start_line = 0;  // 1-based, inclusive, in the console as given
  size_t end_line = 0;    // 1-based, inclusive
  // The first lines of the report (at most kMaxExcerptLines), with
  // timestamps, carriage returns and ANSI escapes stripped.
  std::vector<std::string> excerpt;
  bool truncated = false;  // the console ends before the report's end marker

  // kind|function|reason with addresses, offsets, CPU and PID numbers
  // removed: equal for the same crash across runs, boots and kernels.
  std::string signature() const;
};

inline constexpr size_t kMaxExcerptLines = 40;

std::vector<Report> classify_console(std::string_view console);

// "kernel-panic", "oops", "bug", "warning", "soft-lockup", "rcu-stall",
// "hung-task", "sched-ext-exit", "verifier-reject", "oom-kill",
// "unexpected-reboot".
std::string_view to_string(Kind kind);
// Inverse of to_string; false if the name is unknown.
bool kind_from_string(std::string_view name, Kind& kind);

// One JSON object per report ({"kind":..,"title":..,"function":..,"reason":..,
// "signature":..,"start_line":..,"end_line":..,"truncated":..,"excerpt":[..]}),
// as a JSON array, for `scxfarm classify-console`.
std::string to_json(const std::vector<Report>& reports);

}  // namespace scxfarm::report
