#include <algorithm>

#include "loaders.h"

namespace scxfarm::config {

namespace detail {

namespace {

// The kernel sources setup can provision: all but local (see parse_kernel).
constexpr Spellings<KernelConfig::Source, 1> kProvisionedSources = {{kKernelSourceSpellings[0]}};
static_assert(kProvisionedSources[0].second == KernelConfig::Source::kDebian);

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

}  // namespace

void parse_kernel(const Field& root, Diagnostics& diag, KernelConfig& out) {
  out.name = diag.file().stem().string();
  FieldReader r(root, diag);
  // source: local is planned (the model spells it) but nothing provisions it
  // yet: no script imports a local kernel. Refuse it here, with its place in
  // the file, rather than at setup; the debian keys are then not required, so
  // this is the one error about the source.
  using Source = KernelConfig::Source;
  bool source_ok = false;
  if (auto f = r.get("source");
      f && f->node.IsScalar() && f->node.Scalar() == to_string(Source::kLocal)) {
    diag.error(f->mark, f->path,
               "'local' is not supported yet: no provisioning script imports a local kernel "
               "(allowed: " +
                   std::string(to_string(Source::kDebian)) + ")");
  } else {
    source_ok = r.read_choice("source", out.source, kProvisionedSources);
  }
  const bool debian = out.source == Source::kDebian;

  // Each field belongs to one source; naming it under the other is a mistake.
  auto field_for = [&](std::string_view key, bool wanted, std::string& value) {
    auto f = r.get(key);
    if (!f) {
      if (wanted && source_ok) {
        diag.error(root.mark, "",
                   "missing required key '" + std::string(key) +
                       "' (needed by source: " + std::string(to_string(out.source)) + ")");
      }
      return std::optional<Field>();
    }
    if (!wanted && source_ok) {
      diag.error(f->mark, f->path,
                 "only allowed with source: " + std::string(debian ? "local" : "debian"));
      return std::optional<Field>();
    }
    if (auto s = as_string(*f, diag)) value = *s;
    return f;
  };

  if (auto f = field_for("binary_package", debian, out.binary_package);
      f && !is_package_name(out.binary_package)) {
    diag.error(
        f->mark, f->path,
        "'" + out.binary_package + "' is not a Debian package name (allowed: a-z 0-9 + - .)");
  }
  if (auto f = field_for("source_package", debian, out.source_package);
      f && !is_package_name(out.source_package)) {
    diag.error(
        f->mark, f->path,
        "'" + out.source_package + "' is not a Debian package name (allowed: a-z 0-9 + - .)");
  }
  if (auto f = field_for("version", debian, out.version); f && !is_package_version(out.version)) {
    diag.error(
        f->mark, f->path,
        "'" + out.version + "' is not a Debian version (a digit, then A-Z a-z 0-9 + - . ~ :)");
  }
  // Relative paths are relative to the kernel file's directory.
  std::string image, tree;
  if (field_for("image", !debian, image) && !image.empty()) {
    out.image = (diag.file().parent_path() / image).lexically_normal();
  }
  if (field_for("tree", !debian, tree) && !tree.empty()) {
    out.tree = (diag.file().parent_path() / tree).lexically_normal();
  }

  if (auto f = r.get("extra_cmdline")) {
    for (const auto& item : as_sequence(*f, diag).value_or(std::vector<Field>{})) {
      auto arg = as_string(item, diag);
      if (!arg) continue;
      if (arg->empty() || arg->find_first_of(" \t\n") != std::string::npos) {
        diag.error(item.mark, item.path,
                   "'" + *arg + "' must be one non-empty word (use one list item per parameter)");
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
