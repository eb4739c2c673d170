#include <algorithm>
#include <optional>
#include <system_error>

#include "loaders.h"
#include "scxfarm/config/repository.h"

namespace fs = std::filesystem;

namespace scxfarm::config {

std::string_view kind_directory(ConfigKind kind) {
  switch (kind) {
    case ConfigKind::kKernel:
      return "kernels";
    case ConfigKind::kTopology:
      return "topologies";
    case ConfigKind::kScenario:
      return "scenarios";
    case ConfigKind::kSuite:
      return "suites";
  }
  return "?";
}

std::string_view kind_name(ConfigKind kind) {
  switch (kind) {
    case ConfigKind::kKernel:
      return "kernel";
    case ConfigKind::kTopology:
      return "topology";
    case ConfigKind::kScenario:
      return "scenario";
    case ConfigKind::kSuite:
      return "suite";
  }
  return "?";
}

namespace {

constexpr ConfigKind kKinds[] = {ConfigKind::kKernel, ConfigKind::kTopology, ConfigKind::kScenario,
                                 ConfigKind::kSuite};

std::optional<ConfigKind> kind_of(const fs::path& file) {
  auto dir = file.parent_path().filename();
  if (dir.empty()) dir = fs::absolute(file).parent_path().filename();
  for (auto kind : kKinds) {
    if (dir == kind_directory(kind)) return kind;
  }
  return std::nullopt;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

template <typename T>
std::vector<std::string> errors_of(const Result<T>& r) {
  return r.ok() ? std::vector<std::string>{} : split_lines(r.error().message);
}

FileReport validate_file(const fs::path& file) {
  FileReport report{file};
  auto kind = kind_of(file);
  if (!kind) {
    report.errors.push_back(file.string() +
                            ": cannot tell the kind of config: it must be in a directory named "
                            "kernels, topologies, scenarios or suites");
    return report;
  }
  switch (*kind) {
    case ConfigKind::kKernel:
      report.errors = errors_of(load_kernel(file));
      break;
    case ConfigKind::kTopology:
      report.errors = errors_of(load_topology(file));
      break;
    case ConfigKind::kScenario:
      report.errors = errors_of(load_scenario(file));
      break;
    case ConfigKind::kSuite: {
      // The configs directory is the one holding suites/.
      fs::path configs = fs::absolute(file).parent_path().parent_path();
      report.errors = errors_of(ConfigRepository(configs).resolve_suite(file.string()));
      break;
    }
  }
  report.ok = report.errors.empty();
  return report;
}

}  // namespace

std::vector<FileReport> validate_paths(const std::vector<fs::path>& paths) {
  std::vector<FileReport> reports;
  for (const auto& path : paths) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      std::vector<fs::path> files;
      for (const auto& entry : fs::recursive_directory_iterator(path, ec)) {
        if (entry.is_regular_file() && entry.path().extension() == ".yaml") {
          files.push_back(entry.path());
        }
      }
      std::sort(files.begin(), files.end());
      for (const auto& file : files) reports.push_back(validate_file(file));
      if (files.empty()) reports.push_back({path, false, {path.string() + ": no *.yaml files"}});
    } else if (fs::exists(path, ec)) {
      reports.push_back(validate_file(path));
    } else {
      reports.push_back({path, false, {path.string() + ": no such file or directory"}});
    }
  }
  return reports;
}

std::string format_report(const FileReport& report) {
  if (report.ok) return report.path.string() + ": OK";
  return detail::join(report.errors, "\n");
}

}  // namespace scxfarm::config
