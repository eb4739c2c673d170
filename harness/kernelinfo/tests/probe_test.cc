// The BTF probe on small kernels built in the test (btf_builder.h): a
// 7.3-like BTF has every feature, a 6.12-like one lacks the sub-scheduler
// features and each absence names its missing symbols.
#include "scxfarm/kernelinfo/probe.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "btf_builder.h"
#include "scxfarm/common/fs.h"
#include "scxfarm/common/process.h"

namespace fs = std::filesystem;

namespace scxfarm::kernelinfo {
namespace {

using testing::KernelShape;

KernelFeatures probe_shape(const KernelShape& shape, const std::string& name) {
  const fs::path file = testing::scratch_dir(name) / "btf";
  testing::write_raw_btf(shape, file);
  auto probed = probe_btf(file);
  EXPECT_TRUE(probed.ok()) << probed.error().message;
  return probed.ok() ? *probed : KernelFeatures{};
}

std::vector<std::string> missing_of(const KernelFeatures& k, Feature f) {
  const FeatureStatus* s = k.status(f);
  EXPECT_NE(s, nullptr) << to_string(f);
  return s ? s->missing : std::vector<std::string>{};
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(ProbeBtf, AKernelLike73HasEveryFeature) {
  const auto k = probe_shape(testing::kernel_7_3(), "73");
  ASSERT_EQ(k.features.size(), kFeatureSpellings.size());
  for (const auto& [name, feature] : kFeatureSpellings) {
    EXPECT_TRUE(k.has(feature)) << name << ": " << k.status(feature)->reason;
    EXPECT_TRUE(k.status(feature)->reason.empty());
  }
  EXPECT_EQ(k.kfuncs, (std::vector<std::string>{
                          "scx_bpf_sub_grant", "scx_bpf_sub_revoke", "scx_bpf_sub_kill_bstr",
                          "scx_bpf_sub_kill_bstr_impl", "scx_bpf_cpu_to_cid"}));
  EXPECT_EQ(k.events, testing::kernel_7_3().event_stats);
  EXPECT_GT(k.btf_types, 10u);
  EXPECT_GT(k.probe_ms, 0);
  const Feature all[] = {Feature::kSchedExt, Feature::kSubSched, Feature::kCid};
  EXPECT_EQ(lacking_features(k, all), "");
}

TEST(ProbeBtf, AKernelLike612LacksSubSchedulersAndNamesTheMissingSymbols) {
  const auto k = probe_shape(testing::kernel_6_12(), "612");
  EXPECT_TRUE(k.has(Feature::kSchedExt));
  EXPECT_TRUE(k.has(Feature::kObserverHooks));
  EXPECT_FALSE(k.has(Feature::kSubSched));
  EXPECT_EQ(missing_of(k, Feature::kSubSched),
            (std::vector<std::string>{"sched_ext_ops.sub_attach", "sched_ext_ops.sub_caps_updated",
                                      "kfunc scx_bpf_sub_grant", "kfunc scx_bpf_sub_revoke"}));
  EXPECT_EQ(k.status(Feature::kSubSched)->reason,
            "no sched_ext_ops.sub_attach, sched_ext_ops.sub_caps_updated, kfunc "
            "scx_bpf_sub_grant, kfunc scx_bpf_sub_revoke in the kernel's BTF");
  EXPECT_EQ(missing_of(k, Feature::kSubKill), std::vector<std::string>{"kfunc scx_bpf_sub_kill*"});
  EXPECT_EQ(missing_of(k, Feature::kCid), std::vector<std::string>{"kfunc scx_bpf_cpu_to_cid"});
  EXPECT_EQ(missing_of(k, Feature::kSubRescue),
            std::vector<std::string>{"scx_event_stats.SCX_EV_SUB_RESCUE"});
  EXPECT_TRUE(k.kfuncs.empty());
  EXPECT_TRUE(k.events.empty());

  // The two kernels' records differ exactly in the sub-scheduler features.
  const auto k73 = probe_shape(testing::kernel_7_3(), "73b");
  for (const auto& [name, feature] : kFeatureSpellings) {
    const bool sub = feature == Feature::kSubSched || feature == Feature::kSubKill ||
                     feature == Feature::kCid || feature == Feature::kSubRescue;
    EXPECT_EQ(k.has(feature), !sub && k73.has(feature)) << name;
  }

  const Feature required[] = {Feature::kSchedExt, Feature::kSubSched};
  EXPECT_EQ(lacking_features(k, required),
            "kernel lacks sub-sched (no sched_ext_ops.sub_attach, sched_ext_ops.sub_caps_updated, "
            "kfunc scx_bpf_sub_grant, kfunc scx_bpf_sub_revoke in the kernel's BTF)");
}

TEST(ProbeBtf, OneMissingMemberIsTheOneNamed) {
  KernelShape shape = testing::kernel_7_3();
  std::erase(shape.sched_ext_ops, "sub_caps_updated");
  const auto k = probe_shape(shape, "one-member");
  EXPECT_FALSE(k.has(Feature::kSubSched));
  EXPECT_EQ(missing_of(k, Feature::kSubSched),
            std::vector<std::string>{"sched_ext_ops.sub_caps_updated"});
  EXPECT_TRUE(k.has(Feature::kSubKill));  // the kfuncs are still there
}

TEST(ProbeBtf, WithoutSchedExtEveryFeatureOfItIsMissing) {
  KernelShape shape = testing::kernel_6_12();
  shape.sched_ext_ops.clear();
  shape.typedefs.pop_back();
  const auto k = probe_shape(shape, "no-scx");
  EXPECT_EQ(missing_of(k, Feature::kSchedExt), std::vector<std::string>{"struct sched_ext_ops"});
  EXPECT_EQ(missing_of(k, Feature::kObserverHooks),
            std::vector<std::string>{"typedef btf_trace_sched_wakeup_new"});
  const Feature required[] = {Feature::kSchedExt, Feature::kObserverHooks};
  EXPECT_EQ(lacking_features(k, required),
            "kernel lacks sched-ext (no struct sched_ext_ops in the kernel's BTF); kernel lacks "
            "observer-hooks (no typedef btf_trace_sched_wakeup_new in the kernel's BTF)");
}

// C sees the members of an anonymous union as the struct's own.
TEST(ProbeBtf, MembersOfAnAnonymousUnionCount) {
  KernelShape shape = testing::kernel_7_3();
  std::erase(shape.sched_ext_ops, "sub_attach");
  std::erase(shape.sched_ext_ops, "sub_caps_updated");
  shape.union_ops_members = {"sub_attach", "sub_caps_updated"};
  EXPECT_TRUE(probe_shape(shape, "union").has(Feature::kSubSched));
}

// A vmlinux is an ELF with a .BTF section: the same BTF in an ELF probes the same.
TEST(ProbeBtf, ReadsTheSameBtfFromAnElfSection) {
  const fs::path dir = testing::scratch_dir("elf");
  testing::write_raw_btf(testing::kernel_6_12(), dir / "btf");
  const auto objcopy = find_program("objcopy");
  ASSERT_TRUE(objcopy) << "objcopy (binutils) is part of the build toolchain";
  auto made = run_command({objcopy->string(), "--add-section", ".BTF=" + (dir / "btf").string(),
                           "/bin/true", (dir / "vmlinux").string()},
                          std::chrono::seconds(30));
  ASSERT_TRUE(made.ok() && made->status.success()) << (made.ok() ? made->output : "");
  auto raw = probe_btf(dir / "btf");
  auto elf = probe_btf(dir / "vmlinux");
  ASSERT_TRUE(raw.ok() && elf.ok()) << (elf.ok() ? "" : elf.error().message);
  EXPECT_EQ(elf->features, raw->features);
  EXPECT_EQ(elf->btf_types, raw->btf_types);
  EXPECT_EQ(elf->vmlinux, (dir / "vmlinux").string());
}

TEST(ProbeBtf, AFileWithoutBtfIsAnErrorNamingIt) {
  const fs::path dir = testing::scratch_dir("bad");
  ASSERT_TRUE(write_file_atomic(dir / "vmlinux", "not a kernel\n").ok());
  auto bad = probe_btf(dir / "vmlinux");
  ASSERT_FALSE(bad.ok());
  EXPECT_TRUE(contains(bad.error().message, (dir / "vmlinux").string() + ": no readable BTF"))
      << bad.error().message;

  // An ELF without .BTF (a program) is no kernel either.
  auto program = probe_btf("/bin/true");
  ASSERT_FALSE(program.ok());
  EXPECT_TRUE(contains(program.error().message, "/bin/true: no readable BTF"))
      << program.error().message;

  auto missing = probe_btf(dir / "nowhere");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message,
            (dir / "nowhere").string() + ": no such file (expected a vmlinux with BTF)");
}

}  // namespace
}  // namespace scxfarm::kernelinfo
