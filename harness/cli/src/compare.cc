#include "compare.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <charconv>
#include <iostream>
#include <set>

#include "scxfarm/compare/report_output.h"
#include "scxfarm/compare/suite_pair.h"
#include "scxfarm/workloads/metric_catalog.h"

namespace scxfarm::cli {

namespace {

std::set<std::string> compared_metric_names() {
  std::set<std::string> names;
  for (const auto& spec : workloads::metric_catalog())
    if (spec.compared) names.insert(std::string(spec.name));
  return names;
}

std::optional<double> percent(std::string_view text) {
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !(value >= 0) || value > 1000)
    return std::nullopt;
  return value;
}

}  // namespace

Result<compare::CompareOptions> compare_options(const CompareCommandOptions& flags) {
  compare::CompareOptions options;
  options.min_effect = flags.min_effect_percent / 100;
  options.target_effect = flags.target_effect_percent / 100;
  options.fdr = flags.fdr;
  const auto names = compared_metric_names();
  for (const auto& item : flags.min_effect_of) {
    const size_t eq = item.find('=');
    const std::string name = item.substr(0, eq);
    const auto value = eq == std::string::npos ? std::nullopt : percent(item.substr(eq + 1));
    if (!value)
      return make_error(
          fmt::format("--min-effect-of '{}': expected METRIC=PERCENT, e.g. latency_p99=10", item));
    if (!names.contains(name))
      return make_error(fmt::format("--min-effect-of '{}': unknown metric '{}' (compared: {})",
                                    item, name, fmt::join(names, ", ")));
    options.min_effect_by_metric[name] = *value / 100;
  }
  return options;
}

ExitCode cmd_compare(const CompareCommandOptions& flags) {
  auto options = compare_options(flags);
  if (!options) {
    spdlog::error("compare: {}", options.error().message);
    return ExitCode::kUsage;
  }
  auto pair = compare::load_suite_pair(flags.baseline_dir, flags.candidate_dir);
  if (!pair) {
    spdlog::error("compare: unusable input: {}", pair.error().message);
    return kUnusableInput;
  }
  const auto report = compare::compare_suites(*pair, *options);
  std::cout << compare::format_report(report) << std::flush;

  bool written = true;
  if (!flags.json_file.empty())
    if (auto status = compare::write_report_json(flags.json_file, report); !status) {
      spdlog::error("compare: --json: {}", status.error().message);
      written = false;
    }
  if (!flags.junit_file.empty())
    if (auto status = compare::write_report_junit(flags.junit_file, report); !status) {
      spdlog::error("compare: --junit: {}", status.error().message);
      written = false;
    }
  if (!written) return kUnusableInput;
  return report.has_regression() ? kRegression : ExitCode::kPass;
}

}  // namespace scxfarm::cli
