#include "line_patterns.h"

#include <algorithm>
#include <cctype>

#include "console_text.h"

namespace scxfarm::report::internal {
namespace {

// "Oops: int3: 0000 [#1] SMP NOPTI" -> "int3"; "Oops: general protection
// fault, probably for non-canonical address 0x..: 0000 [#1]" -> "general
// protection fault".
std::string oops_description(std::string_view text) {
  std::string_view d = text.substr(text.find(':') + 1);
  d = trim(d);
  size_t hash = d.find(" [#");
  if (hash != std::string_view::npos) {
    d = d.substr(0, hash);
    size_t colon = d.rfind(':');
    if (colon != std::string_view::npos) d = d.substr(0, colon);
  }
  d = d.substr(0, d.find(", probably"));
  return std::string(trim(d));
}

// "BUG: scheduling while atomic: swapper/0/0/0x00000002" -> "BUG: scheduling
// while atomic"; "BUG: KASAN: use-after-free in f+0x1/0x2" -> "KASAN: use-after-free".
std::string bug_stem(std::string_view text) {
  std::string_view d = text.substr(5);
  if (starts_with(d, "KASAN: ") || starts_with(d, "KFENCE: ") || starts_with(d, "KMSAN: ")) {
    return std::string(d.substr(0, d.find(" in ")));
  }
  size_t cut = d.size();
  for (std::string_view sep : {":", " at ", " - ", ", ", " in "}) {
    size_t p = d.find(sep);
    if (p != std::string_view::npos && p < cut) cut = p;
  }
  return "BUG: " + std::string(trim(d.substr(0, cut)));
}

// The caller in both WARNING formats: "WARNING: kernel/x.c:12 at f+0x1/0x2,
// CPU#0: comm/1" (7.x) and "WARNING: CPU: 0 PID: 1 at kernel/x.c:12 f+0x1/0x2".
std::string warning_function(std::string_view text) {
  size_t at = text.find(" at ");
  if (at == std::string_view::npos) return "";
  std::string_view rest = text.substr(at + 4);
  for (size_t pos = 0; pos < rest.size();) {
    size_t end = rest.find_first_of(" ,", pos);
    std::string_view word = rest.substr(pos, end == std::string_view::npos ? rest.npos : end - pos);
    if (auto frame = parse_frame(word)) return frame->function;
    if (end == std::string_view::npos) break;
    pos = end + 1;
  }
  return "";
}

}  // namespace

bool is_error_exit_reason(std::string_view reason) {
  return reason == "runtime error" || reason == "scx_bpf_error" ||
         reason == "runnable task stall" || reason == "reenqueue limit" ||
         reason == "rescue bandwidth overload" || reason == "<UNKNOWN>";
}

std::string parenthesised(std::string_view text, size_t from) {
  size_t open = text.find('(', from);
  if (open == std::string_view::npos) return "";
  size_t close = text.find(')', open);
  if (close == std::string_view::npos) return "";
  return std::string(text.substr(open + 1, close - open - 1));
}

std::optional<Start> match_start(std::string_view t) {
  if (contains(t, "BUG: soft lockup - CPU#"))
    return Start{Kind::kSoftLockup, "BUG: soft lockup", "", "", EndRule::kTrace};
  if ((starts_with(t, "rcu: INFO: ") || starts_with(t, "INFO: ")) &&
      (contains(t, " detected stalls") || contains(t, " self-detected stall") ||
       contains(t, " detected expedited stalls"))) {
    // "rcu: INFO: rcu_preempt self-detected stall on CPU": the reason drops
    // the flavour (rcu_preempt, rcu_sched), which depends on the kernel config.
    size_t what = t.find(" self-detected ");
    if (what == std::string_view::npos) what = t.find(" detected ");
    std::string reason(trim(t.substr(what)));
    return Start{Kind::kRcuStall, "INFO: rcu detected stall", reason, "", EndRule::kTrace};
  }
  if (starts_with(t, "INFO: task ") && contains(t, " blocked for more than "))
    return Start{Kind::kHungTask, "INFO: task hung", "", "", EndRule::kTrace};
  if (starts_with(t, "Kernel panic - not syncing:")) {
    std::string_view reason = trim(t.substr(27));
    return Start{Kind::kPanic, "", std::string(reason), "", EndRule::kMarker};
  }
  if (starts_with(t, "BUG: unable to handle ")) {
    std::string_view d = t.substr(5);
    size_t cut = std::min(d.find(" for address"), d.find(" at "));
    return Start{Kind::kOops, "BUG: " + std::string(d.substr(0, cut)), "", "", EndRule::kMarker};
  }
  if (starts_with(t, "BUG: kernel NULL pointer dereference"))
    return Start{Kind::kBug, "BUG: kernel NULL pointer dereference", "", "", EndRule::kMarker};
  if (starts_with(t, "kernel BUG at "))
    return Start{Kind::kBug, "kernel BUG", "", "", EndRule::kMarker};
  if (starts_with(t, "BUG: ")) return Start{Kind::kBug, bug_stem(t), "", "", EndRule::kMarker};
  if (starts_with(t, "Oops: ")) {
    std::string d = oops_description(t);
    std::string stem = d == "general protection fault" ? d : "Oops: " + d;
    return Start{Kind::kOops, stem, "", "", EndRule::kMarker};
  }
  if (starts_with(t, "general protection fault"))
    return Start{Kind::kOops, "general protection fault", "", "", EndRule::kMarker};
  if (starts_with(t, "WARNING: ") && contains(t, " at "))
    return Start{Kind::kWarning, "WARNING", "", warning_function(t), EndRule::kMarker};
  if ((starts_with(t, "sched_ext: BPF scheduler \"") ||
       starts_with(t, "sched_ext: BPF sub-scheduler \"")) &&
      contains(t, "\" disabled (")) {
    std::string reason = parenthesised(t, t.find("\" disabled ("));
    if (!is_error_exit_reason(reason)) return std::nullopt;
    std::string level = contains(t, "sub-scheduler") ? "sub" : "root";
    return Start{Kind::kSchedExtExit, "sched_ext: " + level + " disabled: " + reason, reason, "",
                 EndRule::kTrace};
  }
  if (contains(t, " invoked oom-killer: "))
    return Start{Kind::kOomKill, "", "", "", EndRule::kOomKilled};
  if (contains(t, "out of memory: Killed process ") ||
      contains(t, "Out of memory: Killed process "))
    return Start{Kind::kOomKill, "", "", "", EndRule::kOomKilled};
  if (starts_with(t, "libbpf: prog '") &&
      (contains(t, "BPF program load failed") || contains(t, "-- BEGIN PROG LOAD LOG --") ||
       contains(t, "failed to load")))
    return Start{Kind::kVerifierReject, "", "", "", EndRule::kLoadLog};
  if (starts_with(t, "libbpf: failed to load BPF skeleton"))
    return Start{Kind::kVerifierReject, "", "", "", EndRule::kLoadLog};
  return std::nullopt;
}

bool is_dump_line(std::string_view t) {
  if (t.empty()) return false;
  if (parse_frame(t)) return true;
  if (t.front() == '<' && t.back() == '>') return true;  // <TASK>, </IRQ>, <NMI>
  // clang-format off
  static constexpr std::string_view kDumpPrefixes[] = {
      "Call Trace:", "Code: ", "Modules linked in", "CPU: ", "Hardware name:", "Workqueue:",
      "Tainted:", "Not tainted", "INFO: task ", "rcu: ", "Sending NMI", "NMI backtrace", "task:",
      "\"echo 0", "irq event stamp", "hardirqs ", "softirqs ", "sched_ext: ", "Showing all locks",
      "INFO: lockdep", "Kernel Offset", "Task dump for CPU", "#PF: ", "PGD ", "PUD ", "PMD ",
      "Stack:", "lr : ", "pc : ", "Showing busy workqueues", "watchdog: ", "Rebooting in ",
      "Shutting down cpus"};
  // clang-format on
  for (std::string_view p : kDumpPrefixes) {
    if (starts_with(t, p)) return true;
  }
  // Register lines: "RIP: 0010:..", "RAX: 0000..", "FS:  0000..", "PKRU: 55555554". A hex
  // value must follow, so subsystem prefixes such as "ACPI: PM: ..." do not match.
  size_t colon = t.find(':');
  if (colon != std::string_view::npos && colon >= 2 && colon <= 4) {
    bool name = true;
    for (char c : t.substr(0, colon))
      name = name && ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'));
    std::string_view value = trim(t.substr(colon + 1));
    size_t hex = 0;
    while (hex < value.size() && std::isxdigit(static_cast<unsigned char>(value[hex]))) ++hex;
    if (name && hex >= 4) return true;
  }
  return false;
}

bool is_end_marker(std::string_view t) {
  return starts_with(t, "---[ end trace") || starts_with(t, "---[ end Kernel panic");
}

bool is_panic_epilogue(std::string_view t) {
  return starts_with(t, "Kernel Offset:") || starts_with(t, "Rebooting in ");
}

bool is_clean_shutdown(std::string_view t) {
  return contains(t, "reboot: Power down") || contains(t, "reboot: Restarting system") ||
         contains(t, "reboot: System halted");
}

bool is_firmware_banner(std::string_view t) {
  return starts_with(t, "SeaBIOS (version") || contains(t, "SeaBIOS (version ");
}

std::string exit_line_reason(std::string_view t) {
  std::string_view rest = t.substr(6);
  size_t cut = std::min(rest.find(" ("), rest.find(" on CPU"));
  return std::string(rest.substr(0, cut));
}

std::optional<std::string> libbpf_prog_name(std::string_view t) {
  if (!starts_with(t, "libbpf: prog '")) return std::nullopt;
  size_t q = t.find('\'', 14);
  if (q == std::string_view::npos) return std::nullopt;
  return std::string(t.substr(14, q - 14));
}

std::optional<std::string> libbpf_skeleton_name(std::string_view t) {
  size_t q = t.find('\'');
  size_t q2 = q == std::string_view::npos ? q : t.find('\'', q + 1);
  if (q2 == std::string_view::npos) return std::nullopt;
  return std::string(t.substr(q + 1, q2 - q - 1));
}

bool is_verifier_instruction(std::string_view t) {
  return starts_with(t, "; ") || t == ";" ||
         (!t.empty() && t[0] >= '0' && t[0] <= '9' && contains(t, ": ")) || starts_with(t, "from ");
}

bool ends_verifier_complaints(std::string_view t) {
  return starts_with(t, "Verification failed") ||
         (starts_with(t, "processed ") && contains(t, " insns"));
}

}  // namespace scxfarm::report::internal
