// Console text helpers shared by the classifier: line splitting with
// timestamp/ANSI stripping, stack-frame parsing, signature normalisation.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scxfarm/common/text.h"

namespace scxfarm::report::internal {

struct ConsoleLine {
  std::string text;     // timestamp, '\r' and ANSI escapes removed; indentation kept
  bool kernel = false;  // carried a printk timestamp "[  123.456789]"
};

// Splits on '\n'. A line's kernel flag is set when a printk timestamp (and an
// optional caller id like "[    T1]") occurs anywhere in it; the text is then
// what follows the timestamp, because serial consoles glue userspace or
// firmware output in front of kernel lines.
std::vector<ConsoleLine> split_console(std::string_view console);

// Removes CSI/OSC/two-byte escape sequences and other control characters
// except tab.
std::string strip_ansi(std::string_view text);

// The farm's trim (split_console has already removed every control character
// but tab, so only blanks are left to trim).
using text::trim;
bool starts_with(std::string_view text, std::string_view prefix);
bool contains(std::string_view text, std::string_view needle);

struct Frame {
  std::string function;  // cleaned, see clean_function
  bool reliable = true;  // false for "? func+0x.." frames
};
// Parses one call-trace line "  ? func+0x1a/0x40 [module]"; nullopt otherwise.
std::optional<Frame> parse_frame(std::string_view text);
// Parses "RIP: 0010:func+0x609/0x780" (kernel RIPs only).
std::optional<std::string> parse_rip(std::string_view text);
// "set_next_task_fair+0x609/0x780" -> "set_next_task_fair"; drops compiler
// suffixes (".cold", ".isra.0", ".constprop.0") and the tag of BPF programs
// ("bpf_prog_3a9f0e1c2b4d5e6f_qmap_enqueue" -> "qmap_enqueue").
std::string clean_function(std::string_view symbol);
// Frames that say how the kernel reported or waited, not where it broke.
bool is_skipped_frame(std::string_view function);

// Removes run-specific numbers: hex values, "+0x../0x.." offsets, CPU and
// PID numbers, durations.
std::string normalize_for_signature(std::string_view text);

}  // namespace scxfarm::report::internal
