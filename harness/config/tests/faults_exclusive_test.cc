// The VM layer's config fields: a scenario's `faults:` and `exclusive:`, a
// suite's `exclusive:`.
#include <gtest/gtest.h>

#include "scxfarm/config/loader.h"
#include "test_util.h"

namespace scxfarm::config {
namespace {

using testing::error_of;
using testing::ScratchConfigs;

TEST(Faults, ParsedWithDefaults) {
  ScratchConfigs cfg;
  auto path =
      cfg.write("scenarios", "f",
                "duration_s: 5\nexclusive: true\nfaults:\n  - kind: panic\n    at_ms: 1500\n"
                "  - kind: hang\n");
  auto s = load_scenario(path);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_TRUE(s->exclusive);
  ASSERT_EQ(s->plan.faults.size(), 2u);
  EXPECT_EQ(s->plan.faults[0].kind, "panic");
  EXPECT_EQ(s->plan.faults[0].at_ms, 1500u);
  EXPECT_EQ(s->plan.faults[1].at_ms, 0u);
  auto plain = load_scenario(cfg.write("scenarios", "p", "duration_s: 5\n"));
  ASSERT_TRUE(plain.ok());
  EXPECT_FALSE(plain->exclusive);
  EXPECT_TRUE(plain->plan.faults.empty());
}

TEST(Faults, BadKindTimeAndKeysNameTheLine) {
  ScratchConfigs cfg;
  auto path =
      cfg.write("scenarios", "bad",
                "duration_s: 2\nfaults:\n  - kind: reboot\n  - kind: panic\n    at_ms: 2000\n"
                "  - at_ms: 1\n    when: now\n");
  auto msg = error_of(load_scenario(path));
  EXPECT_NE(msg.find("bad.yaml:3:"), std::string::npos) << msg;
  EXPECT_NE(msg.find("'reboot' is not a fault kind (allowed: panic, hang)"), std::string::npos)
      << msg;
  EXPECT_NE(msg.find("at_ms 2000 never fires (allowed: 0..1999"), std::string::npos) << msg;
  EXPECT_NE(msg.find("faults[2]"), std::string::npos) << msg;
  EXPECT_NE(msg.find("when"), std::string::npos) << msg;
  auto wrong = error_of(load_scenario(cfg.write("scenarios", "w", "exclusive: maybe\n")));
  EXPECT_NE(wrong.find("w.yaml:1:"), std::string::npos) << wrong;
}

TEST(SuiteExclusive, DefaultsToFalse) {
  ScratchConfigs cfg;
  auto on = load_suite(cfg.write(
      "suites", "on", "kernels: [k]\ntopologies: [t]\nscenarios: [s]\nexclusive: true\n"));
  ASSERT_TRUE(on.ok()) << on.error().message;
  EXPECT_TRUE(on->exclusive);
  auto off =
      load_suite(cfg.write("suites", "off", "kernels: [k]\ntopologies: [t]\nscenarios: [s]\n"));
  ASSERT_TRUE(off.ok());
  EXPECT_FALSE(off->exclusive);
}

}  // namespace
}  // namespace scxfarm::config
