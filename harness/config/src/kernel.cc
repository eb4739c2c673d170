#include <algorithm>
#include <array>

#include "loaders.h"

namespace scxfarm::config {

namespace detail {

namespace {

// Debian package names and versions (Debian Policy 5.6.1, 5.6.12).
bool is_package_name(const std::string& s) {
  return s.size() >= 2 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '-' ||
                  c == '.';
         });
}
bool is_package_version(const std::string& s) {
  return !s.empty() && s[0] >= '0' && s[0] <= '9' && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' ||
           c == '-' || c == '.' || c == '~' || c == ':';
  });
}

using Source = KernelConfig::Source;

// Which sources each key belongs to; naming a key under another source is a
// mistake the loader reports with the sources that do take it.
struct KeyRule {
  std::string_view key;
  std::vector<Source> sources;
};
const std::vector<KeyRule> kSourceKeys = {
    {"binary_package", {Source::kDebian}},
    {"source_package", {Source::kDebian, Source::kBuild}},
    {"version", {Source::kDebian, Source::kBuild}},
    {"image", {Source::kImage}},
    {"vmlinux", {Source::kImage}},
    {"tree", {Source::kImage, Source::kBuild}},
    {"patches", {Source::kBuild}},
    {"fragments", {Source::kBuild}},
};

bool takes(std::string_view key, Source source) {
  for (const auto& rule : kSourceKeys) {
    if (rule.key == key)
      return std::find(rule.sources.begin(), rule.sources.end(), source) != rule.sources.end();
  }
  return true;
}

std::string sources_taking(std::string_view key) {
  std::vector<std::string> names;
  for (const auto& rule : kSourceKeys) {
    if (rule.key != key) continue;
    for (Source s : rule.sources) names.emplace_back(to_string(s));
  }
  return join(names);
}

// Kernel command-line parameters a kernel config may add: the farm owns the
// rest (console=, panic=, rdinit=, quiet and the root setup are what the
// host<->guest contract relies on). A name ending in '.' allows every
// parameter of that module ("sched_ext.slice_bypass_us=1000").
constexpr std::array<std::string_view, 24> kAllowedCmdline = {
    "nokaslr",
    "lpj",
    "loglevel",
    "mitigations",
    "nosmt",
    "isolcpus",
    "nohz_full",
    "rcu_nocbs",
    "threadirqs",
    "preempt",
    "tsc",
    "clocksource",
    "nmi_watchdog",
    "hung_task_panic",
    "softlockup_panic",
    "no_hash_pointers",
    "ftrace",
    "trace_event",
    "initcall_debug",
    "sched_ext.",
    "rcupdate.",
    "printk.",
    "workqueue.",
    "debug_pagealloc",
};

// Why WORD may not be appended to the kernel command line, or "".
std::string cmdline_refusal(const std::string& word) {
  if (word.empty() || word.find_first_of(" \t\n") != std::string::npos)
    return "must be one non-empty word (use one list item per parameter)";
  for (char c : word) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '.' || c == '-' || c == '=' || c == ',' || c == ':';
    if (!ok) return std::string("has '") + c + "' (allowed characters: A-Z a-z 0-9 _ . - = , :)";
  }
  const std::string name = word.substr(0, word.find('='));
  for (std::string_view allowed : kAllowedCmdline) {
    if (allowed.back() == '.' ? name.rfind(allowed, 0) == 0 && name.size() > allowed.size()
                              : name == allowed)
      return "";
  }
  std::vector<std::string> names(kAllowedCmdline.begin(), kAllowedCmdline.end());
  for (auto& n : names)
    if (n.back() == '.') n += "*";
  return "sets '" + name + "', which a kernel config may not set (allowed: " + join(names) +
         "; the farm sets console=, panic=, quiet and rdinit= itself)";
}

enum class PathKind { kFile, kDirectory, kFileOrDirectory };

// A path field: relative to the kernel file's directory; it must exist now,
// at load (and so at `validate`) time, not halfway through a suite.
std::optional<std::filesystem::path> read_path(const Field& f, Diagnostics& diag, PathKind kind) {
  auto s = as_string(f, diag);
  if (!s) return std::nullopt;
  if (s->empty()) {
    diag.error(f.mark, f.path, "must be a path (absolute, or relative to this file)");
    return std::nullopt;
  }
  auto path = (diag.file().parent_path() / *s).lexically_normal();
  std::error_code ec;
  const bool is_dir = std::filesystem::is_directory(path, ec);
  const bool is_file = std::filesystem::is_regular_file(path, ec);
  const char* want = kind == PathKind::kFile        ? "a file"
                     : kind == PathKind::kDirectory ? "a directory"
                                                    : "a file or a directory";
  const bool ok = kind == PathKind::kFile        ? is_file
                  : kind == PathKind::kDirectory ? is_dir
                                                 : (is_file || is_dir);
  if (!ok) {
    diag.error(f.mark, f.path,
               "'" + path.string() + "' " +
                   (is_dir || is_file ? std::string("is not ") + want : "does not exist") +
                   " (expected " + want + "; relative paths start at this file's directory)");
    return std::nullopt;
  }
  return path;
}

}  // namespace

void parse_kernel(const Field& root, Diagnostics& diag, KernelConfig& out) {
  out.name = diag.file().stem().string();
  FieldReader r(root, diag);
  const bool source_ok = r.read_choice("source", out.source, kKernelSourceSpellings);

  // A key of another source is an error naming the sources that take it.
  auto get = [&](std::string_view key) -> std::optional<Field> {
    auto f = r.get(key);
    if (!f) return std::nullopt;
    if (source_ok && !takes(key, out.source)) {
      diag.error(f->mark, f->path,
                 "not allowed with source: " + std::string(to_string(out.source)) +
                     " (allowed with source: " + sources_taking(key) + ")");
      return std::nullopt;
    }
    return f;
  };
  auto missing = [&](std::string_view what) {
    if (source_ok) {
      diag.error(root.mark, "",
                 "missing required key " + std::string(what) +
                     " (needed by source: " + std::string(to_string(out.source)) + ")");
    }
  };
  auto package_field = [&](std::string_view key, std::string& value, bool version) {
    auto f = get(key);
    if (!f) return false;
    if (auto s = as_string(*f, diag)) value = *s;
    if (version && !is_package_version(value)) {
      diag.error(f->mark, f->path,
                 "'" + value + "' is not a Debian version (a digit, then A-Z a-z 0-9 + - . ~ :)");
    } else if (!version && !is_package_name(value)) {
      diag.error(f->mark, f->path,
                 "'" + value + "' is not a Debian package name (allowed: a-z 0-9 + - .)");
    }
    return true;
  };
  auto path_list = [&](std::string_view key, PathKind kind) {
    std::vector<std::filesystem::path> paths;
    if (auto f = get(key)) {
      for (const auto& item : as_sequence(*f, diag).value_or(std::vector<Field>{})) {
        if (auto p = read_path(item, diag, kind)) paths.push_back(*p);
      }
    }
    return paths;
  };

  const bool has_binary = package_field("binary_package", out.binary_package, false);
  const bool has_source = package_field("source_package", out.source_package, false);
  const bool has_version = package_field("version", out.version, true);
  std::optional<Field> tree_field = get("tree");
  if (tree_field) {
    if (auto p = read_path(*tree_field, diag, PathKind::kDirectory)) out.tree = *p;
  }
  if (auto f = get("image")) {
    if (auto p = read_path(*f, diag, PathKind::kFile)) out.image = *p;
  } else if (out.source == Source::kImage) {
    missing("'image'");
  }
  if (auto f = get("vmlinux")) {
    if (auto p = read_path(*f, diag, PathKind::kFile)) out.vmlinux = *p;
  }
  out.patches = path_list("patches", PathKind::kFileOrDirectory);
  out.fragments = path_list("fragments", PathKind::kFile);

  switch (out.source) {
    case Source::kDebian:
      if (!has_binary) missing("'binary_package'");
      if (!has_source) missing("'source_package'");
      if (!has_version) missing("'version'");
      break;
    case Source::kImage:
      if (!tree_field) missing("'tree'");
      break;
    case Source::kBuild:
      if (tree_field && (has_source || has_version)) {
        diag.error(tree_field->mark, tree_field->path,
                   "give either 'tree' (a git work tree) or 'source_package' + 'version' (a "
                   "Debian linux-source tarball), not both");
      } else if (!tree_field && !(has_source && has_version)) {
        missing("'tree', or 'source_package' and 'version'");
      }
      if (auto f = r.get("fragments"); !f) {
        missing("'fragments'");
      } else if (f->node.IsSequence() && f->node.size() == 0) {
        diag.error(f->mark, f->path,
                   "must name at least one fragment (e.g. fragments/sched-ext.config)");
      }
      break;
  }

  if (auto f = r.get("timeout_scale")) {
    auto v = as_double(*f, diag);
    if (v && (*v < 1.0 || *v > 20.0)) {
      diag.error(f->mark, f->path, "must be between 1.0 and 20.0");
    } else if (v) {
      out.timeout_scale = *v;
    }
  }
  if (auto f = r.get("extra_cmdline")) {
    for (const auto& item : as_sequence(*f, diag).value_or(std::vector<Field>{})) {
      auto arg = as_string(item, diag);
      if (!arg) continue;
      if (auto why = cmdline_refusal(*arg); !why.empty()) {
        diag.error(item.mark, item.path, "'" + *arg + "' " + why);
        continue;
      }
      out.extra_cmdline.push_back(*arg);
    }
  }
  r.finish();
}

}  // namespace detail

Result<KernelConfig> load_kernel(const std::filesystem::path& path) {
  return detail::load_with<KernelConfig>(path, detail::parse_kernel);
}

}  // namespace scxfarm::config
