// `scxfarm oracle RESULTS_DIR`: a finished suite of stock and mutant kernels
// judged against the kernels' configs and mutant headers (harness/oracle
// does the work; this reads the inputs, prints the table, writes oracle.json
// and maps the verdict to the exit code).
#pragma once

#include <CLI/CLI.hpp>
#include <filesystem>

#include "commands.h"
#include "exit_code.h"

namespace scxfarm::cli {

struct OracleCommandOptions {
  std::filesystem::path results_dir;  // a finished suite's directory (suite.json)
  bool json = false;                  // --json: print oracle.json's content instead of the table
};

// The subcommand and its flags on APP, parsed into OPTIONS.
CLI::App* add_oracle_command(CLI::App& app, OracleCommandOptions& options);

// 0 the oracle holds, 1 it does not, 2 unusable input (no suite.json, a
// kernel config or mutant header that does not load, oracle.json unwritable).
ExitCode cmd_oracle(const GlobalOptions& global, const OracleCommandOptions& options);

}  // namespace scxfarm::cli
