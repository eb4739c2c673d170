// Each bad file yields FILE:LINE:COL, the field path, what is wrong and what
// is allowed; good files load with defaults applied.
#include "scxfarm/config/loader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "test_util.h"

namespace scxfarm::config {
namespace {

using testing::error_of;
using ::testing::HasSubstr;
using testing::ScratchConfigs;
using testing::testdata;

std::string at(const std::string& relative) {
  return (testdata() / relative).string();
}

TEST(LoadScenario, UnknownKeyNamesPositionFieldAndAllowedKeys) {
  auto msg = error_of(load_scenario(testdata() / "scenarios/unknown-key.yaml"));
  EXPECT_EQ(msg, at("scenarios/unknown-key.yaml") +
                     ":3:5: cgroups[0]: unknown key 'wieght' (allowed: name, weight, scheduler, "
                     "workloads, children); did you mean 'weight'?");
}

TEST(LoadScenario, WrongTypesAreAllReportedInFileOrder) {
  auto msg = error_of(load_scenario(testdata() / "scenarios/wrong-type.yaml"));
  const auto file = at("scenarios/wrong-type.yaml");
  EXPECT_EQ(msg, file + ":1:13: duration_s: expected an integer in 1..86400, got 'thirty'\n" +
                     file +
                     ":4:13: cgroups[0].weight: expected an integer in 1..10000, got 'heavy'\n" +
                     file + ":5:16: cgroups[0].scheduler: expected a mapping, got a list");
}

TEST(LoadScenario, OutOfRangeShowsTheAllowedRange) {
  auto msg = error_of(load_scenario(testdata() / "scenarios/out-of-range.yaml"));
  const auto file = at("scenarios/out-of-range.yaml");
  EXPECT_THAT(
      msg, HasSubstr(file + ":1:21: sample_interval_ms: 10 is out of range (allowed: 50..60000)"));
  EXPECT_THAT(
      msg, HasSubstr(file + ":4:13: cgroups[0].weight: 20000 is out of range (allowed: 1..10000)"));
}

TEST(LoadScenario, ChurnTargetMustBeACgroupPath) {
  auto msg = error_of(load_scenario(testdata() / "scenarios/churn-target.yaml"));
  EXPECT_EQ(msg,
            at("scenarios/churn-target.yaml") +
                ":8:18: churn[0].targets[1]: 'C' is not a cgroup of this scenario (cgroups: A, "
                "A/A1, B)");
}

TEST(LoadScenario, QmapArgsMustNotCarryTheCgroupOption) {
  auto msg = error_of(load_scenario(testdata() / "scenarios/qmap-c.yaml"));
  const auto file = at("scenarios/qmap-c.yaml");
  EXPECT_THAT(msg,
              HasSubstr(file + ":2:15: root_scheduler.qmap_args[0]: '-c' is not allowed: the agent "
                               "adds -c <cgroup path> itself"));
  EXPECT_THAT(msg,
              HasSubstr(file + ":6:19: cgroups[0].scheduler.qmap_args[0]: '-c/A' is not allowed"));
  // Only the qmap flags a scenario may use pass (-v is not one of them).
  EXPECT_THAT(msg, HasSubstr(file + ":6:27: cgroups[0].scheduler.qmap_args[1]: '-v' is not an "
                                    "allowed qmap flag (allowed: -s SLICE_US"));
}

TEST(LoadScenario, DuplicateKeysSiblingsAndWorkloadNamesAreRejected) {
  auto msg = error_of(load_scenario(testdata() / "scenarios/duplicates.yaml"));
  const auto file = at("scenarios/duplicates.yaml");
  EXPECT_THAT(msg, HasSubstr(file + ":2:1: duplicate key 'seed'"));
  // A missing field is reported at its parent's position.
  EXPECT_THAT(msg, HasSubstr(file + ":6:9: cgroups[0].workloads[0].args: kind: stress-ng needs "
                                    "--metrics-brief or --metrics in args"));
  EXPECT_THAT(msg, HasSubstr(file + ":7:11: cgroups[1].name: 'A' is already used by a sibling"));
  EXPECT_THAT(msg,
              HasSubstr(file + ":9:16: cgroups[1].workloads[0].name: 'w' is already the name of "
                               "cgroups[0].workloads[0]"));
}

TEST(LoadScenario, SyntaxErrorsCarryAPosition) {
  auto msg = error_of(load_scenario(testdata() / "scenarios/syntax-error.yaml"));
  EXPECT_THAT(msg, HasSubstr(at("scenarios/syntax-error.yaml") + ":2:1: YAML syntax error: "));
}

TEST(LoadScenario, MissingFileIsAnError) {
  auto msg = error_of(load_scenario(testdata() / "scenarios/absent.yaml"));
  EXPECT_THAT(msg, HasSubstr("absent.yaml: cannot read"));
}

TEST(LoadScenario, DefaultsAreApplied) {
  auto s = load_scenario(testdata() / "scenarios/minimal.yaml");
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->plan.name, "minimal");
  EXPECT_EQ(s->plan.duration_ms, 5000u);
  EXPECT_EQ(s->plan.seed, 1u);
  EXPECT_EQ(s->plan.sample_interval_ms, 250u);
  EXPECT_EQ(s->plan.qmap_stats_interval_s, 1u);
  EXPECT_EQ(s->plan.attach_timeout_ms, 30000u);
  EXPECT_TRUE(s->plan.root_scheduler.qmap_args.empty());
  EXPECT_TRUE(s->plan.cgroups.empty());
  EXPECT_TRUE(s->expect.all_schedulers_attach);
}

TEST(LoadScenario, TreeRulesDepthLeafWorkloadsKindsAndExpectations) {
  ScratchConfigs scratch;
  auto path = scratch.write("scenarios", "rules", R"(duration_s: 10
cgroups:
  - name: A
    scheduler:
    workloads:
      - {name: a, kind: sleep}
      - {name: c, kind: command}
    children:
      - name: B
        children: [{name: C, children: [{name: D, children: [{name: E, children: [{name: F,
          children: [{name: G, children: [{name: H, children: [{name: I}]}]}]}]}]}]}]
  - name: bad/name
churn:
  - kind: weight-swap
    targets: [A]
    period_ms: 1000
expect:
  min_churn_ops: 11
  caps_change: [A/B]
)");
  auto msg = error_of(load_scenario(path));
  const auto file = path.string();
  EXPECT_THAT(msg,
              HasSubstr(file + ":6:7: cgroups[0].workloads: workloads must be in a leaf cgroup"));
  EXPECT_THAT(msg,
              HasSubstr(":6:25: cgroups[0].workloads[0].kind: 'sleep' is not allowed (allowed: "
                        "stress-ng, hackbench, cyclictest, command, wakeup-probe)"));
  EXPECT_THAT(msg, HasSubstr("cgroups[0].workloads[1].args: kind: command needs args"));
  EXPECT_THAT(
      msg, HasSubstr(
               "cgroups[0].children[0].children[0].children[0].children[0].children[0]"
               ".children[0].children[0].children[0]: cgroup nesting depth 9 is too deep (allowed: "
               "1..8)"));
  EXPECT_THAT(msg, HasSubstr(":12:11: cgroups[1].name: 'bad/name' is not a valid cgroup name"));
  EXPECT_THAT(
      msg, HasSubstr(":15:14: churn[0].targets: weight-swap needs exactly 2 cgroup paths, got 1"));
  EXPECT_THAT(msg,
              HasSubstr(":18:18: expect.min_churn_ops: 11 can never be met: the churn applies at "
                        "most 10 ops"));
  EXPECT_THAT(msg,
              HasSubstr(":19:17: expect.caps_change[0]: cgroup 'A/B' has no scheduler (cgroups "
                        "with a scheduler: A)"));
}

TEST(LoadScenario, SchedulerKeyWithEmptyValueMeansAQmap) {
  ScratchConfigs scratch;
  auto path =
      scratch.write("scenarios", "sched", "cgroups:\n  - name: A\n    scheduler:\n  - name: B\n");
  auto s = load_scenario(path);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_TRUE(s->plan.cgroups[0].has_scheduler);
  EXPECT_FALSE(s->plan.cgroups[1].has_scheduler);
  EXPECT_EQ(s->plan.cgroups[1].weight, 100u);
}

TEST(LoadScenario, QuotedNumbersAreStringsNotIntegers) {
  ScratchConfigs scratch;
  auto path = scratch.write("scenarios", "quoted", "seed: \"7\"\n");
  EXPECT_THAT(
      error_of(load_scenario(path)),
      HasSubstr(":1:7: seed: expected an integer in 0..18446744073709551615, got the quoted "
                "string \"7\""));
}

TEST(LoadTopology, BadCpulist) {
  auto msg = error_of(load_topology(testdata() / "topologies/bad-cpulist.yaml"));
  EXPECT_EQ(msg, at("topologies/bad-cpulist.yaml") +
                     ":4:11: nodes[0].cpus: bad cpulist \"0-x\": '0-x' is not a cpu id or range "
                     "(expected a cpulist like \"0-3,8\")");
}

TEST(LoadTopology, AsymmetricDistances) {
  auto msg = error_of(load_topology(testdata() / "topologies/asymmetric.yaml"));
  EXPECT_EQ(msg,
            at("topologies/asymmetric.yaml") +
                ":10:6: distances[1][0]: 21 differs from distances[0][1] = 20 (the matrix must "
                "be symmetric)");
}

TEST(LoadTopology, VcpuInTwoNodes) {
  auto msg = error_of(load_topology(testdata() / "topologies/vcpu-in-two-nodes.yaml"));
  EXPECT_EQ(msg, at("topologies/vcpu-in-two-nodes.yaml") +
                     ":6:11: nodes[1].cpus: cpu 2 is already in nodes[0] (each vCPU belongs to "
                     "exactly one node)");
}

TEST(LoadTopology, SmpProductMismatch) {
  auto msg = error_of(load_topology(testdata() / "topologies/smp-mismatch.yaml"));
  const auto file = at("topologies/smp-mismatch.yaml");
  EXPECT_EQ(msg, file +
                     ":3:8: vcpus: 8 does not match sockets*cores_per_socket*threads_per_core = "
                     "2*2*1 = 4\n" +
                     file +
                     ":5:11: nodes[0].cpus: cpus 4-7 are out of range (allowed: 0..3, "
                     "sockets*cores_per_socket*threads_per_core = 2*2*1)");
}

TEST(LoadTopology, NodesMustCoverEveryVcpuAndEnoughMemory) {
  auto msg = error_of(load_topology(testdata() / "topologies/uncovered.yaml"));
  const auto file = at("topologies/uncovered.yaml");
  EXPECT_THAT(msg, HasSubstr(file + ":4:3: nodes: vCPUs 4-7 are in no node"));
  EXPECT_THAT(msg, HasSubstr(file + ":4:3: nodes: total memory 128 MiB is too small (allowed: at "
                                    "least 256 MiB over all nodes)"));
}

TEST(LoadTopology, DistanceShapeAndDiagonal) {
  ScratchConfigs scratch;
  auto path = scratch.write("topologies", "shape", R"(nodes:
  - {cpus: "0", memory_mib: 512}
  - {memory_mib: 512}
distances: [[11, 20], [20, 10, 20]]
)");
  auto msg = error_of(load_topology(path));
  EXPECT_THAT(msg, HasSubstr(":4:14: distances[0][0]: 11 is out of range (allowed: 10..10)"));
  EXPECT_THAT(msg,
              HasSubstr(":4:23: distances[1]: has 3 entries, expected 2 (the matrix is nodes x "
                        "nodes)"));
}

TEST(LoadTopology, MemoryOnlyNodeIsFine) {
  ScratchConfigs scratch;
  auto path = scratch.write(
      "topologies", "memonly",
      "nodes:\n  - {cpus: \"0\", memory_mib: 0}\n  - {cpus: \"\", memory_mib: 512}\n");
  auto t = load_topology(path);
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ(t->vcpus(), 1u);
  EXPECT_EQ(t->cpu_model, "max");
  EXPECT_TRUE(t->nodes[1].cpus.empty());
  EXPECT_TRUE(t->distances.empty());
}

TEST(LoadKernel, SourceSpecificFieldsAndDefaults) {
  auto k = load_kernel(testdata() / "kernels/k2.yaml");
  ASSERT_TRUE(k.ok()) << k.error().message;
  EXPECT_EQ(k->source, KernelConfig::Source::kDebian);
  EXPECT_EQ(k->extra_cmdline,
            (std::vector<std::string>{"nokaslr", "sched_ext.slice_bypass_us=1000"}));

  auto msg = error_of(load_kernel(testdata() / "kernels/bad-mixed.yaml"));
  const auto file = at("kernels/bad-mixed.yaml");
  EXPECT_THAT(msg,
              HasSubstr(file + ":1:1: missing required key 'binary_package' (needed by source: "
                               "debian)"));
  EXPECT_THAT(msg, HasSubstr(file + ":3:8: image: not allowed with source: debian (allowed with "
                                    "source: image)"));
  EXPECT_THAT(msg, HasSubstr(file + ":4:17: extra_cmdline[0]: 'a b' must be one non-empty word"));
}

TEST(LoadKernel, UnknownSourceListsTheChoices) {
  ScratchConfigs scratch;
  auto path = scratch.write("kernels", "git", "source: git\n");
  // Only the bad source: no cascade of "missing binary_package" errors.
  EXPECT_EQ(error_of(load_kernel(path)),
            path.string() + ":1:9: source: 'git' is not allowed (allowed: debian, image, build)");
}

// The command line a kernel config adds is checked against an allow-list:
// the farm's own parameters (console, panic, rdinit) cannot be overridden
// and nothing but parameter characters gets through.
TEST(LoadKernel, ExtraCmdlineIsCheckedAgainstTheAllowList) {
  ScratchConfigs scratch;
  auto ok = scratch.write("kernels", "ok",
                          "binary_package: linux-binary-x\nsource_package: linux-source-x\n"
                          "version: 7.3.4-1\nextra_cmdline: [nokaslr, lpj=4000000, "
                          "sched_ext.slice_bypass_us=1000, \"isolcpus=2-3,6\"]\n");
  auto k = load_kernel(ok);
  ASSERT_TRUE(k.ok()) << k.error().message;
  EXPECT_EQ(k->extra_cmdline.size(), 4u);

  auto bad = scratch.write("kernels", "bad",
                           "binary_package: linux-binary-x\nsource_package: linux-source-x\n"
                           "version: 7.3.4-1\nextra_cmdline: [rdinit=/bin/sh, \"panic=0;x\", "
                           "sched_ext.]\n");
  const auto msg = error_of(load_kernel(bad));
  EXPECT_THAT(msg, HasSubstr(":4:17: extra_cmdline[0]: 'rdinit=/bin/sh' has '/' (allowed "
                             "characters: A-Z a-z 0-9 _ . - = , :)"));
  EXPECT_THAT(msg, HasSubstr("extra_cmdline[1]: 'panic=0;x' has ';'"));
  EXPECT_THAT(msg, HasSubstr("extra_cmdline[2]: 'sched_ext.' sets 'sched_ext.', which a kernel "
                             "config may not set (allowed: nokaslr, lpj,"));
  auto console = scratch.write("kernels", "console",
                               "binary_package: linux-binary-x\nsource_package: linux-source-x\n"
                               "version: 7.3.4-1\nextra_cmdline: [console=tty0]\n");
  EXPECT_THAT(error_of(load_kernel(console)),
              HasSubstr("'console=tty0' sets 'console', which a kernel config may not set"));
}

// source: image: paths relative to the YAML file, checked at load time.
TEST(LoadKernel, ImageSourceResolvesPathsAgainstTheFile) {
  ScratchConfigs scratch;
  auto path =
      scratch.write("kernels", "mine", "source: image\nimage: ../out/bzImage\ntree: ../linux\n");
  const auto dir = path.parent_path();
  std::filesystem::create_directories(dir / "../out");
  std::filesystem::create_directories(dir / "../linux");
  std::ofstream(dir / "../out/bzImage") << "x";
  auto k = load_kernel(path);
  ASSERT_TRUE(k.ok()) << k.error().message;
  EXPECT_EQ(k->source, KernelConfig::Source::kImage);
  EXPECT_EQ(k->image, (dir / "../out/bzImage").lexically_normal());
  EXPECT_EQ(k->tree, (dir / "../linux").lexically_normal());
  EXPECT_TRUE(k->vmlinux.empty());
  EXPECT_EQ(k->timeout_scale, 1.0);
}

TEST(LoadKernel, MissingFilesAreNamedByField) {
  ScratchConfigs scratch;
  auto path = scratch.write("kernels", "mine",
                            "source: image\nimage: nowhere/bzImage\ntree: /nonexistent-tree\n");
  const auto dir = path.parent_path().string();
  EXPECT_EQ(error_of(load_kernel(path)),
            path.string() + ":2:8: image: '" + dir +
                "/nowhere/bzImage' does not exist (expected a file; relative paths start at this "
                "file's directory)\n" +
                path.string() +
                ":3:7: tree: '/nonexistent-tree' does not exist (expected a directory; "
                "relative paths start at this file's directory)");
}

TEST(LoadKernel, BuildSourceTakesATarballOrATreeAndNeedsFragments) {
  ScratchConfigs scratch;
  const auto dir = scratch.write("kernels", "probe", "source: debian\n").parent_path();
  std::filesystem::create_directories(dir / "fragments");
  std::filesystem::create_directories(dir / "series");
  std::ofstream(dir / "fragments/a.config") << "CONFIG_X=y\n";
  std::ofstream(dir / "one.patch") << "";
  auto ok = scratch.write("kernels", "b",
                          "source: build\nsource_package: linux-source-7.3\nversion: 7.3.4-1\n"
                          "patches: [one.patch, series]\nfragments: [fragments/a.config]\n"
                          "timeout_scale: 2.5\n");
  auto k = load_kernel(ok);
  ASSERT_TRUE(k.ok()) << k.error().message;
  EXPECT_EQ(k->source, KernelConfig::Source::kBuild);
  EXPECT_EQ(k->patches, (std::vector<std::filesystem::path>{dir / "one.patch", dir / "series"}));
  EXPECT_EQ(k->fragments, (std::vector<std::filesystem::path>{dir / "fragments/a.config"}));
  EXPECT_EQ(k->timeout_scale, 2.5);

  auto both = scratch.write("kernels", "c",
                            "source: build\ntree: series\nsource_package: linux-source-7.3\n"
                            "version: 7.3.4-1\nfragments: [fragments/a.config]\n");
  EXPECT_EQ(error_of(load_kernel(both)),
            both.string() +
                ":2:7: tree: give either 'tree' (a git work tree) or 'source_package' + 'version' "
                "(a Debian linux-source tarball), not both");

  auto neither = scratch.write("kernels", "d", "source: build\nfragments: []\nimage: x\n");
  EXPECT_EQ(error_of(load_kernel(neither)),
            neither.string() +
                ":1:1: missing required key 'tree', or 'source_package' and 'version' (needed by "
                "source: build)\n" +
                neither.string() +
                ":2:12: fragments: must name at least one fragment (e.g. "
                "fragments/sched-ext.config)\n" +
                neither.string() +
                ":3:8: image: not allowed with source: build (allowed with source: image)");
}

TEST(LoadSuite, BadValues) {
  auto msg = error_of(load_suite(testdata() / "suites/bad-values.yaml"));
  const auto file = at("suites/bad-values.yaml");
  EXPECT_EQ(msg, file + ":1:10: kernels: must name at least one config\n" + file +
                     ":2:17: topologies[1]: 't' is listed twice\n" + file +
                     ":4:9: repeat: 0 is out of range (allowed: 1..100)\n" + file +
                     ":5:8: accel: 'fast' is not allowed (allowed: auto, kvm, tcg)\n" + file +
                     ":6:16: timeout_scale: 0.05 is out of range (allowed: 0 = by accel, or "
                     "0.1..100)");
}

TEST(LoadSuite, ValuesAndExpandOrder) {
  auto s = load_suite(testdata() / "suites/good.yaml");
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->accel, Accel::kTcg);
  EXPECT_EQ(s->tcg_threads, TcgThreads::kMulti);
  EXPECT_DOUBLE_EQ(s->timeout_scale, 2.5);

  SuiteConfig suite;
  suite.kernels = {"k1", "k2"};
  suite.topologies = {"t1"};
  suite.scenarios = {"s1", "s2"};
  suite.repeat = 2;
  std::vector<std::string> got;
  for (const auto& r : suite.expand()) {
    got.push_back(r.kernel + "/" + r.topology + "/" + r.scenario + "#" +
                  std::to_string(r.repeat_index));
  }
  EXPECT_EQ(got,
            (std::vector<std::string>{"k1/t1/s1#0", "k1/t1/s1#1", "k1/t1/s2#0", "k1/t1/s2#1",
                                      "k2/t1/s1#0", "k2/t1/s1#1", "k2/t1/s2#0", "k2/t1/s2#1"}));
}

TEST(LoadAny, TopLevelMustBeAMappingAndFileNonEmpty) {
  ScratchConfigs scratch;
  EXPECT_THAT(error_of(load_suite(scratch.write("suites", "list", "- a\n"))),
              HasSubstr("list.yaml:1:1: expected a mapping, got a list"));
  EXPECT_THAT(error_of(load_suite(scratch.write("suites", "empty", "# nothing\n"))),
              HasSubstr("empty.yaml: file is empty"));
}

TEST(LoadScenario, DelegationChurnKindsQmapFlagsAndExpectations) {
  ScratchConfigs scratch;
  auto path = scratch.write("scenarios", "deleg", R"(duration_s: 10
root_scheduler:
  qmap_args: [-B, "0", -e, "5"]
cgroups:
  - name: A
    scheduler:
      qmap_args: [-J, wrong-cidx, -B, "3", -s]
    children:
      - {name: A1, scheduler: {}}
  - {name: B}
churn:
  - {kind: detach-attach, targets: [A]}
  - {kind: subtree-kill, targets: [B]}
  - {kind: hotplug, cpus: [0, 3]}
  - {kind: weight-random, targets: [A], min_weight: 500, max_weight: 20}
  - {kind: shuffle, targets: [A]}
expect:
  exits: [B]
  injection: {cgroup: A, mode: bounced}
)");
  auto msg = error_of(load_scenario(path));
  EXPECT_THAT(msg, HasSubstr(":3:24: root_scheduler.qmap_args[2]: '-e' is not an allowed qmap "
                             "flag (allowed: -s SLICE_US, -R MS, -B PPT (root only), -I, -F "
                             "COUNT, -J wrong-cid, -q US (root only))"));
  EXPECT_THAT(msg, HasSubstr("'wrong-cidx' is not a valid wrong-cid for -J (allowed: wrong-cid)"));
  EXPECT_THAT(msg, HasSubstr("'-B' is for the root scheduler only"));
  EXPECT_THAT(msg, HasSubstr("'-s' needs a value SLICE_US"));
  EXPECT_THAT(msg, HasSubstr("churn[0].targets[0]: 'A' has a sub-scheduler (A/A1): detach-attach "
                             "takes leaf schedulers only"));
  EXPECT_THAT(msg, HasSubstr("churn[1].targets[0]: cgroup 'B' has no scheduler to subtree-kill"));
  EXPECT_THAT(msg, HasSubstr("churn[2].cpus[0]: cpu0 is not hot-pluggable"));
  EXPECT_THAT(msg, HasSubstr("churn[3]: min_weight 500 > max_weight 20"));
  EXPECT_THAT(msg, HasSubstr("churn[4].kind: 'shuffle' is not allowed (allowed: weight-swap, "
                             "weight-random, detach-attach, subtree-kill, hotplug, migrate)"));
  EXPECT_THAT(msg, HasSubstr("expect.exits[0]: 'B' is not a cgroup with a scheduler"));
  EXPECT_THAT(msg, HasSubstr("expect.injection.mode: 'bounced' is not allowed (allowed: bounce, "
                             "rescue)"));
}

TEST(LoadScenario, DelegationFieldsLoad) {
  ScratchConfigs scratch;
  auto path = scratch.write("scenarios", "ok", R"(duration_s: 10
settle_ms: 2000
root_scheduler: {qmap_args: [-B0, -q, "500"]}
cgroups:
  - {name: A, scheduler: {qmap_args: [-I, -F16, -J, wrong-cid]}}
  - {name: B, scheduler: {}}
churn:
  - {kind: migrate, targets: [A, B], period_ms: 100}
  - {kind: detach-attach, targets: [B], at_ms: [1000, 3000]}
expect:
  min_churn_ops: 82
  exits: [A]
  max_starvation_ms: 3000
  injection: {cgroup: A, mode: bounce, min_attempts: 5}
)");
  auto s = load_scenario(path);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->plan.settle_ms, 2000u);
  EXPECT_EQ(s->plan.churn[1].at_ms, (std::vector<uint32_t>{1000, 3000}));
  EXPECT_EQ(s->plan.cgroups[0].scheduler.qmap_args,
            (std::vector<std::string>{"-I", "-F16", "-J", "wrong-cid"}));
  EXPECT_EQ(s->expect.max_starvation_ms, 3000u);
  EXPECT_EQ(s->expect.injection_mode, "bounce");
  EXPECT_EQ(s->expect.injection_min_attempts, 5u);
  // 80 migrations fit in 10 s - 2 s settle, plus 2 scripted: 83 would be impossible.
}

}  // namespace
}  // namespace scxfarm::config
