#include "requirements.h"

#include <set>

namespace scxfarm::config::detail {

namespace {

using kernelinfo::Feature;

bool has_sub_scheduler(const std::vector<protocol::CgroupSpec>& cgroups) {
  for (const auto& cg : cgroups)
    if (cg.has_scheduler || has_sub_scheduler(cg.children)) return true;
  return false;
}

}  // namespace

void parse_requires(const std::optional<Field>& f, Diagnostics& diag, ScenarioConfig& out) {
  // Every scenario attaches a root qmap; a qmap on a cgroup is a sub-scheduler.
  std::set<Feature> required = {Feature::kSchedExt};
  if (has_sub_scheduler(out.plan.cgroups)) required.insert(Feature::kSubSched);
  if (f) {
    std::set<Feature> listed;
    for (const auto& item : as_sequence(*f, diag).value_or(std::vector<Field>{})) {
      const auto name = as_string(item, diag);
      if (!name) continue;
      const auto feature = kernelinfo::feature_from_string(*name);
      if (!feature) {
        diag.error(item.mark, item.path,
                   "'" + *name + "' is not a kernel feature (allowed: " +
                       kernelinfo::feature_listing() + ")");
        continue;
      }
      if (!listed.insert(*feature).second)
        diag.error(item.mark, item.path, "'" + *name + "' is listed twice");
      required.insert(*feature);
    }
  }
  out.required_features.clear();
  for (const auto& [name, feature] : kernelinfo::kFeatureSpellings)
    if (required.count(feature)) out.required_features.push_back(feature);
}

}  // namespace scxfarm::config::detail
