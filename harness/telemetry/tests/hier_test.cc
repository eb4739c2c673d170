#include "scxfarm/telemetry/hier.h"

#include <gtest/gtest.h>

#include <sstream>

#include "testdata.h"

namespace scxfarm::telemetry {
namespace {

struct Parsed {
  std::vector<HierInterval> intervals;
  size_t malformed = 0;
  size_t truncated = 0;
  std::vector<std::string> warnings;
};

// Feeds TEXT line by line, as the agent does, then flushes.
Parsed parse_stream(const std::string& text) {
  Parsed out;
  HierParser parser;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (auto interval = parser.feed(line)) out.intervals.push_back(std::move(*interval));
  }
  if (auto last = parser.flush()) out.intervals.push_back(std::move(*last));
  out.malformed = parser.malformed_lines();
  out.truncated = parser.truncated_lines();
  out.warnings = parser.warnings();
  return out;
}

TEST(HierParser, RealRootSchedulerOutput) {
  HierParser parser;
  std::istringstream in(testdata("qmap_root.txt"));
  std::string line;
  std::vector<HierInterval> got;
  while (std::getline(in, line)) {
    if (auto interval = parser.feed(line + "\n")) got.push_back(*interval);
  }
  ASSERT_EQ(got.size(), 1u);  // completed by "---- 01:53:03 ----", before flush
  EXPECT_FALSE(parser.flush().has_value());
  EXPECT_EQ(parser.malformed_lines(), 0u);
  const HierInterval& i = got[0];
  EXPECT_EQ(i.nsub, 0u);
  EXPECT_EQ(i.excl, 0u);
  EXPECT_TRUE(i.shared.empty());
  EXPECT_EQ(i.rr, "-");
  EXPECT_EQ(i.reenq_cap + i.reenq_immed + i.inject_attempts + i.rescue, 0u);
  ASSERT_EQ(i.rows.size(), 1u);
  EXPECT_EQ(i.rows[0].who, "self");
  EXPECT_EQ(i.rows[0].cgroup_id, 0u);
  EXPECT_EQ(i.rows[0].weight, 100u);
  EXPECT_DOUBLE_EQ(i.rows[0].alloc, 0.0);
  EXPECT_FALSE(i.rows[0].disp_per_s.has_value());
  EXPECT_EQ(i.rows[0].cids.to_string(), "0-7");
}

TEST(HierParser, MultiIntervalStreamWithChildren) {
  Parsed p = parse_stream(testdata("qmap_root_children.txt"));
  EXPECT_EQ(p.malformed, 0u);
  EXPECT_EQ(p.truncated, 0u);
  ASSERT_EQ(p.intervals.size(), 4u);

  EXPECT_EQ(p.intervals[0].rows.size(), 1u);

  const HierInterval& two = p.intervals[1];
  EXPECT_EQ(two.nsub, 2u);
  EXPECT_EQ(two.rr, "sub0");
  EXPECT_EQ(two.reenq_cap, 3u);
  EXPECT_EQ(two.reenq_immed, 1u);
  EXPECT_EQ(two.inject_attempts, 12u);
  ASSERT_EQ(two.rows.size(), 3u);
  EXPECT_TRUE(two.rows[0].cids.empty());  // self printed "-"
  EXPECT_EQ(two.rows[1].who, "sub0");
  EXPECT_EQ(two.rows[1].cgroup_id, 4242u);
  EXPECT_DOUBLE_EQ(two.rows[1].alloc, 50.0);
  ASSERT_TRUE(two.rows[1].disp_per_s.has_value());
  EXPECT_DOUBLE_EQ(*two.rows[1].disp_per_s, 812.5);
  EXPECT_EQ(two.rows[1].cids.to_string(), "0-3");
  EXPECT_EQ(two.rows[2].cids.to_string(), "4-7");

  const HierInterval& three = p.intervals[2];
  EXPECT_EQ(three.excl, 1u);
  EXPECT_EQ(three.shared.to_string(), "6-7");
  EXPECT_EQ(three.rescue, 1u);
  EXPECT_EQ(three.rows[1].weight, 200u);
  EXPECT_DOUBLE_EQ(three.rows[1].alloc, 66.67);
  EXPECT_EQ(three.rows[1].cids.to_string(), "0-3,6-7");

  // Wider-than-format fields ("sub10", 19-digit cgroup id, weight 10000) still parse;
  // the interval is completed by the EXIT line after its rows.
  const HierInterval& four = p.intervals[3];
  EXPECT_EQ(four.nsub, 11u);
  ASSERT_EQ(four.rows.size(), 3u);
  EXPECT_EQ(four.rows[2].who, "sub10");
  EXPECT_EQ(four.rows[2].cgroup_id, 9223372036854775807u);
  EXPECT_EQ(four.rows[2].weight, 10000u);
  EXPECT_EQ(four.rows[2].cids.to_string(), "0-8,10-31");
}

TEST(HierParser, SubSchedulerStreamNeedsFlushAtEnd) {
  HierParser parser;
  std::istringstream in(testdata("qmap_sub_A.txt"));
  std::string line;
  size_t during = 0;
  while (std::getline(in, line)) during += parser.feed(line).has_value();
  EXPECT_EQ(during, 0u);
  auto last = parser.flush();
  ASSERT_TRUE(last.has_value());
  ASSERT_EQ(last->rows.size(), 2u);
  EXPECT_EQ(last->rows[0].cgroup_id, 4242u);
  EXPECT_EQ(last->rows[1].cids.to_string(), "2-3");
  EXPECT_FALSE(parser.flush().has_value());
}

TEST(HierParser, CompletionRules) {
  HierParser parser;
  EXPECT_FALSE(
      parser.feed("hier   : nsub=0 excl=0 shared=- rr=- reenq cap/immed +1/+0 inj=+0 rescue=+0"));
  // A non-hier line before any row does not end the interval...
  EXPECT_FALSE(parser.feed("stats  : enq=6"));
  EXPECT_FALSE(parser.feed("hier   : self          0  100   0.00        -  0-7"));
  // ...but the next summary does, returning the previous interval.
  auto first = parser.feed(
      "hier   : nsub=0 excl=0 shared=- rr=- reenq cap/immed +2/+0 inj=+0 rescue=+0\r\n");
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->reenq_cap, 1u);
  EXPECT_EQ(first->rows.size(), 1u);
  // A separator ends an interval even with no rows.
  auto second = parser.feed("---- 01:53:03 ----");
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->reenq_cap, 2u);
  EXPECT_TRUE(second->rows.empty());
  EXPECT_EQ(parser.malformed_lines(), 0u);
}

TEST(HierParser, TruncatedListsKeepWhatParsedAndWarn) {
  Parsed p = parse_stream(
      "hier   : nsub=2 excl=1 shared=0-3,8-1... rr=sub1 reenq cap/immed +0/+0 inj=+0 rescue=+0\n"
      "hier   : self          1  100   0.00        -  12...\n"
      "hier   : sub0       4242  100  50.00    812.5  0-3,8,10-11,...\n"
      "hier   : sub1       4243  100  50.00    812.5  0-3,16-2...\n");
  ASSERT_EQ(p.intervals.size(), 1u);
  EXPECT_EQ(p.truncated, 4u);
  EXPECT_EQ(p.malformed, 0u);
  ASSERT_EQ(p.warnings.size(), 4u);
  EXPECT_NE(p.warnings[0].find("truncated"), std::string::npos);
  const HierInterval& i = p.intervals[0];
  EXPECT_TRUE(i.shared_truncated);
  EXPECT_EQ(i.shared.to_string(), "0-3");  // "8-1" may be a cut "8-15": dropped
  ASSERT_EQ(i.rows.size(), 3u);
  EXPECT_TRUE(i.rows[0].cids_truncated);
  EXPECT_TRUE(i.rows[0].cids.empty());
  EXPECT_EQ(i.rows[1].cids.to_string(), "0-3,8,10-11");
  EXPECT_EQ(i.rows[2].cids.to_string(), "0-3");
}

TEST(HierParser, MalformedLinesAreCountedAndSkipped) {
  Parsed p = parse_stream(
      "hier   : self          0  100   0.00        -  0-7\n"  // before any summary
      "hier   : nsub=x excl=0 shared=- rr=- reenq cap/immed +0/+0 inj=+0 rescue=+0\n"
      "hier   : nsub=1 excl=0 shared=- rr=- reenq cap/immed +0/+0 inj=+0 rescue=+0\n"
      "hier   :          cgroup    w  alloc   disp/s  cids\n"
      "hier   : self          0  100   0.00        -  0-7\n"
      "hier   : sub0       4242  abc  50.00    812.5  0-3\n"
      "hier   : sub1       4243  100  50.00    812.5  7-4\n"
      "hier   : bogus      4243  100  50.00    812.5  4\n"
      "hier   : sub2       4243  100  50.00\n"
      "hier   :\n"
      "EXIT: scx_bpf_error (something went wrong)\n");
  EXPECT_EQ(p.malformed, 7u);
  ASSERT_EQ(p.intervals.size(), 1u);
  EXPECT_EQ(p.intervals[0].nsub, 1u);
  ASSERT_EQ(p.intervals[0].rows.size(), 1u);
  EXPECT_EQ(p.warnings.size(), 7u);
  EXPECT_NE(p.warnings[0].find("outside an interval"), std::string::npos);
}

TEST(HierParser, NonHierOutputOnlyYieldsNothing) {
  Parsed p = parse_stream(
      "01:53:02 scx_qmap started: root scheduler, stats every 1s\n"
      "hierarchy is not a hier line\n"
      "EXIT: unregistered from user space\n");
  EXPECT_TRUE(p.intervals.empty());
  EXPECT_EQ(p.malformed, 0u);
}

TEST(ParseHierLine, AcceptsBodyOrWholeLine) {
  auto with_prefix = parse_hier_row("hier   : sub3         77   25  12.50      3.0  5");
  auto body_only = parse_hier_row("sub3 77 25 12.5 3 5");
  ASSERT_TRUE(with_prefix.ok());
  ASSERT_TRUE(body_only.ok());
  EXPECT_EQ(with_prefix->who, body_only->who);
  EXPECT_EQ(with_prefix->cids, body_only->cids);
  EXPECT_DOUBLE_EQ(*with_prefix->disp_per_s, 3.0);

  auto bad = parse_hier_summary(
      "hier   : nsub=1 excl=0 shared=- rr=- reenq cap/immed +0 inj=+0 rescue=+0");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("hier line \"nsub=1"), std::string::npos)
      << bad.error().message;
}

}  // namespace
}  // namespace scxfarm::telemetry
