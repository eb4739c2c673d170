// Metrics exports of `scxfarm run` and `scxfarm export`: the live /metrics
// endpoint while a suite runs, the Pushgateway push and the node_exporter
// textfile at its end (scxfarm/metrics/suite_export.h does the work).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "commands.h"
#include "scxfarm/common/result.h"
#include "scxfarm/metrics/live_exporter.h"
#include "scxfarm/metrics/metrics_set.h"
#include "scxfarm/metrics/suite_export.h"

namespace scxfarm::cli {

// Checks the flags before anything runs (nothing half-run): URL, shard,
// textfile name (node_exporter reads only *.prom).
Status validate_export_options(const MetricsExportOptions& options);

// The live registry and its endpoint, when --metrics-listen is given.
struct LiveMetrics {
  metrics::MetricsSet set;
  metrics::LiveExporter exporter;
};
Result<std::unique_ptr<LiveMetrics>> start_live_metrics(const MetricsExportOptions& options);

// Pushes and writes the textfile as OPTIONS asks; returns RUNS_EXIT_CODE, or
// ExitCode::kExportFailed when the runs passed but an export failed (the
// runs' results on disk are never touched).
ExitCode export_and_exit_code(const metrics::SuiteRecord& record,
                              const MetricsExportOptions& options, ExitCode runs_exit_code);

}  // namespace scxfarm::cli
