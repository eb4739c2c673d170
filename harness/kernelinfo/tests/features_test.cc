// The feature vocabulary, its symbols, and the record's text and JSON forms.
#include "scxfarm/kernelinfo/features.h"

#include <gtest/gtest.h>

namespace scxfarm::kernelinfo {
namespace {

TEST(Features, EveryFeatureIsSpelledOnceAndDefinedBySymbols) {
  for (const auto& [name, feature] : kFeatureSpellings) {
    EXPECT_EQ(to_string(feature), name);
    EXPECT_EQ(feature_from_string(name), feature);
    EXPECT_FALSE(required_symbols(feature).empty()) << name;
  }
  EXPECT_FALSE(feature_from_string("sub-scheduler"));
  EXPECT_EQ(feature_listing(), "sched-ext, sub-sched, sub-kill, cid, sub-rescue, observer-hooks");
}

TEST(Features, SymbolsDescribeThemselves) {
  using Kind = Symbol::Kind;
  EXPECT_EQ((Symbol{Kind::kStruct, "", "sched_ext_ops"}.describe()), "struct sched_ext_ops");
  EXPECT_EQ((Symbol{Kind::kMember, "sched_ext_ops", "sub_attach"}.describe()),
            "sched_ext_ops.sub_attach");
  EXPECT_EQ((Symbol{Kind::kFunc, "", "scx_bpf_sub_grant"}.describe()), "kfunc scx_bpf_sub_grant");
  EXPECT_EQ((Symbol{Kind::kFuncPrefix, "", "scx_bpf_sub_kill"}.describe()),
            "kfunc scx_bpf_sub_kill*");
  EXPECT_EQ((Symbol{Kind::kTypedef, "", "btf_trace_sched_switch"}.describe()),
            "typedef btf_trace_sched_switch");
}

KernelFeatures sample() {
  KernelFeatures k;
  k.vmlinux = "/cache/kernel/abc/vmlinux";
  k.btf_types = 285519;
  k.probe_ms = 41.6;
  k.features = {{"sched-ext", true, {}, ""},
                {"sub-sched",
                 false,
                 {"sched_ext_ops.sub_attach"},
                 "no sched_ext_ops.sub_attach in the kernel's BTF"}};
  k.kfuncs = {"scx_bpf_cpu_to_cid"};
  for (int i = 0; i < 9; ++i) k.events.push_back("SCX_EV_SUB_EVENT_NUMBER_" + std::to_string(i));
  return k;
}

TEST(Features, TheReadableFormNamesEachFeatureAndWhatIsMissing) {
  EXPECT_EQ(format_features("debian-6.12", sample()),
            "kernel debian-6.12: /cache/kernel/abc/vmlinux\n"
            "  BTF: 285519 types, probed in 42 ms\n"
            "  sched-ext       yes\n"
            "  sub-sched       NO: no sched_ext_ops.sub_attach in the kernel's BTF\n"
            "  kfuncs (1): scx_bpf_cpu_to_cid\n"
            "  events (9): SUB_EVENT_NUMBER_0 SUB_EVENT_NUMBER_1 SUB_EVENT_NUMBER_2 "
            "SUB_EVENT_NUMBER_3\n"
            "              SUB_EVENT_NUMBER_4 SUB_EVENT_NUMBER_5 SUB_EVENT_NUMBER_6 "
            "SUB_EVENT_NUMBER_7\n"
            "              SUB_EVENT_NUMBER_8\n");
  KernelFeatures none = sample();
  none.kfuncs.clear();
  none.events.clear();
  const std::string text = format_features("k", none);
  EXPECT_NE(text.find("  kfuncs (0): none\n  events (0): none\n"), std::string::npos) << text;
}

TEST(Features, OneLineSaysWhatIsPresentAndWhatIsNot) {
  EXPECT_EQ(summarize_features(sample()), "has sched-ext; lacks sub-sched");
  KernelFeatures all = sample();
  all.features[1].present = true;
  EXPECT_EQ(summarize_features(all), "has sched-ext, sub-sched");
  EXPECT_EQ(summarize_features(KernelFeatures{}), "has none");
}

TEST(Features, TheRecordRoundTripsThroughJson) {
  const KernelFeatures k = sample();
  const nlohmann::json j = k;
  EXPECT_EQ(j.at("features").at(1).at("missing").at(0), "sched_ext_ops.sub_attach");
  EXPECT_EQ(j.get<KernelFeatures>(), k);
  EXPECT_EQ(nlohmann::json::object().get<KernelFeatures>(), KernelFeatures{});
  EXPECT_FALSE(KernelFeatures{}.probed());
}

TEST(Features, TheJsonFormNamesTheKernel) {
  const nlohmann::json j = kernel_info_json("debian-6.12", sample());
  EXPECT_EQ(j.at("kernel"), "debian-6.12");
  EXPECT_EQ(j.at("vmlinux"), "/cache/kernel/abc/vmlinux");
  EXPECT_EQ(j.at("features").at(1).at("reason"), "no sched_ext_ops.sub_attach in the kernel's BTF");
  EXPECT_EQ(j.get<KernelFeatures>(), sample());
}

// A record names features as strings: one from a farm with a larger
// vocabulary still reads, and a feature it does not list is not had.
TEST(Features, LookupsGoByName) {
  KernelFeatures k = sample();
  k.features.push_back({"a-later-feature", true, {}, ""});
  EXPECT_TRUE(k.has(Feature::kSchedExt));
  EXPECT_FALSE(k.has(Feature::kSubSched));
  EXPECT_EQ(k.status(Feature::kCid), nullptr);
  EXPECT_FALSE(k.has(Feature::kCid));
  const Feature required[] = {Feature::kCid};
  EXPECT_EQ(lacking_features(k, required), "kernel lacks cid (not probed)");
}

}  // namespace
}  // namespace scxfarm::kernelinfo
