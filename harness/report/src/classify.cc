// The classifier walks the console once. At most one report is open at a
// time; a report closes at its end marker ("---[ end trace"), when the next
// report starts, or, for reports without a marker (lockups, stalls, hung
// tasks, sched_ext exits), at the first kernel line that is not part of a
// crash dump. What a single line means (report starts, dump lines, end
// markers) is in line_patterns.cc; this file only decides how lines combine.
#include <optional>

#include "console_text.h"
#include "line_patterns.h"
#include "scxfarm/report/report.h"

namespace scxfarm::report {
namespace {

using internal::ConsoleLine;
using internal::contains;
using internal::EndRule;
using internal::kCutHere;
using internal::Start;
using internal::starts_with;
using internal::trim;

// Kernel lines that a marker-ended report may contain between dump lines
// before it is assumed to be over although its marker never came.
constexpr size_t kMaxForeignLines = 20;
// How far back a "cut here" line may be and still belong to a WARNING/BUG.
constexpr size_t kCutHereReach = 3;

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
      if (auto start = internal::match_start(t)) {
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
    if (internal::is_clean_shutdown(t)) {
      clean_shutdown_ = true;
      return false;
    }
    bool firmware = internal::is_firmware_banner(t);
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
    std::string reason = internal::exit_line_reason(t);
    if (!internal::is_error_exit_reason(reason)) return;
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
        if (internal::is_end_marker(t)) {
          o.last = i;
          close(false);
          return;
        }
        if (internal::is_dump_line(t) || !o.trace_started) {
          o.last = i;
          o.foreign_lines = 0;
          absorb(i, t);
        } else if (++o.foreign_lines > kMaxForeignLines) {
          close(false);
        }
        return;
      case EndRule::kTrace:
        if (!kernel(i)) return;
        if (!internal::is_dump_line(t)) {
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
    if (internal::is_panic_epilogue(t)) o.panic_finished = true;
    if (starts_with(t, "Call Trace:")) o.trace_started = true;
    if (o.start.kind == Kind::kVerifierReject) {
      absorb_load_log(t);
      return;
    }
    if (o.start.kind == Kind::kOomKill) {
      size_t killed = t.find("Killed process ");
      if (killed != std::string_view::npos) {
        std::string comm = internal::parenthesised(t, killed);
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
    if (o.frame_function.empty()) {
      if (auto prog = internal::libbpf_prog_name(t)) o.frame_function = std::move(*prog);
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
      if (auto name = internal::libbpf_skeleton_name(t)) skeleton_ = std::move(*name);
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
    if (internal::ends_verifier_complaints(t)) {
      verifier_log_done_ = true;
      return;
    }
    if (internal::is_verifier_instruction(t)) {
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
