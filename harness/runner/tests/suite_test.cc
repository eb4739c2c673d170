// run_suite on the fake VM backend: the pool, the rerun and retry policy,
// suite.json and the per-run hook, with a stand-in accelerator probe and
// stand-in images (nothing is provisioned, no VM boots). The fixture:
// suite_fixture.h.
#include <algorithm>
#include <set>

#include "scxfarm/common/fs.h"
#include "scxfarm/metrics/suite_export.h"
#include "scxfarm/results/result_files.h"
#include "scxfarm/results/timestamp.h"
#include "scxfarm/vm/pool.h"
#include "suite_fixture.h"

namespace fs = std::filesystem;

namespace scxfarm::runner {
namespace {

using fake_runs::healthy_guest;
using results::Outcome;
using suite_testing::crashing;
using suite_testing::RunSuite;
using suite_testing::scenario;
using vm::FakeScript;

TEST_F(RunSuite, TwoRunsOverlapUnderTwoJobs) {
  resolved_.suite.repeat = 2;
  options_.jobs = 2;
  auto script = healthy_guest();
  script.await_alive = 2;  // each VM holds its hello until both are up
  auto result = run({script});
  ASSERT_TRUE(result.ok()) << result.error().message;
  ASSERT_EQ(result->runs.size(), 2u);
  for (const auto& r : result->runs) {
    EXPECT_EQ(r.outcome, Outcome::kPass) << r.run_id << ": " << r.reason;
    EXPECT_EQ(r.pool_cost, 1u);  // TCG thread=single
    EXPECT_FALSE(r.exclusive);
    EXPECT_TRUE(r.pinned_cpus.empty());
  }
  EXPECT_EQ(backend_->created(), 2u);  // a fresh VM per run
  EXPECT_EQ(backend_->max_alive(), 2u);
  const auto timeline = backend_->timeline();
  ASSERT_EQ(timeline.size(), 4u);
  EXPECT_TRUE(timeline[0].started && timeline[1].started)
      << "the second VM started after the first ended";
  EXPECT_TRUE(result->all_passed());
  EXPECT_EQ(result->runs[0].run_id,
            "00-k-numa1x4-boot-verify-r0");  // suite order, not finish order
  EXPECT_EQ(result->runs[1].run_id, "01-k-numa1x4-boot-verify-r1");
}

TEST_F(RunSuite, ExclusiveRunRunsAloneOnPinnedCpus) {
  resolved_.suite.scenarios = {"before", "alone", "after"};
  resolved_.suite.repeat = 2;
  resolved_.scenarios = {{"before", scenario("before")},
                         {"alone", scenario("alone", true)},
                         {"after", scenario("after")}};
  options_.jobs = 2;
  // The two "before" runs start first (the exclusive one waits for an idle
  // pool) and wait for each other, so the pool is shown to be shared.
  auto shared = healthy_guest();
  shared.await_alive = 2;
  auto result = run({shared, shared, healthy_guest()});
  ASSERT_TRUE(result.ok()) << result.error().message;
  ASSERT_EQ(result->runs.size(), 6u);
  const auto host_cpus = vm::usable_host_cpus();
  std::set<std::string> exclusive_runs;
  for (const auto& r : result->runs) {
    EXPECT_EQ(r.outcome, Outcome::kPass) << r.run_id << ": " << r.reason;
    EXPECT_EQ(r.exclusive, r.scenario == "alone") << r.run_id;
    if (!r.exclusive) {
      EXPECT_TRUE(r.pinned_cpus.empty()) << r.run_id;
      continue;
    }
    exclusive_runs.insert(r.run_id);
    ASSERT_EQ(r.pinned_cpus.size(), 1u) << r.run_id;  // its cost's worth of host CPUs
    EXPECT_EQ(r.pinned_cpus[0], host_cpus[0]);
    EXPECT_EQ(read_json(fs::path(r.run_dir) / "run.json")["pinned_cpus"],
              nlohmann::json(r.pinned_cpus));
  }
  ASSERT_EQ(exclusive_runs.size(), 2u);
  // The VM was created pinned, and nothing else was alive from its start to its end.
  const auto specs = backend_->specs();
  const auto timeline = backend_->timeline();
  std::set<size_t> alive;
  std::string alone;  // the exclusive run alive now, "" = none
  for (const auto& event : timeline) {
    const std::string run_id = run_of_instance(event.instance);
    if (event.started) {
      EXPECT_EQ(alone, "") << run_id << " started during an exclusive run";
      if (exclusive_runs.count(run_id)) {
        EXPECT_TRUE(alive.empty()) << run_id << " did not start alone";
        EXPECT_FALSE(specs[event.instance].pin_cpus.empty()) << run_id;
        alone = run_id;
      }
      alive.insert(event.instance);
    } else {
      alive.erase(event.instance);
      if (alone == run_id) alone.clear();
    }
  }
  EXPECT_EQ(backend_->max_alive(), 2u);  // the "before" runs did share the pool
}

// The suite's wall time is measured once, by run_suite, and recorded in
// suite.json: metrics.prom and `scxfarm export` both report that, not a sum
// of the runs' wall times (the pool overlaps them).
TEST_F(RunSuite, SuiteJsonRecordsTheSuitesWallTimeForEveryReader) {
  resolved_.suite.repeat = 2;
  options_.jobs = 2;
  auto script = healthy_guest();
  script.await_alive = 2;  // the two runs overlap
  auto result = run({script});
  ASSERT_TRUE(result.ok()) << result.error().message;
  ASSERT_EQ(result->runs.size(), 2u);

  auto file = results::read_suite_json(result->dir);
  ASSERT_TRUE(file.ok()) << file.error().message;
  EXPECT_EQ(file->suite, "unit");
  EXPECT_EQ(file->runs, result->runs);
  EXPECT_EQ(file->wall_seconds, result->wall_seconds);
  EXPECT_TRUE(results::parse_utc_timestamp(file->started_at)) << file->started_at;
  for (const auto& r : result->runs) EXPECT_GE(result->wall_seconds, r.wall_seconds) << r.run_id;
  EXPECT_EQ(read_json(result->dir / "suite.json")["schema_version"], results::kSchemaVersion);

  const auto prom = read_file(result->dir / "metrics.prom");
  ASSERT_TRUE(prom.ok());
  const auto in_prom =
      metrics::find_sample(*prom, R"(scxfarm_suite_duration_seconds{suite="unit"})");
  ASSERT_TRUE(in_prom) << *prom;
  EXPECT_DOUBLE_EQ(*in_prom, result->wall_seconds);
  auto exported = metrics::load_suite_record(result->dir);
  ASSERT_TRUE(exported.ok()) << exported.error().message;
  EXPECT_EQ(exported->duration_seconds, result->wall_seconds);
}

TEST_F(RunSuite, KernelCrashIsRerunIntoItsOwnDirectory) {
  options_.crash_reruns = 1;
  auto result = run({crashing()});
  ASSERT_TRUE(result.ok()) << result.error().message;
  ASSERT_EQ(result->runs.size(), 1u);
  const auto& r = result->runs[0];
  EXPECT_EQ(r.outcome, Outcome::kKernelCrash) << r.reason;
  EXPECT_EQ(r.crash_determinism, "deterministic");
  EXPECT_EQ(r.rerun_outcomes, (std::vector<std::string>{"kernel-crash: " + r.crash_signature}));
  EXPECT_EQ(backend_->created(), 2u);
  EXPECT_TRUE(fs::exists(fs::path(r.run_dir) / "console.log"));
  EXPECT_TRUE(fs::exists(fs::path(r.run_dir) / "rerun-1" / "console.log"));
  EXPECT_FALSE(result->infra_only_failures);  // a crash is a verdict on the kernel
  const auto suite_json = read_json(result->dir / "suite.json");
  ASSERT_EQ(suite_json["runs"].size(), 1u);
  EXPECT_EQ(suite_json["runs"][0]["crash_determinism"], "deterministic");
}

TEST_F(RunSuite, InfraErrorIsRetriedAndCountsOnlyAsInfra) {
  FakeScript missing;
  missing.create_error = "QEMU missing: qemu-system-x86_64 is not an executable in $PATH";
  options_.infra_retries = 2;
  auto healed = run({missing, healthy_guest()});
  ASSERT_TRUE(healed.ok()) << healed.error().message;
  ASSERT_EQ(healed->runs.size(), 1u);
  EXPECT_EQ(healed->runs[0].outcome, Outcome::kPass) << healed->runs[0].reason;
  EXPECT_EQ(healed->runs[0].infra_retries, 1u);
  EXPECT_EQ(healed->runs[0].infra_errors, (std::vector<std::string>{missing.create_error}));
  EXPECT_TRUE(healed->all_passed());

  fs::remove_all(dir_);  // a second suite: the retries never help
  auto broken = run({missing});
  ASSERT_TRUE(broken.ok()) << broken.error().message;
  EXPECT_EQ(broken->runs[0].outcome, Outcome::kInfraError);
  EXPECT_EQ(backend_->created(), 3u);  // the run and two retries
  EXPECT_FALSE(broken->all_passed());
  EXPECT_TRUE(broken->infra_only_failures);
}

TEST_F(RunSuite, SuiteJsonIsRewrittenAfterEachRun) {
  resolved_.suite.repeat = 3;
  std::vector<size_t> runs_on_disk;  // suite.json's run count as each run finishes
  std::vector<std::string> hooked;
  options_.on_run_done = [&](const results::RunSummary& summary) {
    hooked.push_back(summary.run_id);
    // The hook runs before this run's rewrite: the file holds the earlier runs.
    const auto path = suite_dir() / "suite.json";
    runs_on_disk.push_back(fs::exists(path) ? read_json(path)["runs"].size() : 0);
  };
  auto result = run({healthy_guest()});
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(hooked,
            (std::vector<std::string>{"00-k-numa1x4-boot-verify-r0", "01-k-numa1x4-boot-verify-r1",
                                      "02-k-numa1x4-boot-verify-r2"}));
  EXPECT_EQ(runs_on_disk, (std::vector<size_t>{0, 1, 2}));
  const auto suite_json = read_json(result->dir / "suite.json");
  EXPECT_EQ(suite_json["suite"], "unit");
  ASSERT_EQ(suite_json["runs"].size(), 3u);
  for (size_t i = 0; i < 3; ++i) EXPECT_EQ(suite_json["runs"][i]["run_id"], hooked[i]);
  EXPECT_TRUE(fs::exists(result->dir / "metrics.prom"));
}

TEST_F(RunSuite, TheProbeDecidesOnlyForAuto) {
  auto requested = run({healthy_guest()});
  ASSERT_TRUE(requested.ok()) << requested.error().message;
  EXPECT_TRUE(probed_kernels_.empty());
  EXPECT_EQ(requested->runs[0].accel_reason, "TCG requested");

  fs::remove_all(dir_);
  options_.accel = config::Accel::kAuto;
  auto probed = run({healthy_guest()});
  ASSERT_TRUE(probed.ok()) << probed.error().message;
  EXPECT_EQ(probed_kernels_, (std::vector<fs::path>{"/fake/k/vmlinuz"}));
  EXPECT_EQ(probed->runs[0].accel, "tcg");
  EXPECT_EQ(probed->runs[0].accel_reason, probe_answer_.reason);
  EXPECT_EQ(backend_->specs().at(0).kernel, "/fake/k/vmlinuz");
  const std::string line = "accelerator: tcg (" + probe_answer_.reason + ")";
  EXPECT_NE(std::find(progress_.begin(), progress_.end(), line), progress_.end()) << line;
}

// An explicit kvm is how an operator overrides a probe (or a cached answer)
// that says TCG: no probe runs, and the VMs boot under KVM.
TEST_F(RunSuite, KvmRequestedIsObeyedWithoutAProbe) {
  options_.accel = config::Accel::kKvm;
  auto result = run({healthy_guest()});
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_TRUE(probed_kernels_.empty());
  EXPECT_EQ(result->runs[0].accel, "kvm");
  EXPECT_EQ(result->runs[0].accel_reason, "KVM requested");
  EXPECT_EQ(backend_->specs().at(0).accel, vm::AccelKind::kKvm);
}

// The probe's timeout is a share of a boot from the timeout table, scaled by
// a requested --timeout-scale (KVM's own factor 1 otherwise), not a constant.
TEST_F(RunSuite, TheProbeTimeoutFollowsTheTimeoutTable) {
  options_.accel = config::Accel::kAuto;
  ASSERT_TRUE(run({healthy_guest()}).ok());
  fs::remove_all(dir_);
  options_.timeout_scale = 0;  // neither the command line nor the suite asks
  ASSERT_TRUE(run({healthy_guest()}).ok());
  using std::chrono::milliseconds;
  EXPECT_EQ(probe_timeouts_,
            (std::vector<milliseconds>{milliseconds(1'000), milliseconds(10'000)}));
}

// A kernel's own timeout_scale (a debug kernel is slower) multiplies the
// suite's: a guest pausing 1 s between messages times out under a 0.5 s
// no-output timeout and passes once its kernel declares a factor of 4.
TEST_F(RunSuite, AKernelsTimeoutScaleStretchesItsRunsTimeouts) {
  options_.timeout_scale = 1.0 / 30;  // no output 0.5 s, boot 1.3 s
  auto slow = healthy_guest();
  slow.samples = 1;
  slow.gap = std::chrono::milliseconds(1000);
  auto stock = run({slow});
  ASSERT_TRUE(stock.ok()) << stock.error().message;
  EXPECT_EQ(stock->runs.at(0).outcome, Outcome::kTimeout) << stock->runs.at(0).reason;

  fs::remove_all(dir_);
  resolved_.kernels["k"].timeout_scale = 4.0;
  auto debug = run({slow});
  ASSERT_TRUE(debug.ok()) << debug.error().message;
  EXPECT_EQ(debug->runs.at(0).outcome, Outcome::kPass) << debug->runs.at(0).reason;
}

TEST_F(RunSuite, ProvisioningFailureStopsBeforeAnyVm) {
  prepare_error_ = "guest root: mmdebstrap failed";
  auto result = run({healthy_guest()});
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("provisioning kernel k"), std::string::npos)
      << result.error().message;
  EXPECT_EQ(backend_->created(), 0u);
  EXPECT_TRUE(probed_kernels_.empty());
}

}  // namespace
}  // namespace scxfarm::runner
