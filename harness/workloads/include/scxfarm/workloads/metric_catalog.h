// Every value the workload parsers produce, declared once: its name, unit,
// which way is better, and whether `scxfarm compare` tests it. The parsers
// take each value's unit from here (WorkloadResult::set), the metrics export
// reads the units they recorded, and harness/compare reads direction and
// `compared` from here: one owner for what a workload metric means.
#pragma once

#include <optional>
#include <span>
#include <string_view>

#include "scxfarm/common/spelling.h"
#include "scxfarm/protocol/vocabulary.h"

namespace scxfarm::workloads {

// Unit names used in values' units (run.json) and as Prometheus label values.
inline constexpr const char* kOpsPerSecond = "ops_per_second";
inline constexpr const char* kOps = "ops";
inline constexpr const char* kSeconds = "seconds";
inline constexpr const char* kMicroseconds = "microseconds";
inline constexpr const char* kNanoseconds = "nanoseconds";
inline constexpr const char* kCount = "count";

// Which way a metric gets better: throughput up, latency and time down;
// kNeither for counts and settings that describe the run, not its result.
enum class Better { kHigher, kLower, kNeither };
inline constexpr Spellings<Better, 3> kBetterNames = {{
    {"higher", Better::kHigher},
    {"lower", Better::kLower},
    {"neither", Better::kNeither},
}};
std::string_view to_string(Better better);

struct MetricSpec {
  protocol::WorkloadKind kind;
  // The value's key. A per-part metric is keyed "<part>.<name>": stress-ng
  // has one per stressor ("cpu.bogo_ops_per_s_real"), cyclictest one per
  // measuring thread ("T0.max").
  std::string_view name;
  bool per_part;
  const char* unit;  // one of the unit names above
  Better better;
  // `scxfarm compare` tests it: a performance result whose value does not
  // depend on how long the run lasted or how many threads it had.
  bool compared;
  std::string_view what;  // one line for readers of reports
};

// The whole catalog, grouped by kind.
std::span<const MetricSpec> metric_catalog();

// The spec of METRIC (a value key as in run.json) of a workload of KIND:
// an exact whole-run name first, else the per-part name after the first
// '.'; nullptr when the catalog does not declare it.
const MetricSpec* find_metric(protocol::WorkloadKind kind, std::string_view metric);

}  // namespace scxfarm::workloads
