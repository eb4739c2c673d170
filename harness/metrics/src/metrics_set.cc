#include "scxfarm/metrics/metrics_set.h"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <cctype>
#include <exception>
#include <string>

#include "scxfarm/common/fs.h"
#include "scxfarm/metrics/workload_metrics.h"
#include "scxfarm/results/outcome.h"

namespace scxfarm::metrics {

namespace {

using prometheus::Labels;

template <typename Builder>
auto* family(Builder builder, prometheus::Registry& registry, const std::string& name,
             const std::string& help) {
  return &builder.Name(name).Help(help).Register(registry);
}

// Labels every per-run series carries.
Labels run_labels(const results::RunSummary& run) {
  return {{"suite", run.suite},
          {"kernel", kernel_label(run)},
          {"topology", run.topology},
          {"scenario", run.scenario}};
}

Labels with(Labels labels, std::initializer_list<std::pair<const std::string, std::string>> more) {
  labels.insert(more);
  return labels;
}

}  // namespace

const std::vector<double>& duration_buckets_seconds() {
  static const std::vector<double> buckets = {1, 2, 5, 10, 20, 30, 60, 120, 300, 600};
  return buckets;
}

std::string event_label(std::string_view name) {
  constexpr std::string_view kPrefix = "SCX_EV_";
  if (name.size() >= kPrefix.size()) {
    bool has_prefix = true;
    for (size_t i = 0; i < kPrefix.size(); ++i)
      if (std::toupper(static_cast<unsigned char>(name[i])) != kPrefix[i]) has_prefix = false;
    if (has_prefix) name.remove_prefix(kPrefix.size());
  }
  std::string out(name);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string kernel_label(const results::RunSummary& run) {
  return run.kernel_release.empty() ? run.kernel : run.kernel_release;
}

MetricsSet::MetricsSet() : registry_(std::make_shared<prometheus::Registry>()) {
  auto& r = *registry_;
  runs_ = family(prometheus::BuildCounter(), r, "scxfarm_runs_total", "Runs finished, by outcome.");
  run_info_ = family(prometheus::BuildGauge(), r, "scxfarm_run_info",
                     "Always 1: the kernel package, accelerator and TCG threading of runs.");
  events_ = family(prometheus::BuildCounter(), r, "scxfarm_sched_ext_events_total",
                   "sched_ext SCX_EV_* event counts over runs (last minus first sample), "
                   "per scheduler; event is the name without SCX_EV_, lowercased.");
  cids_held_ = family(prometheus::BuildGauge(), r, "scxfarm_cids_held",
                      "Cids a scheduler held with a cap in the last sample of the last run.");
  cap_changes_ =
      family(prometheus::BuildCounter(), r, "scxfarm_cap_changes_total",
             "Samples in which a scheduler's cid set for a cap differed from the previous sample.");
  invariant_violations_ =
      family(prometheus::BuildCounter(), r, "scxfarm_invariant_violations_total",
             "Cap enforcement invariant violations seen in samples.");
  churn_operations_ = family(prometheus::BuildCounter(), r, "scxfarm_churn_operations_total",
                             "Cgroup/scheduler churn operations performed, by kind.");
  churn_errors_ = family(prometheus::BuildCounter(), r, "scxfarm_churn_errors_total",
                         "Churn operations the guest agent attempted that failed.");
  qmap_reenqueues_ =
      family(prometheus::BuildCounter(), r, "scxfarm_qmap_reenqueues_total",
             "Tasks scx_qmap re-enqueued, because a cap was lost (cap) or for enq_immed (immed).");
  qmap_injection_attempts_ =
      family(prometheus::BuildCounter(), r, "scxfarm_qmap_injection_attempts_total",
             "scx_qmap task injection attempts.");
  qmap_rescue_dispatches_ =
      family(prometheus::BuildCounter(), r, "scxfarm_qmap_rescue_dispatches_total",
             "scx_qmap rescue dispatches.");
  attach_seconds_ =
      family(prometheus::BuildGauge(), r, "scxfarm_scheduler_attach_seconds",
             "Time from starting a scheduler to its sysfs directory appearing, last run.");
  vm_boot_seconds_ = family(prometheus::BuildHistogram(), r, "scxfarm_vm_boot_seconds",
                            "QEMU start to the guest agent's hello (host clock).");
  run_duration_seconds_ = family(prometheus::BuildHistogram(), r, "scxfarm_run_duration_seconds",
                                 "Whole run, QEMU start to exit (host clock).");
  last_success_timestamp_ = family(prometheus::BuildGauge(), r, std::string(kLastSuccessMetric),
                                   "Unix time at which every run of the suite last passed.");
  suite_duration_ = family(prometheus::BuildGauge(), r, "scxfarm_suite_duration_seconds",
                           "How long the last suite run took.");
  export_last_failure_ =
      family(prometheus::BuildGauge(), r, std::string(kExportFailureMetric),
             "Unix time at which exporting the suite's metrics (target: pushgateway, textfile) "
             "last failed.");
}

MetricsSet::~MetricsSet() = default;

void MetricsSet::record(const results::RunSummary& run) {
  const Labels base = run_labels(run);
  runs_->Add(with(base, {{"outcome", std::string(results::to_string(run.outcome))}})).Increment();
  run_info_
      ->Add({{"suite", run.suite},
             {"kernel", kernel_label(run)},
             {"kernel_package", run.kernel_package_version},
             {"topology", run.topology},
             {"scenario", run.scenario},
             {"accel", run.accel},
             {"tcg_threads", run.tcg_threads}})
      .Set(1);
  // A skipped run booted no VM: it is counted by outcome and measured nothing.
  if (run.outcome == results::Outcome::kSkipped) return;
  invariant_violations_->Add(base).Increment(static_cast<double>(run.invariant_violations));
  churn_errors_->Add(base).Increment(static_cast<double>(run.churn_errors));
  for (const auto& [kind, count] : run.churn_ops_by_kind)
    churn_operations_->Add(with(base, {{"kind", kind}})).Increment(static_cast<double>(count));

  for (const auto& sched : run.schedulers) {
    const Labels s = with(base, {{"scheduler", sched.path}});
    for (const auto& [event, delta] : sched.event_deltas)
      events_->Add(with(s, {{"event", event_label(event)}})).Increment(static_cast<double>(delta));
    for (const auto& [cap, held] : sched.cids_held_last)
      cids_held_->Add(with(s, {{"cap", cap}})).Set(held);
    for (const auto& [cap, changes] : sched.caps_changes)
      cap_changes_->Add(with(s, {{"cap", cap}})).Increment(static_cast<double>(changes));
    qmap_reenqueues_->Add(with(s, {{"reason", "cap"}}))
        .Increment(static_cast<double>(sched.reenq_cap));
    qmap_reenqueues_->Add(with(s, {{"reason", "immed"}}))
        .Increment(static_cast<double>(sched.reenq_immed));
    qmap_injection_attempts_->Add(s).Increment(static_cast<double>(sched.inject_attempts));
    qmap_rescue_dispatches_->Add(s).Increment(static_cast<double>(sched.rescue_dispatches));
    // A scheduler that never attached has no attach time; 0 would read as instant.
    if (sched.attached) attach_seconds_->Add(s).Set(sched.attach_seconds);
  }

  record_workloads(*registry_, run, kernel_label(run));  // workload_metrics.h

  const Labels machine = {
      {"suite", run.suite}, {"kernel", kernel_label(run)}, {"topology", run.topology}};
  // A boot that never reached the agent has no boot time to observe.
  if (run.boot_to_agent_seconds > 0)
    vm_boot_seconds_->Add(machine, duration_buckets_seconds()).Observe(run.boot_to_agent_seconds);
  run_duration_seconds_->Add(machine, duration_buckets_seconds()).Observe(run.wall_seconds);
}

void MetricsSet::record_suite(std::string_view suite, double duration_seconds, bool all_passed,
                              std::chrono::system_clock::time_point now) {
  const Labels labels = {{"suite", std::string(suite)}};
  suite_duration_->Add(labels).Set(duration_seconds);
  if (all_passed) {
    const std::chrono::duration<double> since_epoch = now.time_since_epoch();
    last_success_timestamp_->Add(labels).Set(since_epoch.count());
  }
}

void MetricsSet::set_last_success(std::string_view suite, double unix_seconds) {
  last_success_timestamp_->Add({{"suite", std::string(suite)}}).Set(unix_seconds);
}

void MetricsSet::set_export_failure(std::string_view suite, std::string_view target,
                                    double unix_seconds) {
  export_last_failure_->Add({{"suite", std::string(suite)}, {"target", std::string(target)}})
      .Set(unix_seconds);
}

std::optional<double> find_sample(std::string_view text, std::string_view series) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (line.size() <= series.size() || line.substr(0, series.size()) != series ||
        line[series.size()] != ' ')
      continue;
    const std::string value(line.substr(series.size() + 1));
    try {
      return std::stod(value);
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  return std::nullopt;
}

std::string MetricsSet::to_text() const {
  return prometheus::TextSerializer().Serialize(registry_->Collect());
}

Status MetricsSet::write_textfile(const std::filesystem::path& path) const {
  return write_file_atomic(path, to_text());
}

}  // namespace scxfarm::metrics
