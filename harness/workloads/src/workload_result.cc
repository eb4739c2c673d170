#include <cstdlib>

#include "scxfarm/workloads/parsers.h"

namespace scxfarm::workloads {

void WorkloadResult::set(const std::string& metric, double value) {
  const MetricSpec* spec = find_metric(kind, metric);
  if (spec == nullptr) std::abort();  // a parser emits a metric metric_catalog.cc lacks
  values[metric] = value;
  units[metric] = spec->unit;
}

}  // namespace scxfarm::workloads
