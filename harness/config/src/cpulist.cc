#include "cpulist.h"

#include <set>

#include "scxfarm/common/text.h"
#include "scxfarm/telemetry/cid_set.h"

namespace scxfarm::config::detail {

Result<std::vector<uint32_t>> parse_cpulist(std::string_view list, uint32_t max_id) {
  std::vector<uint32_t> ids;
  std::set<uint32_t> seen;
  if (text::trim(list, " ").empty()) return ids;
  for (const std::string_view part : text::split(list, ',')) {
    const std::string element(text::trim(part, " "));
    const auto range = telemetry::parse_cid_range(part, /*allow_blanks=*/true);
    if (!range) {
      return make_error("'" + element +
                        "' is not a cpu id or range (expected a cpulist like \"0-3,8\")");
    }
    if (range->first > range->last) return make_error("range '" + element + "' runs backwards");
    if (range->last > max_id) {
      return make_error("cpu " + std::to_string(range->last) + " is above the limit " +
                        std::to_string(max_id));
    }
    for (uint32_t id = range->first; id <= range->last; ++id) {
      if (!seen.insert(id).second) {
        return make_error("cpu " + std::to_string(id) + " is listed twice");
      }
      ids.push_back(id);
    }
  }
  return ids;
}

std::string format_cpulist(const std::vector<uint32_t>& ids) {
  return telemetry::CidSet::of(ids).to_string();
}

}  // namespace scxfarm::config::detail
