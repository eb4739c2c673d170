#include "scxfarm/telemetry/sysfs.h"

#include <gtest/gtest.h>

#include "testdata.h"

namespace scxfarm::telemetry {
namespace {

TEST(ParseCaps, RealRootSchedulerOn8Cpus) {
  auto caps = parse_caps(testdata("caps_root_8cpu.txt"));
  ASSERT_TRUE(caps.ok()) << caps.error().message;
  ASSERT_EQ(caps->size(), 4u);
  for (const char* cap : {"enq_immed", "enq", "preempt", "perf"}) {
    ASSERT_TRUE(caps->count(cap)) << cap;
    EXPECT_EQ(caps->at(cap).to_string(), "0-7") << cap;
  }
}

TEST(ParseCaps, EmptyCapLinesWithAndWithoutTrailingSpace) {
  auto caps = parse_caps("enq_immed: \nenq:\npreempt: 2-3\nperf:   \n");
  ASSERT_TRUE(caps.ok()) << caps.error().message;
  ASSERT_EQ(caps->size(), 4u);
  EXPECT_TRUE(caps->at("enq_immed").empty());
  EXPECT_TRUE(caps->at("enq").empty());
  EXPECT_EQ(caps->at("preempt").to_string(), "2-3");
  EXPECT_TRUE(caps->at("perf").empty());
}

TEST(ParseCaps, UnknownCapsAreKept) {
  auto caps = parse_caps("enq: 0-1\nfuture_cap: 4,6\n");
  ASSERT_TRUE(caps.ok());
  EXPECT_EQ(caps->at("future_cap").to_string(), "4,6");
}

TEST(ParseCaps, EmptyTextAndMissingFinalNewline) {
  auto none = parse_caps("");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  auto caps = parse_caps("enq: 1");
  ASSERT_TRUE(caps.ok());
  EXPECT_EQ(caps->at("enq").to_string(), "1");
}

TEST(ParseCaps, MalformedLineIsRejectedWithItsNumberAndText) {
  struct Case {
    std::string text;
    std::string expect;
  };
  for (const Case& c : std::vector<Case>{
           {"enq_immed: 0-7\nenq 0-7\n", "caps line 2 \"enq 0-7\""},
           {"enq: 0-7\npreempt: 3-1\n", "caps line 2 \"preempt: 3-1\""},
           {"enq: 0-7\nperf: x\n", "caps line 2 \"perf: x\""},
           {"enq: 0-7\npreempt: 0-7\nperf: 70000\n", "caps line 3"},
           {": 0-7\n", "caps line 1"},
           {"en q: 0-7\n", "caps line 1"},
           {"enq: 0-1\nenq: 2\n", "duplicate cap"},
       }) {
    auto caps = parse_caps(c.text);
    ASSERT_FALSE(caps.ok()) << c.text;
    EXPECT_NE(caps.error().message.find(c.expect), std::string::npos) << caps.error().message;
  }
}

TEST(ParseEvents, RealKernel734Events) {
  auto events = parse_events(testdata("events_7_3_4.txt"));
  ASSERT_TRUE(events.ok()) << events.error().message;
  EXPECT_EQ(events->size(), 21u);
  EXPECT_EQ(events->at("SCX_EV_DISPATCH_KEEP_LAST"), 267u);
  EXPECT_EQ(events->at("SCX_EV_BYPASS_DURATION"), 182117470u);
  EXPECT_EQ(events->at("SCX_EV_SUB_RESCUE"), 0u);
}

TEST(ParseEvents, UnknownNamesAndFull64BitCountsKept) {
  auto events = parse_events("SCX_EV_NEW_IN_7_4 18446744073709551615\n");
  ASSERT_TRUE(events.ok());
  EXPECT_EQ(events->at("SCX_EV_NEW_IN_7_4"), 18446744073709551615u);
}

TEST(ParseEvents, MalformedLineIsRejectedWithItsNumberAndText) {
  for (const auto& [text, expect] : std::vector<std::pair<std::string, std::string>>{
           {"SCX_EV_A 1\nSCX_EV_B\n", "events line 2 \"SCX_EV_B\""},
           {"SCX_EV_A 1\nSCX_EV_B -1\n", "events line 2"},
           {"SCX_EV_A 1x\n", "events line 1"},
           {"SCX_EV_A 18446744073709551616\n", "events line 1"},
           {"SCX_EV_A 1 2\n", "events line 1"},
           {"SCX_EV_A 1\nSCX_EV_A 2\n", "duplicate event"},
       }) {
    auto events = parse_events(text);
    ASSERT_FALSE(events.ok()) << text;
    EXPECT_NE(events.error().message.find(expect), std::string::npos) << events.error().message;
  }
}

}  // namespace
}  // namespace scxfarm::telemetry
