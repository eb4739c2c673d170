#include "suite_builder.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>

#include "scxfarm/common/fs.h"
#include "scxfarm/workloads/metric_catalog.h"

namespace fs = std::filesystem;

namespace scxfarm::compare::testing {

fs::path temp_dir(const std::string& name) {
  const fs::path dir = fs::path(::testing::TempDir()) /
                       ("scxfarm-compare-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

SuiteBuilder::SuiteBuilder(std::string suite, std::string kernel) : kernel_(std::move(kernel)) {
  record_.suite = std::move(suite);
  record_.started_at = "2026-12-01T00:00:00Z";
  record_.wall_seconds = 600;
}

results::RunSummary& SuiteBuilder::add_run(const std::string& topology, const std::string& scenario,
                                           uint32_t repeat) {
  results::RunSummary run;
  run.suite = record_.suite;
  run.topology = topology;
  run.scenario = scenario;
  run.kernel = kernel_;
  run.kernel_release = "7.3.4+deb13-cloud-amd64";
  run.repeat_index = repeat;
  run.run_id = fmt_run_id(record_.runs.size(), topology, scenario, repeat);
  run.outcome = results::Outcome::kPass;
  run.reason = "all checks held";
  run.accel = "tcg";
  run.started_at = "2026-12-01T00:00:00Z";
  record_.runs.push_back(run);
  return record_.runs.back();
}

std::string SuiteBuilder::fmt_run_id(size_t index, const std::string& topology,
                                     const std::string& scenario, uint32_t repeat) const {
  const std::string number = (index < 10 ? "0" : "") + std::to_string(index);
  return number + "-" + kernel_ + "-" + topology + "-" + scenario + "-r" + std::to_string(repeat);
}

void SuiteBuilder::add_runs_with(const std::string& topology, const std::string& scenario,
                                 const std::string& workload, const std::string& kind,
                                 const std::string& metric, const std::vector<double>& values) {
  for (size_t i = 0; i < values.size(); ++i)
    set_metric(add_run(topology, scenario, static_cast<uint32_t>(i)), workload, kind, metric,
               values[i]);
}

Status SuiteBuilder::write(const fs::path& dir) const {
  if (auto made = ensure_dir(dir); !made) return made;
  for (const auto& run : record_.runs) {
    if (auto made = ensure_dir(dir / run.run_id); !made) return made;
    if (auto written = results::write_run_json(dir / run.run_id, run); !written) return written;
  }
  return results::write_suite_json(dir, record_);
}

void set_metric(results::RunSummary& run, const std::string& workload, const std::string& kind,
                const std::string& metric, double value) {
  const auto workload_kind = protocol::from_string<protocol::WorkloadKind>(kind);
  const auto* spec = workload_kind ? workloads::find_metric(*workload_kind, metric) : nullptr;
  if (spec == nullptr) std::abort();  // a test asking for a metric the catalog lacks
  for (auto& w : run.workloads) {
    if (w.name != workload) continue;
    w.values[metric] = value;
    w.units[metric] = spec->unit;
    return;
  }
  results::WorkloadSummary w{.name = workload, .kind = kind, .cgroup = workload};
  w.values[metric] = value;
  w.units[metric] = spec->unit;
  run.workloads.push_back(w);
}

}  // namespace scxfarm::compare::testing
