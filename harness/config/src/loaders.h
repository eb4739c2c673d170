// Per-kind parsing, shared by the public load_* functions, the repository
// and validate (private to the config library).
#pragma once

#include <filesystem>
#include <vector>

#include "reader.h"
#include "scxfarm/config/loader.h"
#include "scxfarm/config/model.h"

namespace scxfarm::config::detail {

// Each fills OUT from the file's top-level mapping, recording every problem.
void parse_kernel(const Field& root, Diagnostics& diag, KernelConfig& out);
void parse_topology(const Field& root, Diagnostics& diag, TopologyConfig& out);
void parse_scenario(const Field& root, Diagnostics& diag, ScenarioConfig& out);

// Where each name of a suite's lists was written, for reference errors found
// later by the repository.
struct SuiteRef {
  YAML::Mark mark;
  std::string path;  // "scenarios[1]"
};
struct SuiteMarks {
  std::vector<SuiteRef> kernels, topologies, scenarios;
};
void parse_suite(const Field& root, Diagnostics& diag, SuiteConfig& out, SuiteMarks& marks);

// Reads DIAG's file, checks its stem is a valid config name, sets OUT.file
// and runs PARSE, which sets the name; problems go to DIAG.
template <typename Config, typename Parse>
void parse_file(Diagnostics& diag, Config& out, Parse parse) {
  out.file = diag.file();
  std::string stem = diag.file().stem().string();
  if (!is_safe_name(stem, /*allow_dot=*/true)) {
    diag.file_error("file name '" + stem +
                    "' is not a valid config name (allowed characters: A-Z a-z 0-9 . _ -)");
  }
  if (auto root = load_mapping_document(diag)) parse(*root, diag, out);
}

// parse_file as a Result holding every problem found.
template <typename Config, typename Parse>
Result<Config> load_with(const std::filesystem::path& path, Parse parse) {
  Diagnostics diag(path);
  Config out;
  parse_file(diag, out, parse);
  if (!diag.ok()) return diag.to_error();
  return out;
}

}  // namespace scxfarm::config::detail
