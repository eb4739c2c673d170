#include "scxfarm/results/summary_text.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace scxfarm::results {

namespace {
// "  workload B-cpu (stress-ng in B, stopped): cpu.bogo_ops_per_s_real=712.3 ops_per_second ..."
std::string format_workload(const WorkloadSummary& w) {
  std::string out =
      fmt::format("  workload {} ({} in {}, {})", w.name, w.kind, w.cgroup,
                  w.stopped ? std::string("stopped") : fmt::format("exit {}", w.exit_code));
  if (!w.parse_error.empty()) return out + ": NOT PARSED: " + w.parse_error.substr(0, 200) + "\n";
  out += ":";
  for (const auto& [metric, value] : w.values) {
    auto unit = w.units.find(metric);
    out +=
        fmt::format(" {}={:g}{}", metric, value, unit == w.units.end() ? "" : " " + unit->second);
  }
  return out + "\n";
}

// "  run phase 52.3 s (declared 50.0 s): last churn op ended at t=49.1 s, settled at
//   t=52.2 s; churn detach-attach 1/1 (0 folded); samples 201 (3 folded, max late 310 ms)"
// t is the scenario's clock (from the run message, attaches included), as
// in the stream; the phase's own length is the first number.
std::string format_run_phase(const RunPhase& p) {
  if (!p.reported) return "";
  std::string out = fmt::format("  run phase {:.1f} s (declared {:.1f} s)", p.phase_ms / 1000.0,
                                p.duration_ms / 1000.0);
  if (p.last_churn_end_ms)
    out += fmt::format(": last churn op ended at t={:.1f} s", p.last_churn_end_ms / 1000.0);
  if (p.settled_at_ms)
    out += fmt::format(", settled at t={:.1f} s", p.settled_at_ms / 1000.0);
  else if (p.settle_timed_out)
    out += ", NO SETTLE (waited for " + p.waiting_for + ")";
  out += ";";
  for (const auto& [kind, t] : p.churn)
    out += fmt::format(" churn {} {}/{} applied ({} folded{})", kind, t.applied, t.scheduled,
                       t.folded, t.failed ? fmt::format(", {} failed", t.failed) : "");
  out += fmt::format("; samples {} ({} folded, max late {} ms)\n", p.samples_taken,
                     p.samples_folded, p.sample_max_late_ms);
  return out;
}
}  // namespace

std::string format_run(const RunSummary& r) {
  std::string out;
  out += fmt::format("run {}: {} — {}\n", r.run_id, to_string(r.outcome), r.reason);
  // A skipped run has no accelerator: it never booted.
  const std::string accel =
      r.accel.empty() ? ""
                      : ", " + r.accel + (r.tcg_threads.empty() ? "" : " thread=" + r.tcg_threads);
  out += fmt::format("  kernel {} ({}), topology {}, scenario {}, seed {}{}\n",
                     r.kernel_release.empty() ? r.kernel : r.kernel_release, r.kernel, r.topology,
                     r.scenario, r.seed, accel);
  if (r.outcome == Outcome::kSkipped) {  // no VM: nothing was measured
    if (!r.required_features.empty())
      out += "  requires " + fmt::format("{}", fmt::join(r.required_features, ", ")) + "\n";
    if (!r.run_dir.empty()) out += "  files: " + r.run_dir + "\n";
    return out;
  }
  out += fmt::format(
      "  boot to agent {:.1f} s (guest uptime {:.1f} s), scenario {:.1f} s, wall {:.1f} s\n",
      r.boot_to_agent_seconds, r.guest_uptime_at_hello, r.scenario_seconds, r.wall_seconds);
  uint64_t churn = 0;
  std::string churn_kinds;
  for (const auto& [kind, n] : r.churn_ops_by_kind) {
    churn += n;
    churn_kinds += fmt::format(" {}={}", kind, n);
  }
  out += fmt::format("  samples {}, churn operations {}{}{}, invariant violations {}\n", r.samples,
                     churn, churn_kinds,
                     r.churn_errors ? fmt::format(" ({} failed)", r.churn_errors) : "",
                     r.invariant_violations);
  out += format_run_phase(r.run_phase);
  for (const auto& s : r.schedulers) {
    out += fmt::format("  {:<12} {}", s.path,
                       s.attached ? fmt::format("attached in {:.1f} s", s.attach_seconds)
                                  : std::string("NOT ATTACHED"));
    for (double t : s.reattach_seconds) out += fmt::format(", re-attached in {:.1f} s", t);
    if (s.exited_unexpectedly) out += " EXITED UNEXPECTEDLY";
    out += "\n";
    for (const auto& [cap, cids] : s.caps_last) {
      out += fmt::format("      {:<9} last {:<10} held {:>2}, changed {} times, {} distinct sets\n",
                         cap, cids.empty() ? "-" : cids,
                         s.cids_held_last.count(cap) ? s.cids_held_last.at(cap) : 0,
                         s.caps_changes.count(cap) ? s.caps_changes.at(cap) : 0,
                         s.caps_distinct.count(cap) ? s.caps_distinct.at(cap) : 0);
    }
    std::string events;
    for (const auto& [event, delta] : s.event_deltas) {
      if (delta == 0 || event == "SCX_EV_BYPASS_DURATION") continue;
      std::string name = event.rfind("SCX_EV_", 0) == 0 ? event.substr(7) : event;
      events += fmt::format(" {}=+{}", name, delta);
    }
    if (!events.empty()) out += "      events" + events + "\n";
    if (s.reenq_cap || s.reenq_immed || s.inject_attempts || s.rescue_dispatches)
      out += fmt::format("      qmap reenq cap/immed {}/{} injections {} rescues {}\n", s.reenq_cap,
                         s.reenq_immed, s.inject_attempts, s.rescue_dispatches);
    if (s.exited_unexpectedly && !s.exit_reason.empty())
      out += "      exit: " + s.exit_reason.substr(0, 300) + "\n";
  }
  for (const auto& w : r.workloads) out += format_workload(w);
  for (const auto& f : r.failures) out += "  FAILED: " + f.text + "\n";
  for (const auto& c : r.console_reports) out += "  console: " + c + "\n";
  if (!r.crash_signature.empty()) out += "  crash signature: " + r.crash_signature + "\n";
  if (!r.run_dir.empty()) out += "  files: " + r.run_dir + "\n";
  return out;
}

std::string format_suite_table(const std::vector<RunSummary>& runs) {
  std::string out;
  size_t passed = 0, skipped = 0;
  for (const auto& r : runs) {
    if (r.outcome == Outcome::kPass) ++passed;
    if (r.outcome == Outcome::kSkipped) ++skipped;
    out += fmt::format("  {:<16} {:<40} {:>6.1f} s  {}\n", to_string(r.outcome), r.run_id,
                       r.wall_seconds, r.outcome == Outcome::kPass ? "" : r.reason.substr(0, 100));
  }
  out += fmt::format("{} passed, {} failed", passed, runs.size() - passed - skipped);
  if (skipped) out += fmt::format(", {} skipped (the kernel lacks a required feature)", skipped);
  return out + "\n";
}

}  // namespace scxfarm::results
