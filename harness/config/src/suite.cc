#include <set>

#include "loaders.h"

namespace scxfarm::config {

namespace detail {

namespace {

// A required, non-empty list of unique config names.
void read_names(FieldReader& r, std::string_view key, std::vector<std::string>& out,
                std::vector<SuiteRef>& marks) {
  Diagnostics& diag = r.diag();
  auto f = r.require(key);
  if (!f) return;
  auto items = as_sequence(*f, diag);
  if (!items) return;
  if (items->empty()) diag.error(f->mark, f->path, "must name at least one config");
  std::set<std::string> seen;
  for (const auto& item : *items) {
    auto name = as_string(item, diag);
    if (!name) continue;
    if (!is_safe_name(*name, /*allow_dot=*/true)) {
      diag.error(item.mark, item.path,
                 "'" + *name + "' is not a config name (allowed characters: A-Z a-z 0-9 . _ -)");
    } else if (!seen.insert(*name).second) {
      diag.error(item.mark, item.path, "'" + *name + "' is listed twice");
    } else {
      out.push_back(*name);
      marks.push_back({item.mark, item.path});
    }
  }
}

}  // namespace

void parse_suite(const Field& root, Diagnostics& diag, SuiteConfig& out, SuiteMarks& marks) {
  out.name = diag.file().stem().string();
  FieldReader r(root, diag);
  r.read("description", out.description);
  read_names(r, "kernels", out.kernels, marks.kernels);
  read_names(r, "topologies", out.topologies, marks.topologies);
  read_names(r, "scenarios", out.scenarios, marks.scenarios);
  r.read("repeat", out.repeat, 1, 100);  // default 1
  r.read_choice("accel", out.accel, kAccelSpellings);
  r.read_choice("tcg_threads", out.tcg_threads, kTcgThreadsSpellings);
  if (auto f = r.get("timeout_scale")) {
    if (auto v = as_double(*f, diag)) {
      if (*v != 0 && (*v < 0.1 || *v > 100)) {
        diag.error(f->mark, f->path,
                   f->node.Scalar() + " is out of range (allowed: 0 = by accel, or 0.1..100)");
      } else {
        out.timeout_scale = *v;
      }
    }
  }
  r.read("exclusive", out.exclusive);  // default false
  r.finish();
}

}  // namespace detail

Result<SuiteConfig> load_suite(const std::filesystem::path& path) {
  detail::SuiteMarks marks;
  return detail::load_with<SuiteConfig>(
      path, [&](const detail::Field& root, detail::Diagnostics& diag, SuiteConfig& out) {
        detail::parse_suite(root, diag, out, marks);
      });
}

}  // namespace scxfarm::config
