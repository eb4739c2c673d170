// Run results as Prometheus metrics. One MetricsSet owns one registry; the
// same registry is written as a textfile for node_exporter, served live by
// LiveExporter (live_exporter.h) and pushed to a Pushgateway (push.h).
//
// Naming follows Prometheus conventions: the scxfarm_ prefix, base units
// (_seconds), _total on counters, _info for metadata. Labels are bounded:
// suite, kernel (release), topology, scenario, scheduler (tree path such as
// root/A/A1), cap, event, outcome, kind, reason. A run id, seed or timestamp
// is never a label: each would make a new series per run.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scxfarm/common/result.h"
#include "scxfarm/results/run_summary.h"

namespace prometheus {
class Counter;
class Gauge;
class Histogram;
class Registry;
template <typename T>
class Family;
}  // namespace prometheus

namespace scxfarm::metrics {

// Upper bounds (seconds) of the boot and run-duration histograms. Sized for
// TCG, where a boot takes tens of seconds and a run minutes; KVM runs land in
// the low buckets.
const std::vector<double>& duration_buckets_seconds();

// "SCX_EV_SUB_RESCUE" -> "sub_rescue": the event label value. Names without
// the SCX_EV_ prefix are only lowercased.
std::string event_label(std::string_view scx_event_name);

// The kernel label: the release the guest reported (uname -r). A run whose
// kernel never booted has no release; its kernel config name stands in, so
// boot failures still count against the kernel that failed.
std::string kernel_label(const results::RunSummary& run);

// The value of the sample SERIES (exactly as written: name{labels}, labels
// sorted as TextSerializer writes them) in exposition TEXT, if present.
std::optional<double> find_sample(std::string_view text, std::string_view series);

class MetricsSet {
 public:
  MetricsSet();
  MetricsSet(MetricsSet&&) noexcept = default;
  MetricsSet& operator=(MetricsSet&&) noexcept = default;
  MetricsSet(const MetricsSet&) = delete;
  MetricsSet& operator=(const MetricsSet&) = delete;
  ~MetricsSet();

  // Adds one run: counters grow by the run's counts, gauges take the run's
  // values (the last recorded run wins for the same labels).
  void record(const results::RunSummary& run);

  // Once per suite (the batch job): how long the suite took, and when it last
  // passed as a whole. NOW is passed in so this stays free of clock reads.
  void record_suite(std::string_view suite, double duration_seconds, bool all_passed,
                    std::chrono::system_clock::time_point now);

  // Sets scxfarm_last_success_timestamp_seconds for SUITE to UNIX_SECONDS:
  // carries an earlier success forward into a textfile that a failed suite
  // rewrites.
  void set_last_success(std::string_view suite, double unix_seconds);

  // scxfarm_export_last_failure_timestamp_seconds{suite,target}: when an
  // export (TARGET "pushgateway" or "textfile") last failed. Written into the
  // textfile, since a failed push cannot report itself to the Pushgateway.
  void set_export_failure(std::string_view suite, std::string_view target, double unix_seconds);

  // Prometheus text exposition format 0.0.4.
  std::string to_text() const;

  // to_text() written atomically, for node_exporter's textfile collector
  // (which reads only files named *.prom).
  Status write_textfile(const std::filesystem::path& path) const;

  // For LiveExporter and push_to_gateway.
  std::shared_ptr<prometheus::Registry> registry() const { return registry_; }

  static constexpr std::string_view kLastSuccessMetric = "scxfarm_last_success_timestamp_seconds";
  static constexpr std::string_view kExportFailureMetric =
      "scxfarm_export_last_failure_timestamp_seconds";

 private:
  template <typename T>
  using Family = prometheus::Family<T>;

  std::shared_ptr<prometheus::Registry> registry_;
  Family<prometheus::Counter>* runs_;
  Family<prometheus::Gauge>* run_info_;
  Family<prometheus::Counter>* events_;
  Family<prometheus::Gauge>* cids_held_;
  Family<prometheus::Counter>* cap_changes_;
  Family<prometheus::Counter>* invariant_violations_;
  Family<prometheus::Counter>* churn_operations_;
  Family<prometheus::Counter>* churn_errors_;
  Family<prometheus::Counter>* qmap_reenqueues_;
  Family<prometheus::Counter>* qmap_injection_attempts_;
  Family<prometheus::Counter>* qmap_rescue_dispatches_;
  Family<prometheus::Gauge>* attach_seconds_;
  Family<prometheus::Histogram>* vm_boot_seconds_;
  Family<prometheus::Histogram>* run_duration_seconds_;
  Family<prometheus::Gauge>* last_success_timestamp_;
  Family<prometheus::Gauge>* suite_duration_;
  Family<prometheus::Gauge>* export_last_failure_;
};

}  // namespace scxfarm::metrics
