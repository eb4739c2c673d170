#include "scxfarm/runner/suite.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <time.h>

#include <chrono>
#include <ctime>
#include <map>
#include <mutex>
#include <optional>

#include "scxfarm/common/fs.h"
#include "scxfarm/kernelinfo/probe.h"
#include "scxfarm/metrics/suite_export.h"
#include "scxfarm/results/result_files.h"
#include "scxfarm/results/summary_text.h"
#include "scxfarm/results/timestamp.h"
#include "scxfarm/runner/executor.h"
#include "scxfarm/runner/run_policy.h"
#include "scxfarm/vm/pool.h"
#include "scxfarm/vm/timeouts.h"

namespace fs = std::filesystem;

namespace scxfarm::runner {

bool SuiteResult::all_passed() const {
  for (const auto& r : runs)
    if (results::is_failure(r.outcome)) return false;
  return true;
}

Result<kernelinfo::KernelFeatures> probe_image_btf(const provision::GuestImage& image) {
  return kernelinfo::probe_btf(image.kernel_dir / "vmlinux");
}

std::string run_directory_name(size_t index, const config::RunSpec& spec) {
  return fmt::format("{:02d}-{}-{}-{}-r{}", index, spec.kernel, spec.topology, spec.scenario,
                     spec.repeat_index);
}

Result<SuiteResult> run_suite(const config::ResolvedSuite& resolved, const SuiteOptions& options,
                              const SuiteServices& services, const ProgressFn& progress) {
  const auto& suite = resolved.suite;
  // The suite's wall time, measured here once: suite.json records it, and
  // metrics.prom, `scxfarm run`'s exports and `scxfarm export` all use that.
  const auto suite_started = std::chrono::steady_clock::now();
  const auto elapsed_seconds = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - suite_started).count();
  };
  results::SuiteRecord record;  // suite.json
  record.suite = suite.name;
  record.started_at = results::utc_timestamp(std::chrono::system_clock::now());
  SuiteResult result;
  result.dir = options.results_root /
               (suite.name + "-" + results::utc_dir_stamp(std::chrono::system_clock::now()));
  if (auto st = ensure_dir(result.dir); !st) return st.error();
  const auto write_record = [&] {
    record.wall_seconds = elapsed_seconds();
    if (auto st = results::write_suite_json(result.dir, record); !st)
      progress("cannot write suite.json: " + st.error().message);
  };
  progress("suite " + suite.name + ": results in " + result.dir.string());

  // Provision every kernel first: a provisioning failure stops the suite
  // before any VM starts (nothing half-run).
  std::map<std::string, provision::GuestImage> images;
  for (const auto& [name, kernel] : resolved.kernels) {
    auto image = services.prepare_image(kernel);
    if (!image) return image.error().context("provisioning kernel " + name);
    images[name] = *image;
  }
  // What each kernel offers, once per kernel: runs it cannot host are
  // skipped below without a VM.
  std::map<std::string, kernelinfo::KernelFeatures> features;
  for (const auto& [name, image] : images) {
    auto probed = services.probe_kernel(image);
    if (!probed) return probed.error().context("probing kernel " + name);
    progress(fmt::format("kernel {}: BTF probed in {:.0f} ms: {}", name, probed->probe_ms,
                         kernelinfo::summarize_features(*probed)));
    features[name] = std::move(*probed);
  }

  // An explicit kvm or tcg is obeyed without a probe (and so without the
  // probe's cache): it is how an operator overrides a stale answer.
  const auto accel_setting = options.accel.value_or(suite.accel);
  const double requested_scale =
      options.timeout_scale > 0 ? options.timeout_scale : suite.timeout_scale;
  vm::AccelChoice accel;
  if (accel_setting == config::Accel::kTcg) {
    accel = {vm::AccelKind::kTcg, "TCG requested"};
  } else if (accel_setting == config::Accel::kKvm) {
    accel = {vm::AccelKind::kKvm, "KVM requested"};
  } else {
    accel = services.probe_accel(images.begin()->second.kernel_image,
                                 vm::kvm_probe_timeout(requested_scale));
  }
  progress(fmt::format("accelerator: {} ({})", vm::to_string(accel.accel), accel.reason));
  double scale = requested_scale;
  if (scale <= 0) scale = vm::default_timeout_scale(accel.accel == vm::AccelKind::kKvm);
  const auto tcg_threads = options.tcg_threads.value_or(suite.tcg_threads);

  vm::Backend& backend = services.backend;
  const auto specs = suite.expand();
  const uint32_t budget =
      options.jobs > 0 ? options.jobs : static_cast<uint32_t>(vm::usable_host_cpus().size());
  vm::Pool pool(budget);
  const RunPolicy policy{options.crash_reruns, options.infra_retries};
  progress(
      fmt::format("{} runs, pool budget {} host CPUs (a TCG thread=single VM costs 1, "
                  "else its vCPUs), crash reruns {}, infra retries {}",
                  specs.size(), budget, policy.crash_reruns, policy.infra_retries));

  std::mutex mu;  // guards finished, record (suite.json) and stdout
  std::vector<std::optional<results::RunSummary>> finished(specs.size());
  // Records run I's final SUMMARY: printed, handed to the hook, and
  // suite.json rewritten. Called under MU.
  const auto finish = [&](size_t i, results::RunSummary summary) {
    std::fputs(results::format_run(summary).c_str(), stdout);
    std::fflush(stdout);
    if (options.on_run_done) options.on_run_done(summary);
    finished[i] = std::move(summary);
    record.runs.clear();
    for (const auto& f : finished)
      if (f) record.runs.push_back(*f);
    write_record();
  };
  std::vector<vm::PoolTask> tasks;
  std::vector<std::pair<size_t, RunInputs>> skipped;  // runs their kernel cannot host
  for (size_t i = 0; i < specs.size(); ++i) {
    const auto& spec = specs[i];
    RunInputs in;
    in.suite = suite.name;
    in.kernel = resolved.kernels.at(spec.kernel);
    in.topology = resolved.topologies.at(spec.topology);
    in.scenario = resolved.scenarios.at(spec.scenario);
    in.repeat_index = spec.repeat_index;
    in.image = images.at(spec.kernel);
    in.accel = accel;
    in.tcg_threads = tcg_threads;
    // A kernel's own timeout_scale (a debug kernel is slower) multiplies the run's.
    in.timeouts = vm::Timeouts{}.scaled(scale * in.image.timeout_scale);
    in.run_id = run_directory_name(i, spec);
    in.run_dir = result.dir / in.run_id;
    in.exclusive = suite.exclusive || in.scenario.exclusive;
    in.pool_cost = vm::run_cost(accel.accel, tcg_threads, in.topology.vcpus());
    in.kernel_features = features.at(spec.kernel);
    if (!kernelinfo::lacking_features(in.kernel_features, in.scenario.required_features).empty()) {
      skipped.emplace_back(i, std::move(in));
      continue;
    }
    vm::PoolTask task;
    task.id = in.run_id;
    task.cost = in.pool_cost;
    task.exclusive = in.exclusive;
    task.run = [&, i, in](const std::vector<uint32_t>& pinned) mutable {
      in.pin_cpus = pinned;
      // Parallel runs interleave their lines: each carries its run id.
      const std::string prefix = "[" + in.run_id + "] ";
      auto run_progress = [&](const std::string& line) { progress(prefix + line); };
      run_progress(fmt::format("starting ({}/{}, cost {}{})", i + 1, specs.size(), in.pool_cost,
                               pinned.empty() ? ""
                                              : ", exclusive, pinned to host CPUs " +
                                                    fmt::format("{}", fmt::join(pinned, ","))));
      auto summary = execute_with_policy(in, backend, policy, run_progress);
      std::lock_guard lock(mu);
      run_progress(fmt::format("{} ({:.1f} s): {}", results::to_string(summary.outcome),
                               summary.wall_seconds, summary.reason));
      finish(i, std::move(summary));
    };
    tasks.push_back(std::move(task));
  }
  // Skipped runs boot nothing: they are done before the pool starts.
  for (const auto& [i, in] : skipped) {
    const std::string lacking =
        kernelinfo::lacking_features(in.kernel_features, in.scenario.required_features);
    const auto run_progress = [&](const std::string& line) {
      progress("[" + in.run_id + "] " + line);
    };
    run_progress("skipped: " + lacking);
    std::lock_guard lock(mu);
    finish(i, skip_run(in, lacking, run_progress));
  }
  const auto stats = pool.run_all(std::move(tasks));
  progress(fmt::format("pool: at most {} runs and {} host CPUs of budget in use at once",
                       stats.peak_running, stats.peak_cost));
  for (auto& f : finished) result.runs.push_back(std::move(*f));
  record.runs = result.runs;
  write_record();  // the final wall time
  result.wall_seconds = record.wall_seconds;
  result.finished_at = std::chrono::system_clock::now();
  const auto prom = metrics::suite_metrics(metrics::suite_record(record, result.finished_at));
  if (auto st = prom.write_textfile(result.dir / "metrics.prom"); !st)
    progress("cannot write metrics.prom: " + st.error().message);
  result.infra_only_failures = !result.all_passed();
  for (const auto& r : result.runs)
    if (results::is_failure(r.outcome) && r.outcome != results::Outcome::kInfraError)
      result.infra_only_failures = false;
  return result;
}

}  // namespace scxfarm::runner
