// Cpulists in topology configs ("0-3,8,10-11", as in sysfs and QEMU's -numa
// cpus=), private to the config library. The grammar and the formatting are
// telemetry::CidSet's; what is added here is the config's stricter policy:
// ids keep the order written and a repeated id is an error.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "scxfarm/common/result.h"

namespace scxfarm::config::detail {

// Ids in the order written; "" gives none. Rejects reversed ranges ("3-1"),
// repeats ("0-3,2"), spaces inside a number, and ids above MAX_ID (at most
// telemetry::CidSet::kMaxCid). Spaces around elements are allowed ("0-3, 8").
Result<std::vector<uint32_t>> parse_cpulist(std::string_view list, uint32_t max_id = 4095);

// The shortest cpulist for IDS (sorted first): {0,1,2,3,8} -> "0-3,8".
std::string format_cpulist(const std::vector<uint32_t>& ids);

}  // namespace scxfarm::config::detail
