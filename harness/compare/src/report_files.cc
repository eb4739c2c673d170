// The report as JSON and as JUnit XML.
#include <fmt/format.h>

#include <cmath>

#include "scxfarm/common/fs.h"
#include "scxfarm/compare/report_output.h"

namespace scxfarm::compare {

namespace {

using nlohmann::json;

// NaN (an undefined relative number) becomes null.
json value(double v) {
  return std::isfinite(v) ? json(v) : json(nullptr);
}

json side_json(const SideSummary& s) {
  return {{"dir", s.dir},       {"suite", s.suite},
          {"kernel", s.kernel}, {"kernel_release", s.kernel_release},
          {"runs", s.runs},     {"repetitions", s.repetitions}};
}

json sample_json(const std::vector<double>& values, double center) {
  return {{"n", values.size()}, {"median", value(center)}, {"values", values}};
}

json metric_json(const MetricResult& m, const CompareOptions& options) {
  const auto& k = m.samples.key;
  json j = {{"topology", k.cell.topology},
            {"scenario", k.cell.scenario},
            {"workload", k.workload},
            {"metric", k.metric},
            {"unit", m.samples.unit},
            {"better", std::string(workloads::to_string(m.samples.better))},
            {"baseline", sample_json(m.samples.baseline, m.baseline_median)},
            {"candidate", sample_json(m.samples.candidate, m.candidate_median)},
            {"verdict", std::string(to_string(m.verdict))},
            {"verdict_text", verdict_text(m, options)},
            {"reason", m.reason},
            {"tested", m.tested},
            {"noise", value(m.noise)},
            {"mde", value(m.mde)},
            {"min_effect", m.min_effect},
            {"runs_needed", m.runs_needed ? json(*m.runs_needed) : json(nullptr)}};
  if (!m.samples.baseline.empty() && !m.samples.candidate.empty()) {
    j["shift"] = {{"estimate", m.shift.shift},
                  {"low", m.shift.low},
                  {"high", m.shift.high},
                  {"confidence", m.shift.confidence}};
    j["change"] = value(m.change);
    j["change_low"] = value(m.change_low);
    j["change_high"] = value(m.change_high);
    j["u"] = m.test.u;
    j["p"] = m.test.p;
    j["test"] = m.test.method == TestMethod::kExact ? "exact" : "normal";
    j["ties"] = m.test.ties;
  }
  j["q"] = m.tested ? value(m.q) : json(nullptr);
  return j;
}

json check_json(const CheckResult& c) {
  const auto& t = c.tally;
  return {{"topology", t.key.cell.topology},
          {"scenario", t.key.cell.scenario},
          {"check", t.key.check},
          {"subject", t.key.subject},
          {"baseline", {{"failed", t.baseline_failed}, {"runs", t.baseline_runs}}},
          {"candidate", {{"failed", t.candidate_failed}, {"runs", t.candidate_runs}}},
          {"verdict", std::string(to_string(c.verdict))},
          {"reason", c.reason},
          {"example", t.example}};
}

std::string xml_escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        // XML 1.0 allows no control characters but tab, newline, return.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r')
          out += ' ';
        else
          out += c;
    }
  }
  return out;
}

struct TestCase {
  std::string classname;  // the cell: "numa2x4.smoke-nested"
  std::string name;
  Verdict verdict;
  std::string message;  // the verdict as read
  std::string details;
};

std::string suite_xml(const std::string& name, const std::vector<TestCase>& cases) {
  size_t failures = 0, skipped = 0;
  for (const auto& c : cases) {
    failures += c.verdict == Verdict::kRegression;
    skipped += c.verdict == Verdict::kNotEnoughRuns;
  }
  std::string out = fmt::format(
      "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\">\n",
      xml_escape(name), cases.size(), failures, skipped);
  for (const auto& c : cases) {
    out += fmt::format("    <testcase classname=\"{}\" name=\"{}\">\n", xml_escape(c.classname),
                       xml_escape(c.name));
    if (c.verdict == Verdict::kRegression)
      out += fmt::format("      <failure type=\"regression\" message=\"{}\">{}</failure>\n",
                         xml_escape(c.message), xml_escape(c.details));
    else if (c.verdict == Verdict::kNotEnoughRuns)
      out += fmt::format("      <skipped message=\"{}\"/>\n", xml_escape(c.message));
    out += fmt::format("      <system-out>{}: {}</system-out>\n", xml_escape(c.message),
                       xml_escape(c.details));
    out += "    </testcase>\n";
  }
  return out + "  </testsuite>\n";
}

std::string classname(const Cell& cell) {
  return cell.topology + "." + cell.scenario;
}

}  // namespace

json report_json(const Report& report) {
  const auto& o = report.options;
  json j = {{"schema_version", kReportSchemaVersion},
            {"baseline", side_json(report.baseline)},
            {"candidate", side_json(report.candidate)},
            {"options",
             {{"fdr", o.fdr},
              {"min_effect", o.min_effect},
              {"min_effect_by_metric", o.min_effect_by_metric},
              {"target_effect", o.target_effect},
              {"power", o.power},
              {"confidence", o.confidence}}},
            {"checks", json::array()},
            {"metrics", json::array()},
            {"regression", report.has_regression()}};
  for (const auto& c : report.checks) j["checks"].push_back(check_json(c));
  for (const auto& m : report.metrics) j["metrics"].push_back(metric_json(m, o));
  json counts = json::object();
  for (auto v : {Verdict::kRegression, Verdict::kImprovement, Verdict::kNoChange,
                 Verdict::kNotEnoughRuns, Verdict::kFlaky})
    counts[std::string(to_string(v))] = report.count(v);
  j["counts"] = counts;
  return j;
}

std::string report_junit(const Report& report) {
  std::vector<TestCase> metrics, checks;
  for (const auto& m : report.metrics) {
    std::string details = fmt::format(
        "{}: baseline median {:.6g} (n={}), candidate median {:.6g} (n={}), change {:+.2f} % "
        "[{:+.2f}, {:+.2f}] %, q {:.3g}, MDE {:.2f} %; {}",
        m.samples.unit, m.baseline_median, m.samples.baseline.size(), m.candidate_median,
        m.samples.candidate.size(), m.change * 100, m.change_low * 100, m.change_high * 100, m.q,
        m.mde * 100, m.reason);
    metrics.push_back({classname(m.samples.key.cell), m.samples.key.name(), m.verdict,
                       verdict_text(m, report.options), details});
  }
  for (const auto& c : report.checks) {
    std::string verdict(to_string(c.verdict));
    checks.push_back({classname(c.tally.key.cell), c.tally.key.name(), c.verdict,
                      verdict + ": " + c.reason, c.tally.example});
  }
  const size_t tests = metrics.size() + checks.size();
  const size_t failures = report.count(Verdict::kRegression);
  const size_t skipped = report.count(Verdict::kNotEnoughRuns);
  return fmt::format(
             "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
             "<testsuites name=\"scxfarm compare\" tests=\"{}\" failures=\"{}\" errors=\"0\" "
             "skipped=\"{}\">\n",
             tests, failures, skipped) +
         suite_xml("checks", checks) + suite_xml("metrics", metrics) + "</testsuites>\n";
}

Status write_report_json(const std::filesystem::path& file, const Report& report) {
  return write_file_atomic(file, report_json(report).dump(2) + "\n");
}

Status write_report_junit(const std::filesystem::path& file, const Report& report) {
  return write_file_atomic(file, report_junit(report));
}

}  // namespace scxfarm::compare
