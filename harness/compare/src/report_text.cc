// The terminal table of a comparison.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "scxfarm/compare/report_output.h"

namespace scxfarm::compare {

namespace {

using Row = std::vector<std::string>;

// Left-aligned columns two spaces apart; the last column runs free.
std::string table(const std::vector<Row>& rows) {
  std::vector<size_t> width;
  for (const auto& row : rows)
    for (size_t i = 0; i < row.size(); ++i) {
      if (width.size() <= i) width.push_back(0);
      width[i] = std::max(width[i], row[i].size());
    }
  std::string out;
  for (const auto& row : rows) {
    std::string line = " ";
    for (size_t i = 0; i < row.size(); ++i)
      line += " " + (i + 1 == row.size() ? row[i] : fmt::format("{:<{}}", row[i], width[i] + 1));
    out += line + "\n";
  }
  return out;
}

// VALUE in UNIT (run.json's unit names) as read: times in the unit that
// keeps them short ("32.24 ms"), rates as "/s".
std::string with_unit(double value, const std::string& unit) {
  if (std::isnan(value)) return "-";
  double seconds = 0;
  if (unit == "nanoseconds")
    seconds = value * 1e-9;
  else if (unit == "microseconds")
    seconds = value * 1e-6;
  else if (unit == "seconds")
    seconds = value;
  else if (unit == "ops_per_second")
    return fmt::format("{:.4g} ops/s", value);
  else
    return fmt::format("{:.4g} {}", value, unit);
  const double magnitude = std::abs(seconds);
  if (magnitude >= 1 || magnitude == 0) return fmt::format("{:.4g} s", seconds);
  if (magnitude >= 1e-3) return fmt::format("{:.4g} ms", seconds * 1e3);
  if (magnitude >= 1e-6) return fmt::format("{:.4g} us", seconds * 1e6);
  return fmt::format("{:.4g} ns", seconds * 1e9);
}

// The interval, with its achieved confidence when short of the asked one
// (few runs): "[+1.2, +3.4] %", "[-8.0, +9.1] % at 90 %".
std::string interval(const MetricResult& m, double asked) {
  // One run a side: the "interval" is the one difference, at no confidence.
  if (std::isnan(m.change_low) || m.shift.confidence <= 0) return "-";
  std::string text = fmt::format("[{:+.1f}, {:+.1f}] %", m.change_low * 100, m.change_high * 100);
  if (m.shift.confidence < asked - 1e-9)
    text += fmt::format(" at {:.0f} %", m.shift.confidence * 100);
  return text;
}

std::string signed_percent(double fraction) {
  return std::isnan(fraction) ? "-" : fmt::format("{:+.1f} %", fraction * 100);
}

std::string side_line(const char* role, const SideSummary& side) {
  return fmt::format("{} {}: suite {}, kernel {}{}, {} runs ({} per cell)\n", role, side.dir,
                     side.suite, side.kernel,
                     side.kernel_release.empty() ? "" : " (" + side.kernel_release + ")", side.runs,
                     side.repetitions);
}

std::string verdict_of(const CheckResult& c) {
  std::string text(to_string(c.verdict));
  std::replace(text.begin(), text.end(), '-', ' ');
  return text + ": " + c.reason;
}

}  // namespace

std::string format_report(const Report& report) {
  std::string out =
      side_line("baseline ", report.baseline) + side_line("candidate", report.candidate);

  if (!report.checks.empty()) {
    out += "\nchecks (a check that starts failing is a regression whatever the numbers say)\n";
    std::vector<Row> rows = {{"cell", "check", "baseline", "candidate", "verdict"}};
    for (const auto& c : report.checks)
      rows.push_back({c.tally.key.cell.name(), c.tally.key.name(),
                      fmt::format("{}/{} failed", c.tally.baseline_failed, c.tally.baseline_runs),
                      fmt::format("{}/{} failed", c.tally.candidate_failed, c.tally.candidate_runs),
                      verdict_of(c)});
    out += table(rows);
  }

  const auto& o = report.options;
  size_t tested = 0;
  for (const auto& m : report.metrics) tested += m.tested;
  out += fmt::format(
      "\nmetrics: change = Hodges-Lehmann shift / baseline median with its {:g} % CI; q = "
      "Benjamini-Hochberg\nover {} tested; flagged at q <= {:g} and |change| >= {:g} % (unless "
      "set per metric); MDE at power {:g}\n",
      o.confidence * 100, tested, o.fdr, o.min_effect * 100, o.power);
  if (report.metrics.empty()) {
    out += "  none: no run of either side reported a compared workload metric\n";
  } else {
    std::vector<Row> rows = {
        {"cell", "metric", "baseline", "candidate", "change", "CI", "q", "MDE", "verdict"}};
    for (const auto& m : report.metrics) {
      const auto& unit = m.samples.unit;
      rows.push_back(
          {m.samples.key.cell.name(), m.samples.key.name(),
           fmt::format("{} (n={})", with_unit(m.baseline_median, unit), m.samples.baseline.size()),
           fmt::format("{} (n={})", with_unit(m.candidate_median, unit),
                       m.samples.candidate.size()),
           signed_percent(m.change), interval(m, o.confidence),
           m.tested ? fmt::format("{:.2g}", m.q) : "-",
           std::isnan(m.mde) ? "-" : fmt::format("{:.1f} %", m.mde * 100), verdict_text(m, o)});
    }
    out += table(rows);
  }

  out += fmt::format(
      "\n{} regression(s), {} improvement(s), {} flaky, {} not enough runs, {} no change\n",
      report.count(Verdict::kRegression), report.count(Verdict::kImprovement),
      report.count(Verdict::kFlaky), report.count(Verdict::kNotEnoughRuns),
      report.count(Verdict::kNoChange));
  return out;
}

}  // namespace scxfarm::compare
