// Parsers for /sys/kernel/sched_ext/<sched>/{caps,events}. Both parse
// generically: cap and event names change between kernel versions and
// unknown ones are kept, never rejected.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "scxfarm/common/result.h"
#include "scxfarm/telemetry/cid_set.h"

namespace scxfarm::telemetry {

using CapMap = std::map<std::string, CidSet>;      // "enq" -> cids
using EventMap = std::map<std::string, uint64_t>;  // "SCX_EV_SUB_RESCUE" -> count

// `caps`: one "%s: %*pbl\n" line per cap (enq_immed, enq, preempt, perf on
// 7.3). An empty set prints nothing after the colon ("enq:" or "enq: ").
// Errors name the bad line, 1-based, and quote it; duplicate names are errors.
Result<CapMap> parse_caps(std::string_view text);

// `events`: one "%s %llu\n" line per counter. Same error policy as caps.
Result<EventMap> parse_events(std::string_view text);

}  // namespace scxfarm::telemetry
