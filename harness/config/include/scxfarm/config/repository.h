// Name-based access to a configs/ directory:
//   kernel("debian-7.3-cloud") -> configs/kernels/debian-7.3-cloud.yaml
// and a suite resolved together with everything it references.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "scxfarm/common/result.h"
#include "scxfarm/config/loader.h"
#include "scxfarm/config/model.h"

namespace scxfarm::config {

// A suite and every config it names, all loaded and validated; the maps are
// keyed by name and hold exactly the names the suite lists.
struct ResolvedSuite {
  SuiteConfig suite;
  std::map<std::string, KernelConfig> kernels;
  std::map<std::string, TopologyConfig> topologies;
  std::map<std::string, ScenarioConfig> scenarios;
};

class ConfigRepository {
 public:
  explicit ConfigRepository(std::filesystem::path configs_dir);

  const std::filesystem::path& dir() const { return dir_; }

  // An unknown name is an error listing the available names.
  Result<KernelConfig> kernel(const std::string& name) const;
  Result<TopologyConfig> topology(const std::string& name) const;
  Result<ScenarioConfig> scenario(const std::string& name) const;
  Result<SuiteConfig> suite(const std::string& name) const;

  // NAME_OR_PATH is a suite name ("smoke") or a path to a suite file (it
  // contains a '/' or ends in .yaml/.yml). Errors from the suite and from
  // every referenced file are collected; a missing reference names the
  // suite's file:line:column and lists the available names.
  Result<ResolvedSuite> resolve_suite(const std::string& name_or_path) const;

  // Sorted names (file stems of *.yaml) of one kind.
  std::vector<std::string> names(ConfigKind kind) const;
  // Where a config of that kind and name lives (whether or not it exists).
  std::filesystem::path path_of(ConfigKind kind, const std::string& name) const;

 private:
  std::filesystem::path dir_;
};

}  // namespace scxfarm::config
