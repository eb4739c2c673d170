#include "scxfarm/metrics/workload_metrics.h"

#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include "scxfarm/protocol/vocabulary.h"

namespace scxfarm::metrics {

std::pair<double, std::string> to_base_unit(double value, const std::string& unit) {
  if (unit == "microseconds") return {value * 1e-6, "seconds"};
  if (unit == "nanoseconds") return {value * 1e-9, "seconds"};
  if (unit == "milliseconds") return {value * 1e-3, "seconds"};
  return {value, unit};
}

void record_workloads(prometheus::Registry& registry, const results::RunSummary& run,
                      const std::string& kernel_label) {
  if (run.workloads.empty()) return;
  auto& values = prometheus::BuildGauge()
                     .Name(kWorkloadValueMetric)
                     .Help(
                         "A workload's parsed result (stress-ng bogo ops/s, hackbench time, "
                         "cyclictest latency, ...) in the base unit named by the unit label")
                     .Register(registry);
  auto& latency = prometheus::BuildGauge()
                      .Name(kWakeupLatencyMetric)
                      .Help(
                          "scxfarm-wakeup-probe wake-up latency quantiles of the last run "
                          "(label percentile; 1 = max)")
                      .Register(registry);
  const prometheus::Labels base = {{"suite", run.suite},
                                   {"kernel", kernel_label},
                                   {"topology", run.topology},
                                   {"scenario", run.scenario}};
  static const std::pair<const char*, const char*> kQuantiles[] = {{"latency_p50", "0.5"},
                                                                   {"latency_p90", "0.9"},
                                                                   {"latency_p99", "0.99"},
                                                                   {"latency_p999", "0.999"},
                                                                   {"latency_max", "1"}};
  for (const auto& w : run.workloads) {
    for (const auto& [metric, raw] : w.values) {
      auto unit_it = w.units.find(metric);
      const auto [value, unit] =
          to_base_unit(raw, unit_it == w.units.end() ? std::string("count") : unit_it->second);
      prometheus::Labels l = base;
      l.insert({{"workload", w.name}, {"kind", w.kind}, {"metric", metric}, {"unit", unit}});
      values.Add(l).Set(value);
    }
    if (w.kind != protocol::name_of(protocol::WorkloadKind::kWakeupProbe)) continue;
    for (const auto& [metric, quantile] : kQuantiles) {
      auto it = w.values.find(metric);
      if (it == w.values.end()) continue;
      prometheus::Labels l = base;
      l.insert({{"workload", w.name}, {"percentile", quantile}});
      latency.Add(l).Set(to_base_unit(it->second, "nanoseconds").first);
    }
  }
}

}  // namespace scxfarm::metrics
