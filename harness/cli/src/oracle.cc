#include "oracle.h"

#include <spdlog/spdlog.h>

#include <iostream>

#include "scxfarm/config/repository.h"
#include "scxfarm/oracle/inputs.h"
#include "scxfarm/oracle/report.h"
#include "scxfarm/results/result_files.h"

namespace scxfarm::cli {

CLI::App* add_oracle_command(CLI::App& app, OracleCommandOptions& options) {
  auto* cmd = app.add_subcommand(
      "oracle",
      "Judge a finished suite of stock and mutant kernels (configs/suites/oracle.yaml): the\n"
      "stock kernels must pass every run, every mutant must be caught by the checks its header\n"
      "names. Prints the table, writes RESULTS_DIR/oracle.json. Exit 0 it holds, 1 it does\n"
      "not, 2 unusable input (kernel configs are read from --configs).");
  cmd->add_option("results_dir", options.results_dir, "Suite results directory")
      ->required()
      ->check(CLI::ExistingDirectory);
  cmd->add_flag("--json", options.json, "Print the verdict as JSON (oracle.json's content)");
  return cmd;
}

ExitCode cmd_oracle(const GlobalOptions& global, const OracleCommandOptions& options) {
  auto record = results::read_finished_suite(options.results_dir);
  if (!record) {
    spdlog::error("oracle: unusable input: {}", record.error().message);
    return kUnusableInput;
  }
  const config::ConfigRepository repo(global.configs_dir);
  auto plan = oracle::plan_for_results(repo, *record);
  if (!plan) {
    spdlog::error("oracle: unusable input: {}", plan.error().message);
    return kUnusableInput;
  }
  const auto report = oracle::evaluate(*plan, record->runs);
  if (options.json)
    std::cout << oracle::to_json(report).dump(2) << "\n";
  else
    std::cout << oracle::format_report(report);
  std::cout << std::flush;
  if (auto written = oracle::write_report_json(options.results_dir, report); !written) {
    spdlog::error("oracle: {}", written.error().message);
    return kUnusableInput;
  }
  return report.holds() ? ExitCode::kPass : kOracleFails;
}

}  // namespace scxfarm::cli
