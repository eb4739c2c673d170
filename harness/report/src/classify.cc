// The classifier walks the console once. At most one report is open at a
// time; a report closes at its end marker ("---[ end trace"), when the next
// report starts, or, for reports without a marker (lockups, stalls, hung
// tasks, sched_ext exits), at the first kernel line that is not part of a
// crash dump.
#include <cctype>
#include <optional>

#include "console_text.h"
#include "scxfarm/report/report.h"

namespace scxfarm::report {
namespace {

using internal::ConsoleLine;
using internal::contains;
using internal::starts_with;
using internal::trim;

// Where a report found out that it ends.
enum class EndRule {
  kMarker,     // "---[ end trace" / "---[ end Kernel panic"
  kTrace,      // first kernel line that is not part of a dump
  kOomKilled,  // the "Killed process" line
  kLoadLog,    // libbpf's load log and the libbpf lines that follow it
};

struct Start {
  Kind kind;
  std::string stem;  // title before " in <function>"
  std::string reason;
  std::string function;  // known from the start line itself (WARNING's caller)
  EndRule end;
};

constexpr std::string_view kCutHere = "------------[ cut here ]------------";
// Kernel lines that a marker-ended report may contain between dump lines
// before it is assumed to be over although its marker never came.
constexpr size_t kMaxForeignLines = 20;
// How far back a "cut here" line may be and still belong to a WARNING/BUG.
constexpr size_t kCutHereReach = 3;

bool is_error_exit_reason(std::string_view reason) {
  return reason == "runtime error" || reason == "scx_bpf_error" ||
         reason == "runnable task stall" || reason == "reenqueue limit" ||
         reason == "rescue bandwidth overload" || reason == "<UNKNOWN>";
}

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
    if (auto frame = internal::parse_frame(word)) return frame->function;
    if (end == std::string_view::npos) break;
    pos = end + 1;
  }
  return "";
}

// Text between the first '(' after `from` and its ')'.
std::string parenthesised(std::string_view text, size_t from = 0) {
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

// Lines that belong to a register/stack dump or to the report around it.
bool is_dump_line(std::string_view t) {
  if (t.empty()) return false;
  if (internal::parse_frame(t)) return true;
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

class Classifier {
 public:
  explicit Classifier(std::vector<ConsoleLine> lines) : lines_(std::move(lines)) {
    for (const ConsoleLine& l : lines_) has_timestamps_ = has_timestamps_ || l.kernel;
  }

  std::vector<Report> run() {
    for (size_t i = 0; i < lines_.size(); ++i) step(i);
    if (open_) {
      bool truncated = !open_complete_at_eof();
      if (truncated) open_->last = lines_.size() - 1;  // the cut trace runs to the end
      close(truncated);
    }
    return std::move(reports_);
  }

 private:
  struct Open {
    Start start;
    size_t first = 0;  // 0-based line index of the report's first line
    size_t last = 0;   // 0-based index of the last line that belonged to it
    bool trace_started = false;
    bool oops_line_seen = false;
    bool load_log_ended = false;
    bool saw_load_log = false;  // a verifier log, not only a libbpf complaint
    bool first_stack_done = false;
    bool in_task_dump = false;  // inside an RCU stall's dump of a sleeping task
    // A panic that printed what precedes its reboot or halt ("Kernel Offset:",
    // "Rebooting in"): with panic=-1 no "---[ end Kernel panic" line follows.
    bool panic_finished = false;
    size_t foreign_lines = 0;  // kernel non-dump lines since `last`
    std::string rip_function;
    std::string frame_function;
  };

  bool kernel(size_t i) const { return lines_[i].kernel || !has_timestamps_; }

  void step(size_t i) {
    std::string_view t = trim(lines_[i].text);
    if (handle_boot_banner(i, t)) return;
    if (starts_with(t, "EXIT: ")) {
      handle_scheduler_exit_line(i, t);
      return;
    }
    if (kernel(i) || starts_with(t, "libbpf: ")) {
      if (auto start = match_start(t)) {
        begin(i, std::move(*start));
        return;
      }
    }
    if (starts_with(t, "libbpf: ") && !open_) {
      recent_libbpf_line_ = std::string(t.substr(8));
      recent_libbpf_index_ = i;
    }
    if (open_) continue_open(i, t);
    if (kernel(i) && t == kCutHere) last_cut_here_ = i;
  }

  bool open_complete_at_eof() const {
    const Open& o = *open_;
    if (o.start.kind == Kind::kPanic) return o.panic_finished;
    bool trace_closed = trim(lines_[o.last].text) == "</TASK>";
    // BUG reports without an Oops ("scheduling while atomic") only dump a
    // stack: no "---[ end trace" follows their last frame.
    if (o.start.kind == Kind::kBug && !o.oops_line_seen) return trace_closed;
    return o.start.end == EndRule::kTrace && trace_closed;
  }

  // A second firmware or kernel banner after a boot that did not power down.
  bool handle_boot_banner(size_t i, std::string_view t) {
    if (contains(t, "reboot: Power down") || contains(t, "reboot: Restarting system") ||
        contains(t, "reboot: System halted")) {
      clean_shutdown_ = true;
      return false;
    }
    bool firmware = starts_with(t, "SeaBIOS (version") || contains(t, "SeaBIOS (version ");
    bool kernel_banner = kernel(i) && starts_with(t, "Linux version ");
    if (!firmware && !kernel_banner) return false;
    bool same_boot = kernel_banner && in_firmware_prologue_;
    in_firmware_prologue_ = firmware;
    if (same_boot) return true;
    if (booted_ && !clean_shutdown_) {
      if (open_) close(/*truncated=*/false);
      Report r;
      r.kind = Kind::kUnexpectedReboot;
      r.title = "unexpected reboot";
      r.start_line = r.end_line = i + 1;
      r.excerpt.push_back(std::string(t));
      push_report(std::move(r), /*exit_claimed=*/false);
    }
    booted_ = true;
    clean_shutdown_ = false;
    return true;
  }

  // scx_qmap and friends print "EXIT: <reason> (<msg>) on CPU N" when their
  // scheduler went away; it completes the kernel's report if there is one.
  void handle_scheduler_exit_line(size_t i, std::string_view t) {
    std::string_view rest = t.substr(6);
    size_t cut = std::min(rest.find(" ("), rest.find(" on CPU"));
    std::string reason(rest.substr(0, cut));
    if (!is_error_exit_reason(reason)) return;
    if (open_ && open_->start.kind == Kind::kSchedExtExit) close(/*truncated=*/false);
    for (size_t k = 0; k < reports_.size(); ++k) {
      Report& r = reports_[k];
      if (r.kind != Kind::kSchedExtExit || r.reason != reason || exit_claimed_[k]) continue;
      exit_claimed_[k] = true;
      r.end_line = i + 1;
      if (r.excerpt.size() < kMaxExcerptLines) r.excerpt.push_back(std::string(t));
      return;
    }
    if (open_) close(/*truncated=*/false);
    Report r;
    r.kind = Kind::kSchedExtExit;
    r.title = "sched_ext: scheduler disabled: " + reason;
    r.reason = reason;
    r.start_line = r.end_line = i + 1;
    r.excerpt.push_back(std::string(t));
    push_report(std::move(r), /*exit_claimed=*/true);
  }

  void begin(size_t i, Start start) {
    if (open_ && merges_into_open(i, start)) return;
    if (open_) close(/*truncated=*/false);
    Open o;
    o.first = o.last = i;
    if ((start.kind == Kind::kWarning || start.kind == Kind::kBug) && last_cut_here_ &&
        i - *last_cut_here_ <= kCutHereReach)
      o.first = *last_cut_here_;
    if (start.kind == Kind::kVerifierReject && !recent_libbpf_line_.empty() &&
        i - recent_libbpf_index_ <= 1)
      o.first = recent_libbpf_index_;
    o.oops_line_seen = starts_with(trim(lines_[i].text), "Oops: ");
    o.start = std::move(start);
    open_ = std::move(o);
    absorb(i, trim(lines_[i].text));
  }

  // Lines that look like a new report but continue the open one.
  bool merges_into_open(size_t i, const Start& start) {
    Open& o = *open_;
    std::string_view t = trim(lines_[i].text);
    bool oops_after_bug = start.kind == Kind::kOops && starts_with(t, "Oops: ") &&
                          (o.start.kind == Kind::kOops || o.start.kind == Kind::kBug) &&
                          !o.oops_line_seen && !o.trace_started;
    bool second_rcu_header = start.kind == Kind::kRcuStall && o.start.kind == Kind::kRcuStall;
    bool oom_killed = start.kind == Kind::kOomKill && o.start.kind == Kind::kOomKill &&
                      contains(t, "Killed process ");
    bool verifier_followup =
        start.kind == Kind::kVerifierReject && o.start.kind == Kind::kVerifierReject;
    if (!oops_after_bug && !second_rcu_header && !oom_killed && !verifier_followup) return false;
    if (oops_after_bug) o.oops_line_seen = true;
    o.last = i;
    absorb(i, t);
    if (oom_killed) close(false);
    return true;
  }

  void continue_open(size_t i, std::string_view t) {
    Open& o = *open_;
    switch (o.start.end) {
      case EndRule::kMarker:
        if (!kernel(i)) return;
        if (starts_with(t, "---[ end trace") || starts_with(t, "---[ end Kernel panic")) {
          o.last = i;
          close(false);
          return;
        }
        if (is_dump_line(t) || !o.trace_started) {
          o.last = i;
          o.foreign_lines = 0;
          absorb(i, t);
        } else if (++o.foreign_lines > kMaxForeignLines) {
          close(false);
        }
        return;
      case EndRule::kTrace:
        if (!kernel(i)) return;
        if (!is_dump_line(t)) {
          close(false);
          return;
        }
        o.last = i;
        absorb(i, t);
        return;
      case EndRule::kOomKilled:
        if (kernel(i)) o.last = i;
        absorb(i, t);
        if (contains(t, "Killed process ")) close(false);
        return;
      case EndRule::kLoadLog:
        if (!o.load_log_ended || starts_with(t, "libbpf: ")) {
          o.last = i;
          absorb(i, t);
          return;
        }
        close(false);
        return;
    }
  }

  // Collects what the report's title needs from one of its lines.
  void absorb(size_t, std::string_view t) {
    Open& o = *open_;
    if (starts_with(t, "Kernel Offset:") || starts_with(t, "Rebooting in "))
      o.panic_finished = true;
    if (starts_with(t, "Call Trace:")) o.trace_started = true;
    if (o.start.kind == Kind::kVerifierReject) {
      absorb_load_log(t);
      return;
    }
    if (o.start.kind == Kind::kOomKill) {
      size_t killed = t.find("Killed process ");
      if (killed != std::string_view::npos) {
        std::string comm = parenthesised(t, killed);
        o.start.reason = "Killed process (" + comm + ")";
      }
      return;
    }
    // Only the first stack counts: later ones belong to other tasks (the
    // owner of the lock a hung task waits for, NMI backtraces of other CPUs).
    if (o.first_stack_done) return;
    // An RCU stall also dumps the grace-period kthread ("task:rcu_preempt
    // state:I"), which only waits; the culprit is a stalled CPU's backtrace.
    if (o.start.kind == Kind::kRcuStall) {
      if (starts_with(t, "task:")) o.in_task_dump = true;
      if (o.in_task_dump) {
        if (t == "</TASK>") o.in_task_dump = false;
        return;
      }
    }
    if (t == "</TASK>") {
      o.first_stack_done = o.trace_started;
      return;
    }
    if (auto rip = internal::parse_rip(t)) {
      o.trace_started = true;
      // A hung task sleeps: its RIP, if any, is where it entered the kernel.
      if (o.rip_function.empty() && o.start.kind != Kind::kHungTask) o.rip_function = *rip;
      return;
    }
    if (auto frame = internal::parse_frame(t)) {
      o.trace_started = true;
      if (o.frame_function.empty() && frame->reliable &&
          !internal::is_skipped_frame(frame->function))
        o.frame_function = frame->function;
    }
  }

  // libbpf: prog 'qmap_enqueue': BPF program load failed: -EACCES
  // libbpf: prog 'qmap_enqueue': -- BEGIN PROG LOAD LOG --
  // ...verifier log...; the complaint is the last line before "processed N insns"
  // -- END PROG LOAD LOG --
  // libbpf: prog 'qmap_enqueue': failed to load: -EACCES
  // libbpf: failed to load BPF skeleton 'scx_qmap': -EACCES
  void absorb_load_log(std::string_view t) {
    Open& o = *open_;
    if (starts_with(t, "libbpf: prog '") && o.frame_function.empty()) {
      size_t q = t.find('\'', 14);
      if (q != std::string_view::npos) o.frame_function = std::string(t.substr(14, q - 14));
    }
    if (contains(t, "-- BEGIN PROG LOAD LOG --")) {
      in_load_log_ = true;
      return;
    }
    if (contains(t, "-- END PROG LOAD LOG --")) {
      in_load_log_ = false;
      o.load_log_ended = true;
      o.saw_load_log = true;
      if (o.start.reason.empty()) o.start.reason = verifier_complaint_;
      return;
    }
    if (in_load_log_) {
      absorb_verifier_line(t);
      return;
    }
    if (starts_with(t, "libbpf: ") && !contains(t, "failed to load") && !contains(t, "prog '")) {
      last_libbpf_error_ = std::string(t.substr(8));
    }
    if (starts_with(t, "libbpf: failed to load BPF skeleton")) {
      o.load_log_ended = true;
      size_t q = t.find('\'');
      size_t q2 = q == std::string_view::npos ? q : t.find('\'', q + 1);
      if (q2 != std::string_view::npos) skeleton_ = std::string(t.substr(q + 1, q2 - q - 1));
      if (o.start.reason.empty()) o.start.reason = last_libbpf_error_;
      if (o.start.reason.empty()) o.start.reason = recent_libbpf_line_;
      if (o.start.reason.empty()) o.start.reason = std::string(t.substr(t.rfind(':') + 1));
      o.start.reason = std::string(trim(o.start.reason));
    }
  }

  // Verifier logs (log_level 1) list the instructions walked, then the
  // complaint: "R0 invalid mem access 'map_value_or_null'". Newer kernels add
  // a "Verification failed:" explanation after it, and every log ends with
  // "processed N insns"; the complaint is the last line that directly follows
  // an instruction line before either of those.
  void absorb_verifier_line(std::string_view t) {
    if (verifier_log_done_) return;
    if (starts_with(t, "Verification failed") ||
        (starts_with(t, "processed ") && contains(t, " insns"))) {
      verifier_log_done_ = true;
      return;
    }
    bool instruction = starts_with(t, "; ") || t == ";" ||
                       (!t.empty() && t[0] >= '0' && t[0] <= '9' && contains(t, ": ")) ||
                       starts_with(t, "from ");
    if (instruction) {
      after_instruction_ = true;
    } else if (!t.empty() && after_instruction_) {
      verifier_complaint_ = std::string(t);
      after_instruction_ = false;
    }
  }

  void push_report(Report r, bool exit_claimed) {
    reports_.push_back(std::move(r));
    exit_claimed_.push_back(exit_claimed);
  }

  void close(bool truncated) {
    Open& o = *open_;
    Report r;
    r.kind = o.start.kind;
    r.reason = o.start.reason;
    r.function = !o.start.function.empty() ? o.start.function
                 : !o.rip_function.empty() ? o.rip_function
                                           : o.frame_function;
    if (r.kind == Kind::kOomKill) r.function.clear();
    r.title = title_of(r, o.start.stem, o.saw_load_log);
    r.start_line = o.first + 1;
    r.end_line = o.last + 1;
    r.truncated = truncated;
    for (size_t k = o.first; k <= o.last && r.excerpt.size() < kMaxExcerptLines; ++k) {
      if (!kernel(k) && r.kind != Kind::kVerifierReject) continue;
      r.excerpt.push_back(lines_[k].text);
    }
    push_report(std::move(r), /*exit_claimed=*/false);
    open_.reset();
    in_load_log_ = false;
    verifier_log_done_ = false;
    after_instruction_ = false;
    verifier_complaint_.clear();
    last_libbpf_error_.clear();
    skeleton_.clear();
    recent_libbpf_line_.clear();
  }

  std::string title_of(const Report& r, const std::string& stem, bool saw_load_log) const {
    std::string in_function = r.function.empty() ? "" : " in " + r.function;
    switch (r.kind) {
      case Kind::kPanic:
        return "Kernel panic - not syncing: " + r.reason;
      case Kind::kSchedExtExit:
        return stem;
      case Kind::kOomKill:
        return "Out of memory: " +
               (r.reason.empty() ? std::string("oom-killer invoked") : r.reason);
      case Kind::kVerifierReject:
        if (saw_load_log) return "bpf: verifier rejected prog '" + r.function + "': " + r.reason;
        if (!skeleton_.empty())
          return "bpf: failed to load skeleton '" + skeleton_ + "': " + r.reason;
        return "bpf: failed to load: " + r.reason;
      case Kind::kUnexpectedReboot:
        return "unexpected reboot";
      default:
        return stem + in_function;
    }
  }

  std::vector<ConsoleLine> lines_;
  bool has_timestamps_ = false;
  std::vector<Report> reports_;
  std::vector<bool> exit_claimed_;  // parallel to reports_
  std::optional<Open> open_;
  std::optional<size_t> last_cut_here_;
  bool booted_ = false;
  bool clean_shutdown_ = false;
  bool in_firmware_prologue_ = false;
  // Load-log parsing state of the open verifier report.
  bool in_load_log_ = false;
  bool verifier_log_done_ = false;
  bool after_instruction_ = false;
  std::string verifier_complaint_;
  std::string last_libbpf_error_;
  std::string skeleton_;
  std::string recent_libbpf_line_;  // the libbpf complaint before a report opened
  size_t recent_libbpf_index_ = 0;
};

}  // namespace

std::vector<Report> classify_console(std::string_view console) {
  return Classifier(internal::split_console(console)).run();
}

}  // namespace scxfarm::report
