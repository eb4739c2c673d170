// Kernel features before any run: run_suite probes each kernel once, a run
// whose scenario requires a feature the kernel lacks is skipped without a
// VM (never failed), and every run.json records its kernel's probe.
#include <algorithm>

#include "scxfarm/common/fs.h"
#include "scxfarm/metrics/metrics_set.h"
#include "scxfarm/results/result_files.h"
#include "scxfarm/results/summary_text.h"
#include "suite_fixture.h"

namespace fs = std::filesystem;

namespace scxfarm::runner {
namespace {

using fake_runs::healthy_guest;
using kernelinfo::Feature;
using results::Outcome;
using suite_testing::features_lacking;
using suite_testing::RunSuite;
using suite_testing::scenario;

config::ScenarioConfig nested(const std::string& name) {
  auto s = scenario(name);
  s.required_features = {Feature::kSchedExt, Feature::kSubSched};
  return s;
}

// A 6.12-like kernel (sched_ext without sub-schedulers) runs the root-only
// scenario and skips the nested one, naming the feature and its symbols.
TEST_F(RunSuite, ANestedScenarioIsSkippedOnAKernelWithoutSubSchedulers) {
  resolved_.suite.scenarios = {"boot-verify", "smoke-nested"};
  resolved_.scenarios["smoke-nested"] = nested("smoke-nested");
  kernel_features_["k"] = features_lacking({Feature::kSubSched, Feature::kSubRescue});
  auto result = run({healthy_guest()});
  ASSERT_TRUE(result.ok()) << result.error().message;
  ASSERT_EQ(result->runs.size(), 2u);
  EXPECT_EQ(result->runs[0].outcome, Outcome::kPass) << result->runs[0].reason;
  const auto& skipped = result->runs[1];
  EXPECT_EQ(skipped.outcome, Outcome::kSkipped);
  EXPECT_EQ(skipped.reason,
            "kernel lacks sub-sched (no sched_ext_ops.sub_attach in the kernel's BTF)");
  EXPECT_EQ(skipped.required_features, (std::vector<std::string>{"sched-ext", "sub-sched"}));
  EXPECT_EQ(skipped.kernel_features, kernel_features_["k"]);
  EXPECT_EQ(skipped.wall_seconds, 0);
  EXPECT_EQ(skipped.accel, "");  // nothing booted
  EXPECT_EQ(backend_->created(), 1u) << "only boot-verify boots a VM";
  EXPECT_EQ(run_of_instance(0), result->runs[0].run_id);
  EXPECT_TRUE(progress_has("[01-k-numa1x4-smoke-nested-r0] skipped: kernel lacks sub-sched"));

  // A suite of passes and skips passed, and says how many were skipped.
  EXPECT_TRUE(result->all_passed());
  EXPECT_FALSE(result->infra_only_failures);
  EXPECT_NE(results::format_suite_table(result->runs)
                .find("1 passed, 0 failed, 1 skipped (the kernel lacks a required feature)"),
            std::string::npos);

  // On disk: run.json in the run's own directory, suite.json, metrics.prom.
  auto on_disk = results::read_run_json(skipped.run_dir);
  ASSERT_TRUE(on_disk.ok()) << on_disk.error().message;
  EXPECT_EQ(*on_disk, skipped);
  const auto raw = read_json(fs::path(skipped.run_dir) / "run.json");
  EXPECT_EQ(raw["outcome"], "skipped");
  EXPECT_FALSE(fs::exists(fs::path(skipped.run_dir) / "console.log"));
  auto suite = results::read_suite_json(result->dir);
  ASSERT_TRUE(suite.ok()) << suite.error().message;
  EXPECT_EQ(suite->runs, result->runs);
  const auto prom = read_file(result->dir / "metrics.prom");
  ASSERT_TRUE(prom.ok());
  EXPECT_NE(prom->find("outcome=\"skipped\""), std::string::npos) << *prom;
  EXPECT_TRUE(
      metrics::find_sample(*prom, R"(scxfarm_last_success_timestamp_seconds{suite="unit"})"))
      << "passes and skips are a successful suite";
}

// Only the missing required features are named, one clause each.
TEST_F(RunSuite, EveryMissingRequiredFeatureIsNamed) {
  auto s = nested("wrong-cid-rescue");
  s.required_features = {Feature::kSchedExt, Feature::kSubSched, Feature::kCid,
                         Feature::kSubRescue};
  resolved_.suite.scenarios = {"wrong-cid-rescue"};
  resolved_.scenarios["wrong-cid-rescue"] = s;
  kernel_features_["k"] = features_lacking({Feature::kCid, Feature::kSubRescue, Feature::kSubKill});
  auto result = run({healthy_guest()});
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result->runs[0].outcome, Outcome::kSkipped);
  EXPECT_EQ(result->runs[0].reason,
            "kernel lacks cid (no kfunc scx_bpf_cpu_to_cid in the kernel's BTF); kernel lacks "
            "sub-rescue (no scx_event_stats.SCX_EV_SUB_RESCUE in the kernel's BTF)");
  EXPECT_EQ(backend_->created(), 0u);
}

// Each kernel is probed once, however many runs it has, and each run
// records its own kernel's probe.
TEST_F(RunSuite, EachKernelIsProbedOnceAndEveryRunRecordsItsProbe) {
  resolved_.suite.kernels = {"k", "old"};
  resolved_.kernels["old"].name = "old";
  resolved_.suite.repeat = 2;
  kernel_features_["old"] = features_lacking({Feature::kSubSched}, "/fake/old/vmlinux");
  auto result = run({healthy_guest()});
  ASSERT_TRUE(result.ok()) << result.error().message;
  std::vector<fs::path> probed = btf_probed_;
  std::sort(probed.begin(), probed.end());
  EXPECT_EQ(probed, (std::vector<fs::path>{"/fake/k", "/fake/old"}));
  ASSERT_EQ(result->runs.size(), 4u);
  for (const auto& r : result->runs) {
    EXPECT_EQ(r.outcome, Outcome::kPass) << r.run_id << ": " << r.reason;  // root-only
    EXPECT_EQ(r.kernel_features.vmlinux, "/fake/" + r.kernel + "/vmlinux") << r.run_id;
    EXPECT_EQ(read_json(fs::path(r.run_dir) / "run.json")["kernel_features"]["vmlinux"],
              "/fake/" + r.kernel + "/vmlinux");
  }
  EXPECT_TRUE(result->runs[2].kernel_features.has(Feature::kSchedExt));
  EXPECT_FALSE(result->runs[2].kernel_features.has(Feature::kSubSched));
  EXPECT_TRUE(
      progress_has("kernel old: BTF probed in 1 ms: has sched-ext, sub-kill, cid, "
                   "sub-rescue, observer-hooks; lacks sub-sched"));
}

// A kernel whose BTF cannot be read stops the suite before any VM, like a
// provisioning failure.
TEST_F(RunSuite, AProbeFailureStopsBeforeAnyVm) {
  btf_probe_error_ = "/fake/k/vmlinux: no readable BTF";
  auto result = run({healthy_guest()});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().message, "probing kernel k: /fake/k/vmlinux: no readable BTF");
  EXPECT_EQ(backend_->created(), 0u);
}

}  // namespace
}  // namespace scxfarm::runner
