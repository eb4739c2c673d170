#include "scxfarm/workloads/metric_catalog.h"

namespace scxfarm::workloads {

namespace {

using protocol::WorkloadKind;
constexpr auto kStress = WorkloadKind::kStressNg;
constexpr auto kHack = WorkloadKind::kHackbench;
constexpr auto kCyclic = WorkloadKind::kCyclictest;
constexpr auto kProbe = WorkloadKind::kWakeupProbe;
constexpr bool kPerPart = true, kWhole = false;
constexpr bool kCompared = true, kNotCompared = false;

// Not compared: totals and times that scale with the run's length (the agent
// stops workloads at the end of the run phase), per-thread series whose
// count follows the topology, and settings.
constexpr MetricSpec kCatalog[] = {
    {kStress, "bogo_ops_per_s_real", kPerPart, kOpsPerSecond, Better::kHigher, kCompared,
     "stress-ng bogo operations per wall-clock second"},
    {kStress, "bogo_ops_per_s_usr_sys", kPerPart, kOpsPerSecond, Better::kHigher, kCompared,
     "stress-ng bogo operations per CPU second (user + system)"},
    {kStress, "bogo_ops", kPerPart, kOps, Better::kHigher, kNotCompared,
     "stress-ng bogo operations in total"},
    {kStress, "real_time", kPerPart, kSeconds, Better::kNeither, kNotCompared,
     "stress-ng wall-clock run time"},
    {kStress, "usr_time", kPerPart, kSeconds, Better::kNeither, kNotCompared,
     "stress-ng user CPU time"},
    {kStress, "sys_time", kPerPart, kSeconds, Better::kNeither, kNotCompared,
     "stress-ng system CPU time"},
    {kHack, "time", kWhole, kSeconds, Better::kLower, kCompared, "hackbench completion time"},
    {kHack, "tasks", kWhole, kCount, Better::kNeither, kNotCompared, "hackbench tasks"},
    {kCyclic, "avg", kWhole, kMicroseconds, Better::kLower, kCompared,
     "cyclictest latency, cycle-weighted mean over threads"},
    {kCyclic, "max", kWhole, kMicroseconds, Better::kLower, kCompared,
     "cyclictest latency, maximum over threads"},
    {kCyclic, "min", kWhole, kMicroseconds, Better::kLower, kNotCompared,
     "cyclictest latency, minimum over threads"},
    {kCyclic, "threads", kWhole, kCount, Better::kNeither, kNotCompared,
     "cyclictest measuring threads"},
    {kCyclic, "min", kPerPart, kMicroseconds, Better::kLower, kNotCompared,
     "cyclictest latency of one thread, minimum"},
    {kCyclic, "avg", kPerPart, kMicroseconds, Better::kLower, kNotCompared,
     "cyclictest latency of one thread, mean"},
    {kCyclic, "max", kPerPart, kMicroseconds, Better::kLower, kNotCompared,
     "cyclictest latency of one thread, maximum"},
    {kCyclic, "cycles", kPerPart, kCount, Better::kNeither, kNotCompared,
     "cyclictest cycles of one thread"},
    {kProbe, "latency_p50", kWhole, kNanoseconds, Better::kLower, kCompared,
     "wakeup-probe wake-up latency, median"},
    {kProbe, "latency_p90", kWhole, kNanoseconds, Better::kLower, kCompared,
     "wakeup-probe wake-up latency, 90th percentile"},
    {kProbe, "latency_p99", kWhole, kNanoseconds, Better::kLower, kCompared,
     "wakeup-probe wake-up latency, 99th percentile"},
    {kProbe, "latency_p999", kWhole, kNanoseconds, Better::kLower, kCompared,
     "wakeup-probe wake-up latency, 99.9th percentile"},
    {kProbe, "latency_max", kWhole, kNanoseconds, Better::kLower, kCompared,
     "wakeup-probe wake-up latency, maximum"},
    {kProbe, "requests_per_s", kWhole, kOpsPerSecond, Better::kHigher, kCompared,
     "wakeup-probe requests served per second"},
    {kProbe, "wakeups", kWhole, kCount, Better::kHigher, kNotCompared,
     "wakeup-probe wake-ups measured in total"},
    {kProbe, "workers", kWhole, kCount, Better::kNeither, kNotCompared,
     "wakeup-probe worker threads"},
};

const MetricSpec* lookup(WorkloadKind kind, std::string_view name, bool per_part) {
  for (const auto& spec : kCatalog)
    if (spec.kind == kind && spec.per_part == per_part && spec.name == name) return &spec;
  return nullptr;
}

}  // namespace

std::string_view to_string(Better better) {
  return name_of(kBetterNames, better).value_or("neither");
}

std::span<const MetricSpec> metric_catalog() {
  return kCatalog;
}

const MetricSpec* find_metric(WorkloadKind kind, std::string_view metric) {
  if (const auto* whole = lookup(kind, metric, false)) return whole;
  const size_t dot = metric.find('.');
  if (dot == std::string_view::npos || dot == 0) return nullptr;
  return lookup(kind, metric.substr(dot + 1), true);
}

}  // namespace scxfarm::workloads
