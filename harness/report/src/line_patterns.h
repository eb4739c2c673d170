// The classifier's knowledge of console lines: which line starts which kind
// of report, which lines belong to a dump, and the small parsers that pull a
// title, reason or name out of one line. Everything here looks at a single
// line; how lines combine into reports is classify.cc's state machine.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "scxfarm/report/report.h"

namespace scxfarm::report::internal {

// Where a report found out that it ends.
enum class EndRule {
  kMarker,     // "---[ end trace" / "---[ end Kernel panic"
  kTrace,      // first kernel line that is not part of a dump
  kOomKilled,  // the "Killed process" line
  kLoadLog,    // libbpf's load log and the libbpf lines that follow it
};

// What a report's first line says about it.
struct Start {
  Kind kind;
  std::string stem;  // title before " in <function>"
  std::string reason;
  std::string function;  // known from the start line itself (WARNING's caller)
  EndRule end;
};

inline constexpr std::string_view kCutHere = "------------[ cut here ]------------";

// T (trimmed) starts a report; nullopt otherwise.
std::optional<Start> match_start(std::string_view t);

// Lines that belong to a register/stack dump or to the report around it.
bool is_dump_line(std::string_view t);

// sched_ext exit reasons that are errors (a clean unregistration is not).
bool is_error_exit_reason(std::string_view reason);

// "---[ end trace ..." / "---[ end Kernel panic ...": a report's end marker.
bool is_end_marker(std::string_view t);

// What a panic prints right before it reboots or halts ("Kernel Offset:",
// "Rebooting in"): with panic=-1 no end marker follows.
bool is_panic_epilogue(std::string_view t);

// "reboot: Power down" and friends: the guest went down on purpose.
bool is_clean_shutdown(std::string_view t);

// SeaBIOS's banner: the machine (re)started its firmware.
bool is_firmware_banner(std::string_view t);

// The reason of a scheduler's own exit line, "EXIT: <reason> (<msg>) on CPU
// N" (T starts with "EXIT: ").
std::string exit_line_reason(std::string_view t);

// Text between the first '(' after FROM and its ')'; "" if none.
std::string parenthesised(std::string_view text, size_t from = 0);

// "libbpf: prog 'qmap_enqueue': ..." -> "qmap_enqueue"; nullopt otherwise.
std::optional<std::string> libbpf_prog_name(std::string_view t);

// "libbpf: failed to load BPF skeleton 'scx_qmap': -EACCES" -> "scx_qmap";
// nullopt when the name is not quoted.
std::optional<std::string> libbpf_skeleton_name(std::string_view t);

// A verifier log line that shows an instruction or its source ("; x = y",
// "12: (85) call ...", "from 4 to 7: ...") rather than a complaint.
bool is_verifier_instruction(std::string_view t);

// "Verification failed..." / "processed N insns ...": nothing after these in a
// verifier log is the complaint.
bool ends_verifier_complaints(std::string_view t);

}  // namespace scxfarm::report::internal
