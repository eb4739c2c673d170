#include "export.h"

#include <spdlog/spdlog.h>

#include "scxfarm/metrics/push.h"

namespace scxfarm::cli {

Status validate_export_options(const MetricsExportOptions& options) {
  if (!options.listen.empty())
    if (auto address = metrics::parse_listen_address(options.listen); !address)
      return make_error("--metrics-listen: " + address.error().message);
  if (!options.pushgateway_url.empty())
    if (auto url = metrics::parse_gateway_url(options.pushgateway_url); !url)
      return make_error("--pushgateway: " + url.error().message);
  if (auto shard = metrics::parse_shard(options.shard); !shard)
    return make_error("--shard: " + shard.error().message);
  if (!options.textfile.empty() && options.textfile.extension() != ".prom")
    return make_error("--textfile " + options.textfile.string() +
                      ": must end in .prom (node_exporter's textfile collector reads only those)");
  return {};
}

Result<std::unique_ptr<LiveMetrics>> start_live_metrics(const MetricsExportOptions& options) {
  if (options.listen.empty()) return std::unique_ptr<LiveMetrics>();
  metrics::MetricsSet set;
  auto exporter = metrics::LiveExporter::start(set.registry(), options.listen);
  if (!exporter) return exporter.error();
  spdlog::info("live metrics on {}", exporter->url());
  return std::make_unique<LiveMetrics>(LiveMetrics{std::move(set), std::move(*exporter)});
}

ExitCode export_and_exit_code(const metrics::SuiteRecord& record,
                              const MetricsExportOptions& options, ExitCode runs_exit_code) {
  if (options.pushgateway_url.empty() && options.textfile.empty()) return runs_exit_code;
  metrics::ExportTargets targets;
  targets.pushgateway_url = options.pushgateway_url;
  targets.textfile = options.textfile;
  targets.shard = metrics::parse_shard(options.shard).value();  // validated before the run
  auto result = metrics::export_suite(record, targets, std::chrono::system_clock::now(),
                                      [](const std::string& line) { spdlog::info("{}", line); });
  if (result.ok()) return runs_exit_code;
  spdlog::error(
      "metrics export failed ({} error(s)); the results on disk are complete; retry "
      "with `scxfarm export RESULTS_DIR`",
      result.errors.size());
  return runs_exit_code == ExitCode::kPass ? ExitCode::kExportFailed : runs_exit_code;
}

ExitCode cmd_export(const GlobalOptions&, const ExportOptions& options) {
  if (auto valid = validate_export_options(options.metrics); !valid) {
    spdlog::error("{}", valid.error().message);
    return ExitCode::kUsage;
  }
  if (options.metrics.pushgateway_url.empty() && options.metrics.textfile.empty()) {
    spdlog::error("export: nothing to do: give --pushgateway URL and/or --textfile PATH");
    return ExitCode::kUsage;
  }
  auto record = metrics::load_suite_record(options.results_dir);
  if (!record) {
    spdlog::error("{}", record.error().message);
    return ExitCode::kUsage;
  }
  spdlog::info("export: suite {} from {}: {} run(s), {}", record->suite,
               options.results_dir.string(), record->runs.size(),
               record->all_passed() ? "all passed" : "not all passed");
  // The runs' verdict is not re-decided here: export succeeds or it does not.
  return export_and_exit_code(*record, options.metrics, ExitCode::kPass);
}

}  // namespace scxfarm::cli
