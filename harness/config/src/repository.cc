#include "scxfarm/config/repository.h"

#include <algorithm>
#include <system_error>

#include "loaders.h"

namespace fs = std::filesystem;

namespace scxfarm::config {

namespace {

Result<fs::path> find_named(const ConfigRepository& repo, ConfigKind kind, const std::string& name);

bool looks_like_path(const std::string& s) {
  auto ext = fs::path(s).extension();
  return s.find('/') != std::string::npos || ext == ".yaml" || ext == ".yml";
}

// Loads the referenced configs of one kind into OUT; a missing name is an
// error at the suite's line, a broken file adds that file's own errors.
template <typename Config, typename Load>
void resolve_refs(const ConfigRepository& repo, ConfigKind kind,
                  const std::vector<std::string>& names, const std::vector<detail::SuiteRef>& refs,
                  Load load, detail::Diagnostics& diag, std::vector<std::string>& file_errors,
                  std::map<std::string, Config>& out) {
  for (size_t i = 0; i < names.size() && i < refs.size(); ++i) {
    auto path = find_named(repo, kind, names[i]);
    if (!path.ok()) {
      diag.error(refs[i].mark, refs[i].path, path.error().message);
      continue;
    }
    auto loaded = load(*path);
    if (loaded.ok()) {
      out.emplace(names[i], std::move(*loaded));
    } else {
      file_errors.push_back(loaded.error().message);
    }
  }
}

}  // namespace

ConfigRepository::ConfigRepository(fs::path configs_dir) : dir_(std::move(configs_dir)) {}

fs::path ConfigRepository::path_of(ConfigKind kind, const std::string& name) const {
  return dir_ / kind_directory(kind) / (name + ".yaml");
}

std::vector<std::string> ConfigRepository::names(ConfigKind kind) const {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir_ / kind_directory(kind), ec)) {
    if (entry.path().extension() == ".yaml" && entry.is_regular_file(ec)) {
      out.push_back(entry.path().stem().string());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

namespace {

// The file of NAME, or an error listing the names that do exist.
Result<fs::path> find_named(const ConfigRepository& repo, ConfigKind kind,
                            const std::string& name) {
  fs::path path = repo.path_of(kind, name);
  std::error_code ec;
  if (detail::is_safe_name(name, /*allow_dot=*/true) && fs::is_regular_file(path, ec)) return path;
  auto available = repo.names(kind);
  return make_error("no " + std::string(kind_name(kind)) + " named '" + name + "' in " +
                    (repo.dir() / kind_directory(kind)).string() +
                    " (available: " + (available.empty() ? "none" : detail::join(available)) + ")");
}

template <typename Config, typename Load>
Result<Config> load_named(const ConfigRepository& repo, ConfigKind kind, const std::string& name,
                          Load load) {
  auto path = find_named(repo, kind, name);
  if (!path.ok()) return path.error();
  return load(*path);
}

}  // namespace

Result<KernelConfig> ConfigRepository::kernel(const std::string& name) const {
  return load_named<KernelConfig>(*this, ConfigKind::kKernel, name, load_kernel);
}
Result<TopologyConfig> ConfigRepository::topology(const std::string& name) const {
  return load_named<TopologyConfig>(*this, ConfigKind::kTopology, name, load_topology);
}
Result<ScenarioConfig> ConfigRepository::scenario(const std::string& name) const {
  return load_named<ScenarioConfig>(*this, ConfigKind::kScenario, name, load_scenario);
}
Result<SuiteConfig> ConfigRepository::suite(const std::string& name) const {
  return load_named<SuiteConfig>(*this, ConfigKind::kSuite, name, load_suite);
}

Result<ResolvedSuite> ConfigRepository::resolve_suite(const std::string& name_or_path) const {
  fs::path path = name_or_path;
  if (!looks_like_path(name_or_path)) {
    auto found = find_named(*this, ConfigKind::kSuite, name_or_path);
    if (!found.ok()) return found.error();
    path = *found;
  }

  detail::Diagnostics diag(path);
  ResolvedSuite out;
  detail::SuiteMarks refs;
  detail::parse_file(diag, out.suite,
                     [&](const detail::Field& root, detail::Diagnostics& d, SuiteConfig& s) {
                       detail::parse_suite(root, d, s, refs);
                     });
  std::vector<std::string> file_errors;
  resolve_refs(*this, ConfigKind::kKernel, out.suite.kernels, refs.kernels, load_kernel, diag,
               file_errors, out.kernels);
  resolve_refs(*this, ConfigKind::kTopology, out.suite.topologies, refs.topologies, load_topology,
               diag, file_errors, out.topologies);
  resolve_refs(*this, ConfigKind::kScenario, out.suite.scenarios, refs.scenarios, load_scenario,
               diag, file_errors, out.scenarios);
  if (diag.ok() && file_errors.empty()) return out;
  auto lines = diag.lines();
  lines.insert(lines.end(), file_errors.begin(), file_errors.end());
  return make_error(detail::join(lines, "\n"));
}

}  // namespace scxfarm::config
