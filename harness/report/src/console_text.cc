#include "console_text.h"

#include <cctype>

namespace scxfarm::report::internal {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool is_symbol_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '$';
}

// Length of a printk timestamp "[   12.345678]" starting at text[pos], or 0.
size_t timestamp_length(std::string_view text, size_t pos) {
  size_t i = pos;
  if (i >= text.size() || text[i] != '[') return 0;
  ++i;
  while (i < text.size() && text[i] == ' ') ++i;
  size_t digits = i;
  while (i < text.size() && is_digit(text[i])) ++i;
  if (i == digits || i >= text.size() || text[i] != '.') return 0;
  ++i;
  size_t frac = i;
  while (i < text.size() && is_digit(text[i])) ++i;
  if (i == frac || i >= text.size() || text[i] != ']') return 0;
  return i + 1 - pos;
}

// Length of a CONFIG_PRINTK_CALLER id "[    T123]" / "[  C3]" at text[pos], or 0.
size_t caller_id_length(std::string_view text, size_t pos) {
  size_t i = pos;
  if (i >= text.size() || text[i] != '[') return 0;
  ++i;
  while (i < text.size() && text[i] == ' ') ++i;
  if (i >= text.size() || (text[i] != 'T' && text[i] != 'C')) return 0;
  ++i;
  size_t digits = i;
  while (i < text.size() && is_digit(text[i])) ++i;
  if (i == digits || i >= text.size() || text[i] != ']') return 0;
  return i + 1 - pos;
}

}  // namespace

std::string strip_ansi(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\x1b') {
      if (i + 1 >= text.size()) break;
      char kind = text[i + 1];
      if (kind == '[') {  // CSI: parameters, intermediates, one final byte
        i += 2;
        while (i < text.size() && !(text[i] >= 0x40 && text[i] <= 0x7e)) ++i;
      } else if (kind == ']') {  // OSC: up to BEL or ESC backslash
        i += 2;
        while (i < text.size() && text[i] != '\x07' &&
               !(text[i] == '\x1b' && i + 1 < text.size() && text[i + 1] == '\\'))
          ++i;
        if (i < text.size() && text[i] == '\x1b') ++i;
      } else if (kind == '(' || kind == ')') {  // charset selection: ESC ( B
        i += 2;
      } else {
        i += 1;  // two-byte sequence such as ESC c (reset)
      }
      continue;
    }
    if (static_cast<unsigned char>(c) < 0x20 && c != '\t') continue;
    if (c == 0x7f) continue;
    out.push_back(c);
  }
  return out;
}

std::vector<ConsoleLine> split_console(std::string_view console) {
  std::vector<ConsoleLine> lines;
  size_t pos = 0;
  while (pos < console.size()) {
    size_t nl = console.find('\n', pos);
    std::string_view raw =
        console.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? console.size() : nl + 1;
    ConsoleLine line;
    std::string text = strip_ansi(raw);
    for (size_t i = text.find('['); i != std::string::npos; i = text.find('[', i + 1)) {
      size_t len = timestamp_length(text, i);
      if (len == 0) continue;
      size_t end = i + len;
      size_t caller_at = end < text.size() && text[end] == ' ' ? end + 1 : end;
      if (size_t caller = caller_id_length(text, caller_at)) end = caller_at + caller;
      if (end < text.size() && text[end] == ' ') ++end;  // printk's separator
      text.erase(0, end);
      line.kernel = true;
      break;
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.pop_back();
    line.text = std::move(text);
    lines.push_back(std::move(line));
  }
  return lines;
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

bool contains(std::string_view text, std::string_view needle) {
  return text.find(needle) != std::string_view::npos;
}

std::string clean_function(std::string_view symbol) {
  std::string_view s = symbol.substr(0, symbol.find('+'));
  s = s.substr(0, s.find('.'));  // .cold, .isra.0, .constprop.0, .part.0, .llvm.123
  constexpr std::string_view kBpfProg = "bpf_prog_";
  if (starts_with(s, kBpfProg)) {
    std::string_view rest = s.substr(kBpfProg.size());
    size_t underscore = rest.find('_');
    if (underscore != std::string_view::npos && underscore > 0) {
      bool tag = true;
      for (char c : rest.substr(0, underscore)) tag = tag && is_hex(c);
      if (tag && underscore + 1 < rest.size()) s = rest.substr(underscore + 1);
    }
  }
  return std::string(s);
}

std::optional<Frame> parse_frame(std::string_view text) {
  std::string_view t = trim(text);
  Frame frame;
  if (starts_with(t, "? ")) {
    frame.reliable = false;
    t = t.substr(2);
  }
  size_t i = 0;
  while (i < t.size() && is_symbol_char(t[i])) ++i;
  if (i == 0 || t.substr(i, 3) != "+0x") return std::nullopt;
  size_t j = i + 3;
  size_t hex = j;
  while (j < t.size() && is_hex(t[j])) ++j;
  if (j == hex || t.substr(j, 3) != "/0x") return std::nullopt;
  j += 3;
  hex = j;
  while (j < t.size() && is_hex(t[j])) ++j;
  if (j == hex) return std::nullopt;
  std::string_view rest = trim(t.substr(j));
  if (!rest.empty() && !(rest.front() == '[' && rest.back() == ']')) return std::nullopt;
  frame.function = clean_function(t.substr(0, i));
  return frame;
}

std::optional<std::string> parse_rip(std::string_view text) {
  std::string_view t = trim(text);
  if (!starts_with(t, "RIP: ")) return std::nullopt;
  t = t.substr(5);
  size_t colon = t.find(':');
  if (colon != std::string_view::npos && colon <= 4) t = t.substr(colon + 1);
  auto frame = parse_frame(t);
  if (!frame) return std::nullopt;
  return frame->function;
}

bool is_skipped_frame(std::string_view function) {
  // How the kernel reported the crash, waited or slept: never the culprit.
  // clang-format off
  static constexpr std::string_view kExact[] = {
      "panic", "vpanic", "__panic", "dump_stack", "dump_stack_lvl", "show_stack", "__warn",
      "warn_slowpath_fmt", "__warn_printk", "report_bug", "handle_bug", "exc_invalid_op",
      "exc_int3", "do_int3", "do_int3_user", "do_error_trap", "do_trap", "die", "__die", "die_body",
      "oops_end", "__schedule", "schedule", "schedule_idle", "schedule_timeout",
      "schedule_preempt_disabled", "io_schedule", "io_schedule_timeout", "__wait_for_common",
      "wait_for_common", "wait_for_completion", "wait_for_completion_state",
      "wait_for_completion_killable", "__flush_work", "flush_work", "__flush_workqueue",
      "preempt_schedule_common", "__mutex_lock", "mutex_lock", "__mutex_lock_slowpath",
      "mutex_lock_killable", "mutex_lock_interruptible", "rwsem_down_read_slowpath",
      "rwsem_down_write_slowpath", "percpu_rwsem_wait", "down", "__down_common", "down_read",
      "down_write", "down_read_killable", "down_write_killable", "scx_vexit", "__scx_exit",
      "scx_exit", "scx_verror", "__scx_error", "scx_bpf_error_bstr", "scx_bpf_exit_bstr",
      "scx_exit_bstr", "kthread", "ret_from_fork", "ret_from_fork_asm", "worker_thread"};
  // clang-format on
  for (std::string_view e : kExact)
    if (function == e) return true;
  static constexpr std::string_view kPrefixes[] = {"asm_", "_raw_spin_", "__raw_spin_",
                                                   "entry_SYSCALL", "stack_trace_"};
  for (std::string_view p : kPrefixes)
    if (starts_with(function, p)) return true;
  return false;
}

std::string normalize_for_signature(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    // "+0x609/0x780" offsets vanish entirely.
    if (text[i] == '+' && text.substr(i + 1, 2) == "0x") {
      size_t j = i + 3;
      while (j < text.size() && (is_hex(text[j]) || text[j] == '/' || text[j] == 'x')) ++j;
      i = j;
      continue;
    }
    // Hex numbers and addresses become "0x".
    if (text.substr(i, 2) == "0x") {
      size_t j = i + 2;
      while (j < text.size() && is_hex(text[j])) ++j;
      out += "0x";
      i = j;
      continue;
    }
    // CPU and PID numbers: "CPU#3", "CPU 3", "cpu 3", "pid:123", "[123]".
    bool after_word = false;
    for (std::string_view w : {"CPU#", "CPU ", "cpu ", "CPU: ", "pid:", "pid ", "PID: ", "["}) {
      if (text.substr(i, w.size()) == w && i + w.size() < text.size() &&
          is_digit(text[i + w.size()])) {
        out += w;
        i += w.size();
        while (i < text.size() && is_digit(text[i])) ++i;
        out += 'N';
        after_word = true;
        break;
      }
    }
    if (after_word) continue;
    // Long plain hex runs (register values, addresses without 0x).
    if (is_hex(text[i]) && (i == 0 || !is_symbol_char(text[i - 1]))) {
      size_t j = i;
      while (j < text.size() && is_hex(text[j])) ++j;
      if (j - i >= 8 && (j == text.size() || !is_symbol_char(text[j]))) {
        out += "X";
        i = j;
        continue;
      }
    }
    out.push_back(text[i]);
    ++i;
  }
  return out;
}

}  // namespace scxfarm::report::internal
