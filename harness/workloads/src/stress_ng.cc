#include "scxfarm/workloads/parsers.h"
#include "text.h"

namespace scxfarm::workloads {

// A metrics row: "stress-ng: metrc: [PID] NAME OPS REAL USR SYS RATE_REAL RATE_USR_SYS [...]".
// The two header rows ("stressor bogo ops ...", "(secs) (secs) ...") and
// --metrics' extra rows fail the numeric checks and are skipped.
Result<WorkloadResult> parse_stress_ng(std::string_view output) {
  WorkloadResult r{.kind = protocol::WorkloadKind::kStressNg};
  size_t metric_lines = 0, stressors = 0;
  for (std::string_view line : detail::lines_of(output)) {
    const size_t tag = line.find("stress-ng: metrc:");
    if (tag == std::string_view::npos) continue;
    ++metric_lines;
    line.remove_prefix(tag + 17);
    const size_t pid_end = line.find(']');
    if (pid_end != std::string_view::npos) line.remove_prefix(pid_end + 1);
    auto w = detail::words_of(line);
    if (w.size() < 7 || detail::number(w[0])) continue;
    double v[6];
    bool ok = true;
    for (int i = 0; i < 6 && ok; ++i) {
      auto n = detail::number(w[static_cast<size_t>(i) + 1]);
      ok = n.has_value();
      if (ok) v[i] = *n;
    }
    if (!ok) continue;
    const std::string s(w[0]);
    r.set(s + ".bogo_ops", v[0]);
    r.set(s + ".real_time", v[1]);
    r.set(s + ".usr_time", v[2]);
    r.set(s + ".sys_time", v[3]);
    r.set(s + ".bogo_ops_per_s_real", v[4]);
    r.set(s + ".bogo_ops_per_s_usr_sys", v[5]);
    ++stressors;
  }
  if (stressors == 0) {
    return make_error(
        metric_lines == 0
            ? "stress-ng: no 'stress-ng: metrc:' lines in the output (the scenario must pass "
              "--metrics-brief or --metrics; " +
                  detail::excerpt(output) + ")"
            : "stress-ng: 'metrc:' lines but no stressor row of 6 numbers (" +
                  detail::excerpt(output) + ")");
  }
  return r;
}

}  // namespace scxfarm::workloads
