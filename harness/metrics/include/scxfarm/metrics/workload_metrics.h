// Workload results (RunSummary::workloads, parsed by harness/workloads) as
// Prometheus gauges, in base units: microseconds and nanoseconds become
// seconds. Called by MetricsSet::record; families are registered on first
// use, so a registry without workloads has none of these series.
//
//  scxfarm_workload_value{suite,kernel,topology,scenario,workload,kind,metric,unit}
//    every parsed value, e.g. metric="cpu.bogo_ops_per_s_real",unit="ops_per_second"
//  scxfarm_wakeup_latency_seconds{suite,kernel,topology,scenario,workload,percentile}
//    the wakeup probe's latency percentiles (label percentile: 0.5, 0.9, 0.99, 0.999; 1 = max),
//    summary-style
//
// Labels stay bounded: workload names come from the scenario, metric names
// from the parsers (per stressor / per cyclictest thread). Every metric's
// name, unit and which way is better: harness/workloads metric_catalog.h.
#pragma once

#include <string>

#include "scxfarm/results/run_summary.h"

namespace prometheus {
class Registry;
}

namespace scxfarm::metrics {

inline constexpr const char* kWorkloadValueMetric = "scxfarm_workload_value";
inline constexpr const char* kWakeupLatencyMetric = "scxfarm_wakeup_latency_seconds";

// VALUE in UNIT to base units: {value, unit} ("microseconds" -> seconds, ...).
std::pair<double, std::string> to_base_unit(double value, const std::string& unit);

void record_workloads(prometheus::Registry& registry, const results::RunSummary& run,
                      const std::string& kernel_label);

}  // namespace scxfarm::metrics
