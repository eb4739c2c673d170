// Strict loading of the YAML files under configs/.
//
// Every loader rejects unknown keys, wrong types, out-of-range values and
// duplicate names, and reports ALL problems of a file in one Error, one per
// line, as
//   FILE:LINE:COLUMN: FIELD.PATH: what is wrong (allowed: ...)
// with 1-based lines and columns. A config's name is its file stem
// (configs/topologies/numa2x4.yaml is topology "numa2x4"); the files carry
// no name key. The schema of each kind is documented in configs/README.md.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "scxfarm/common/result.h"
#include "scxfarm/config/model.h"

namespace scxfarm::config {

Result<KernelConfig> load_kernel(const std::filesystem::path& path);
Result<TopologyConfig> load_topology(const std::filesystem::path& path);
Result<ScenarioConfig> load_scenario(const std::filesystem::path& path);
// Loads the suite file alone; ConfigRepository::resolve_suite also checks
// that every kernel/topology/scenario it names exists and is valid.
Result<SuiteConfig> load_suite(const std::filesystem::path& path);

// The four kinds of config, each in its own directory under configs/.
enum class ConfigKind { kKernel, kTopology, kScenario, kSuite };
std::string_view kind_directory(ConfigKind kind);  // "kernels", "topologies", ...
std::string_view kind_name(ConfigKind kind);       // "kernel", "topology", ...

// For `scxfarm validate PATH...`. A file's kind comes from the name of its
// directory (kernels/, topologies/, scenarios/, suites/), the same rule the
// repository uses, so a file cannot claim one kind and live in another's
// directory. A directory argument is searched recursively for *.yaml/*.yml
// files. A suite is also resolved against the configs directory above its
// suites/ directory, so missing references are reported.
struct FileReport {
  std::filesystem::path path;
  bool ok = false;
  std::vector<std::string> errors;  // "FILE:LINE:COL: ..." lines; empty when ok
};
std::vector<FileReport> validate_paths(const std::vector<std::filesystem::path>& paths);
// "PATH: OK", or the error lines.
std::string format_report(const FileReport& report);

}  // namespace scxfarm::config
