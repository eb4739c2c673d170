#include "scxfarm/oracle/report.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "scxfarm/common/fs.h"
#include "scxfarm/common/text.h"

namespace scxfarm::oracle {

namespace {

using nlohmann::json;
using results::Check;

std::string names(const std::vector<Check>& checks) {
  if (checks.empty()) return "none";
  std::vector<std::string_view> out;
  for (const auto c : checks) out.push_back(results::to_string(c));
  return text::join(out, ", ");
}

json names_json(const std::vector<Check>& checks) {
  json out = json::array();
  for (const auto c : checks) out.push_back(std::string(results::to_string(c)));
  return out;
}

// A verdict that fails the oracle is written in capitals, so it stands out.
std::string shown(std::string_view verdict, bool fails) {
  std::string out(verdict);
  if (fails) std::transform(out.begin(), out.end(), out.begin(), ::toupper);
  return out;
}

// What a mutant cell's row says after its verdict.
std::string cell_detail(const MutantCell& cell) {
  switch (cell.verdict) {
    case CellVerdict::kCaught: {
      std::vector<Check> named_fired;
      for (const auto c : cell.named)
        if (std::find(cell.fired.begin(), cell.fired.end(), c) != cell.fired.end())
          named_fired.push_back(c);
      const auto others = cell.others();
      return names(named_fired) + (others.empty() ? "" : "; also fired: " + names(others));
    }
    case CellVerdict::kMissed:
      return fmt::format("named {}; fired: {} ({})", names(cell.named), names(cell.fired),
                         cell.reason);
    case CellVerdict::kNotNamed:
      return "fired: " + names(cell.fired);
    case CellVerdict::kWaiting:  // what it waits for is on the mutant's own line
      return cell.fired.empty() ? "fired: none" : "fired anyway: " + names(cell.fired);
    case CellVerdict::kInvalid:
      return fmt::format("fired: {} ({})", names(cell.fired), cell.reason);
  }
  return "";
}

json run_json(const RunSeen& run) {
  return {{"run_id", run.run_id},
          {"topology", run.topology},
          {"repeat_index", run.repeat_index},
          {"outcome", std::string(results::to_string(run.outcome))},
          {"reason", run.reason},
          {"checks", names_json(run.checks)}};
}

json runs_json(const std::vector<RunSeen>& runs) {
  json out = json::array();
  for (const auto& run : runs) out.push_back(run_json(run));
  return out;
}

}  // namespace

std::string format_report(const OracleReport& report) {
  size_t width = 8;
  for (const auto& cell : report.stock) width = std::max(width, cell.scenario.size());
  for (const auto& mutant : report.mutants)
    for (const auto& cell : mutant.cells) width = std::max(width, cell.scenario.size());

  std::string out;
  std::map<std::string, int> counts;
  if (!report.stock.empty()) out += "stock kernels (every run must pass):\n";
  std::string kernel;
  for (const auto& cell : report.stock) {
    if (cell.kernel != kernel) out += "  " + (kernel = cell.kernel) + "\n";
    const bool fails = cell.verdict != StockVerdict::kPass;
    const std::string verdict = shown(to_string(cell.verdict), fails);
    out += fails
               ? fmt::format("    {:<{}}  {:<9}  {}\n", cell.scenario, width, verdict, cell.reason)
               : fmt::format("    {:<{}}  {}\n", cell.scenario, width, verdict);
    ++counts[fails ? "stock failed" : "stock passed"];
  }
  if (!report.mutants.empty())
    out += "mutants (caught: a check the header names fired; missed and invalid fail):\n";
  for (const auto& mutant : report.mutants) {
    out += fmt::format("  {}\n    breaks: {}\n", mutant.kernel, mutant.header.breaks);
    if (mutant.header.waiting()) out += "    waits for: " + mutant.header.waits_for + "\n";
    if (mutant.cells.empty()) out += "    (no runs)\n";
    for (const auto& cell : mutant.cells) {
      out += fmt::format("    {:<{}}  {:<9}  {}\n", cell.scenario, width,
                         shown(to_string(cell.verdict), cell.fails_oracle()), cell_detail(cell));
      ++counts[std::string(to_string(cell.verdict))];
    }
  }
  for (const auto& note : report.notes) out += "note: " + note + "\n";
  for (const auto& problem : report.problems) out += "PROBLEM: " + problem + "\n";
  std::vector<std::string> tally;
  for (const auto* name :
       {"stock passed", "stock failed", "caught", "missed", "invalid", "not-named", "waiting"})
    if (counts[name] > 0) tally.push_back(fmt::format("{} {}", counts[name], name));
  out += fmt::format("oracle {}: {} ({})\n", report.suite, report.holds() ? "HOLDS" : "FAILS",
                     tally.empty() ? "no cells" : text::join(tally, ", "));
  return out;
}

json to_json(const OracleReport& report) {
  json stock = json::array();
  for (const auto& cell : report.stock)
    stock.push_back({{"kernel", cell.kernel},
                     {"scenario", cell.scenario},
                     {"verdict", std::string(to_string(cell.verdict))},
                     {"reason", cell.reason},
                     {"runs", runs_json(cell.runs)}});
  json mutants = json::array();
  for (const auto& mutant : report.mutants) {
    json caught_by = json::array();
    for (const auto& c : mutant.header.caught_by)
      caught_by.push_back(
          {{"scenario", c.scenario}, {"check", std::string(results::to_string(c.check))}});
    json cells = json::array();
    for (const auto& cell : mutant.cells)
      cells.push_back({{"scenario", cell.scenario},
                       {"verdict", std::string(to_string(cell.verdict))},
                       {"named", names_json(cell.named)},
                       {"fired", names_json(cell.fired)},
                       {"others", names_json(cell.others())},
                       {"reason", cell.reason},
                       {"runs", runs_json(cell.runs)}});
    mutants.push_back({{"kernel", mutant.kernel},
                       {"patch", mutant.header.file.string()},
                       {"subject", mutant.header.subject},
                       {"breaks", mutant.header.breaks},
                       {"caught_by", caught_by},
                       {"waits_for", mutant.header.waits_for},
                       {"cells", cells}});
  }
  return {{"schema_version", kOracleSchemaVersion},
          {"suite", report.suite},
          {"holds", report.holds()},
          {"stock", stock},
          {"mutants", mutants},
          {"problems", report.problems},
          {"notes", report.notes}};
}

Status write_report_json(const std::filesystem::path& dir, const OracleReport& report) {
  return write_file_atomic(dir / kOracleFile, to_json(report).dump(2) + "\n");
}

}  // namespace scxfarm::oracle
