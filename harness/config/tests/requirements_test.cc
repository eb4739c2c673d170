// requires: the kernel features a scenario needs, validated against the
// vocabulary (kernelinfo/features.h), plus the implicit ones: sched-ext
// always, sub-sched when a cgroup has a scheduler.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "scxfarm/config/loader.h"
#include "test_util.h"

namespace scxfarm::config {
namespace {

using kernelinfo::Feature;
using testing::error_of;
using ::testing::HasSubstr;
using testing::ScratchConfigs;

std::vector<Feature> required_of(ScratchConfigs& scratch, const std::string& yaml) {
  auto s = load_scenario(scratch.write("scenarios", "req", "duration_s: 10\n" + yaml));
  EXPECT_TRUE(s.ok()) << s.error().message;
  return s.ok() ? s->required_features : std::vector<Feature>{};
}

TEST(Requires, ARootQmapAloneNeedsSchedExt) {
  ScratchConfigs scratch;
  EXPECT_EQ(required_of(scratch, "cgroups: [{name: A}]\n"),
            std::vector<Feature>{Feature::kSchedExt});
}

TEST(Requires, AQmapOnAnyCgroupNeedsSubSchedulers) {
  ScratchConfigs scratch;
  const std::vector<Feature> nested = {Feature::kSchedExt, Feature::kSubSched};
  EXPECT_EQ(required_of(scratch, "cgroups: [{name: A, scheduler: {}}]\n"), nested);
  // Deeper than the top level counts too.
  EXPECT_EQ(required_of(scratch, R"(cgroups:
  - name: A
    children: [{name: A1, scheduler: {}}]
)"),
            nested);
}

TEST(Requires, ListedFeaturesAddToTheImplicitOnesInVocabularyOrder) {
  ScratchConfigs scratch;
  EXPECT_EQ(required_of(scratch, R"(cgroups: [{name: A, scheduler: {}}]
requires: [observer-hooks, cid, sub-sched]
)"),
            (std::vector<Feature>{Feature::kSchedExt, Feature::kSubSched, Feature::kCid,
                                  Feature::kObserverHooks}));
  EXPECT_EQ(required_of(scratch, "requires: []\n"), std::vector<Feature>{Feature::kSchedExt});
}

TEST(Requires, BadNamesAreErrorsNamingFileLineFieldAndTheVocabulary) {
  ScratchConfigs scratch;
  auto path = scratch.write("scenarios", "bad", R"(duration_s: 10
requires:
  - sub-scheduler
  - cid
  - cid
  - [sub-kill]
)");
  const std::string msg = error_of(load_scenario(path));
  EXPECT_THAT(msg, HasSubstr("bad.yaml:3:5: requires[0]: 'sub-scheduler' is not a kernel feature "
                             "(allowed: sched-ext, sub-sched, sub-kill, cid, sub-rescue, "
                             "observer-hooks)"));
  EXPECT_THAT(msg, HasSubstr("bad.yaml:5:5: requires[2]: 'cid' is listed twice"));
  EXPECT_THAT(msg, HasSubstr("bad.yaml:6:5: requires[3]: "));

  auto scalar = scratch.write("scenarios", "scalar", "duration_s: 10\nrequires: cid\n");
  EXPECT_THAT(error_of(load_scenario(scalar)), HasSubstr("scalar.yaml:2:11: requires: "));
}

// The shipped scenarios: nested ones need sub-schedulers by default, and
// the wrong-cid pair states what their checks read beyond that.
TEST(Requires, ShippedScenarios) {
  const auto scenarios = testing::source_dir() / "configs/scenarios";
  const auto required = [&](const std::string& name) {
    auto s = load_scenario(scenarios / (name + ".yaml"));
    EXPECT_TRUE(s.ok()) << s.error().message;
    return s.ok() ? s->required_features : std::vector<Feature>{};
  };
  EXPECT_EQ(required("boot-verify"), std::vector<Feature>{Feature::kSchedExt});
  EXPECT_EQ(required("smoke-nested"),
            (std::vector<Feature>{Feature::kSchedExt, Feature::kSubSched}));
  EXPECT_EQ(required("wrong-cid-bounce"),
            (std::vector<Feature>{Feature::kSchedExt, Feature::kSubSched, Feature::kCid}));
  EXPECT_EQ(required("wrong-cid-rescue"),
            (std::vector<Feature>{Feature::kSchedExt, Feature::kSubSched, Feature::kCid,
                                  Feature::kSubRescue}));
}

}  // namespace
}  // namespace scxfarm::config
