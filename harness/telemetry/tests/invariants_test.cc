#include "scxfarm/telemetry/invariants.h"

#include <gtest/gtest.h>

#include "testdata.h"

namespace scxfarm::telemetry {
namespace {

CapMap caps(std::string_view text) {
  auto r = parse_caps(text);
  EXPECT_TRUE(r.ok()) << text;
  return r.ok() ? r.value() : CapMap();
}

TEST(ParentScheduler, NearestAncestorThatIsAScheduler) {
  const std::set<std::string> tree = {"root", "root/A", "root/A/A1", "root/B/B1"};
  EXPECT_EQ(parent_scheduler("root", tree), std::nullopt);
  EXPECT_EQ(parent_scheduler("root/A", tree), "root");
  EXPECT_EQ(parent_scheduler("root/A/A1", tree), "root/A");
  // root/B has no scheduler of its own: B1's parent is the grandparent.
  EXPECT_EQ(parent_scheduler("root/B/B1", tree), "root");
  // Whole path components only: root/AB is not under root/A.
  EXPECT_EQ(parent_scheduler("root/AB/x", tree), "root");
  EXPECT_EQ(parent_scheduler("elsewhere", tree), std::nullopt);
}

TEST(CapsSubset, RealRootWithValidDepth3TreePasses) {
  std::map<std::string, CapMap> tree = {
      {"root", caps(testdata("caps_root_8cpu.txt"))},
      {"root/A", caps("enq_immed: 0-3\nenq: 0-5\npreempt: 0-3\nperf: 0-3\n")},
      {"root/A/A1", caps("enq_immed: 2-3\nenq: 4-5\npreempt:\nperf: \n")},
      {"root/B", caps("enq_immed: 6-7\nenq: 6-7\npreempt: 6-7\nperf: 6-7\n")},
  };
  EXPECT_TRUE(check_caps_subset(tree).empty());
}

TEST(CapsSubset, Depth3ChildComparedWithItsSchedulerParentNotTheRoot) {
  // A1's cids 6-7 are held by root but not by A1's parent A: a violation.
  std::map<std::string, CapMap> tree = {
      {"root", caps("enq_immed: 0-7\nenq: 0-7\npreempt: 0-7\nperf: 0-7\n")},
      {"root/A", caps("enq_immed: 0-3\nenq: 0-3\npreempt: 0-3\nperf: 0-3\n")},
      {"root/A/A1", caps("enq_immed: 2-3\nenq: 2-3,6-7\npreempt: 2\nperf: 2\n")},
  };
  auto v = check_caps_subset(tree);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].child, "root/A/A1");
  EXPECT_EQ(v[0].parent, "root/A");
  EXPECT_EQ(v[0].cap, "enq");
  EXPECT_EQ(v[0].extra.to_string(), "6-7");
  EXPECT_EQ(v[0].describe(),
            "root/A/A1: enq holds cids 6-7 that parent root/A does not hold for enq");
}

TEST(CapsSubset, IntermediateCgroupWithoutSchedulerUsesGrandparent) {
  std::map<std::string, CapMap> tree = {
      {"root", caps("enq_immed: 0-3\nenq: 0-3\npreempt: 0-3\nperf: 0-3\n")},
      {"root/B/B1", caps("enq_immed: 2-3\nenq: 2-3\npreempt:\nperf:\n")},
  };
  EXPECT_TRUE(check_caps_subset(tree).empty());
  tree["root/B/B1"]["perf"] = CidSet::range(3, 5);
  auto v = check_caps_subset(tree);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].parent, "root");
  EXPECT_EQ(v[0].cap, "perf");
  EXPECT_EQ(v[0].extra.to_string(), "4-5");
}

TEST(CapsSubset, ComparesEachCapOnlyWithTheSameCap) {
  // Cid 4 is in the child's and the parent's enq_immed but not the parent's
  // enq: fine, enq_immed is compared with enq_immed only.
  std::map<std::string, CapMap> tree = {
      {"root", caps("enq_immed: 0-4\nenq: 0-3\npreempt: 0-7\nperf:\n")},
      {"root/A", caps("enq_immed: 4\nenq: 0\npreempt:\nperf:\n")},
  };
  EXPECT_TRUE(check_caps_subset(tree).empty());
  // The other way round is a violation: cid 4 in the child's enq is only in
  // the parent's enq_immed (and preempt), never in its enq.
  tree["root/A"] = caps("enq_immed:\nenq: 4\npreempt:\nperf:\n");
  auto v = check_caps_subset(tree);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].cap, "enq");
  EXPECT_EQ(v[0].extra.to_string(), "4");
}

TEST(CapsSubset, CapMissingInParentCountsAsEmpty) {
  std::map<std::string, CapMap> tree = {
      {"root", caps("enq: 0-7\n")},
      {"root/A", caps("enq: 0-1\nnew_cap:\n")},
  };
  EXPECT_TRUE(check_caps_subset(tree).empty());  // empty set is a subset of anything
  tree["root/A"]["new_cap"] = CidSet::range(0, 1);
  auto v = check_caps_subset(tree);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].cap, "new_cap");
  EXPECT_EQ(v[0].extra.to_string(), "0-1");
}

TEST(CapsSubset, ReportsEveryViolatingChildAndCap) {
  std::map<std::string, CapMap> tree = {
      {"root", caps("enq_immed: 0-3\nenq: 0-3\npreempt: 0-3\nperf: 0-3\n")},
      {"root/A", caps("enq_immed: 0-4\nenq: 0-3\npreempt: 9\nperf: 0\n")},
      {"root/A/A1", caps("enq_immed: 4\nenq: 4\npreempt:\nperf: 1\n")},
  };
  std::vector<std::string> found;
  for (const auto& v : check_caps_subset(tree)) found.push_back(v.child + " " + v.cap);
  EXPECT_EQ(found, (std::vector<std::string>{"root/A enq_immed", "root/A preempt", "root/A/A1 enq",
                                             "root/A/A1 perf"}));
}

TEST(Monotonic, IncreasingOrEqualCountersPass) {
  auto before = parse_events(testdata("events_7_3_4.txt"));
  ASSERT_TRUE(before.ok());
  EventMap after = before.value();
  after["SCX_EV_DISPATCH_KEEP_LAST"] += 10;
  EXPECT_TRUE(check_monotonic("root", before.value(), after).empty());
  EXPECT_TRUE(check_monotonic("root", before.value(), before.value()).empty());
}

TEST(Monotonic, DecreaseIsDetected) {
  auto before = parse_events(testdata("events_7_3_4.txt"));
  ASSERT_TRUE(before.ok());
  EventMap after = before.value();
  after["SCX_EV_DISPATCH_KEEP_LAST"] = 3;
  after["SCX_EV_BYPASS_DISPATCH"] = 1;
  auto r = check_monotonic("root/A", before.value(), after);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].event, "SCX_EV_BYPASS_DISPATCH");
  EXPECT_EQ(r[1].path, "root/A");
  EXPECT_EQ(r[1].event, "SCX_EV_DISPATCH_KEEP_LAST");
  EXPECT_EQ(r[1].before, 267u);
  EXPECT_EQ(r[1].after, 3u);
  EXPECT_EQ(r[1].describe(), "root/A: SCX_EV_DISPATCH_KEEP_LAST went backwards from 267 to 3");
}

TEST(Monotonic, EventsInOnlyOneSampleAreIgnored) {
  EXPECT_TRUE(check_monotonic("root", {{"SCX_EV_OLD", 5}}, {{"SCX_EV_NEW", 0}}).empty());
}

}  // namespace
}  // namespace scxfarm::telemetry
