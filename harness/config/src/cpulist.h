// A tiny cpulist parser ("0-3,8,10-11", as in sysfs and QEMU's -numa
// cpus=), private to the config library.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "scxfarm/common/result.h"

namespace scxfarm::config::detail {

// Ids in the order written; "" gives none. Rejects reversed ranges ("3-1"),
// repeats ("0-3,2"), spaces inside a number, and ids above MAX_ID.
Result<std::vector<uint32_t>> parse_cpulist(std::string_view text, uint32_t max_id = 4095);

// The shortest cpulist for IDS (sorted first): {0,1,2,3,8} -> "0-3,8".
std::string format_cpulist(std::vector<uint32_t> ids);

}  // namespace scxfarm::config::detail
