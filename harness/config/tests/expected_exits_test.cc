// expect.exits: a plain cgroup path, or {cgroup, reason} naming the kernel's
// exit reason the exit must carry; "/" is the root scheduler. Bad entries
// are errors naming file, line, field and what is allowed.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "scxfarm/config/loader.h"
#include "test_util.h"

namespace scxfarm::config {
namespace {

using testing::error_of;
using ::testing::HasSubstr;
using testing::ScratchConfigs;

const char* kTree = R"(duration_s: 10
cgroups:
  - name: A
    scheduler: {}
    children:
      - {name: A1, scheduler: {}}
  - {name: B}
  - {name: C, scheduler: {}}
expect:
)";

TEST(ExpectedExits, PlainPathsAndReasonsLoad) {
  ScratchConfigs scratch;
  auto path = scratch.write("scenarios", "exits", std::string(kTree) + R"(  exits:
    - A/A1
    - {cgroup: /, reason: unregistered from the main kernel}
    - {cgroup: C, reason: "parent exiting"}
)");
  auto s = load_scenario(path);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->expect.exits,
            (std::vector<ExpectedExit>{
                {"A/A1", ""}, {"", "unregistered from the main kernel"}, {"C", "parent exiting"}}));
}

TEST(ExpectedExits, BadEntriesNameFileLineFieldAndWhatIsAllowed) {
  ScratchConfigs scratch;
  auto path = scratch.write("scenarios", "bad", std::string(kTree) + R"(  exits:
    - {cgroup: B, reason: parent exiting}
    - {cgroup: A, reson: parent exiting}
    - {reason: parent exiting}
    - {cgroup: C, reason: ""}
    - [A]
    - {cgroup: A1}
    - A
)");
  const std::string msg = error_of(load_scenario(path));
  EXPECT_THAT(msg, HasSubstr("bad.yaml:11:16: expect.exits[0].cgroup: 'B' is not a cgroup with a "
                             "scheduler (allowed: /, A, A/A1, C)"));
  EXPECT_THAT(
      msg,
      HasSubstr("bad.yaml:12:19: expect.exits[1]: unknown key 'reson' (allowed: cgroup, reason)"));
  EXPECT_THAT(msg, HasSubstr("bad.yaml:13:7: expect.exits[2]: missing required key 'cgroup'"));
  EXPECT_THAT(msg, HasSubstr("bad.yaml:14:27: expect.exits[3].reason: empty reason (leave "
                             "`reason` out to accept any reason)"));
  EXPECT_THAT(msg, HasSubstr("bad.yaml:15:7: expect.exits[4]: expected a cgroup path or {cgroup: "
                             "PATH, reason: TEXT}, got a list"));
  EXPECT_THAT(msg, HasSubstr("bad.yaml:16:16: expect.exits[5].cgroup: 'A1' is not a cgroup with "
                             "a scheduler"));
  EXPECT_THAT(msg, HasSubstr("bad.yaml:17:7: expect.exits[6]: 'A' is listed twice (one entry per "
                             "qmap)"));
}

// The shipped hotplug scenario declares the kernel's hotplug teardown.
TEST(ExpectedExits, HotplugChurnDeclaresTheKernelsTeardown) {
  auto s = load_scenario(testing::source_dir() / "configs/scenarios/hotplug-churn.yaml");
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->expect.exits, (std::vector<ExpectedExit>{{"", "unregistered from the main kernel"},
                                                        {"A", "parent exiting"},
                                                        {"B", "parent exiting"}}));
}

}  // namespace
}  // namespace scxfarm::config
