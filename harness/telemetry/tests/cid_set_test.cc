#include "scxfarm/telemetry/cid_set.h"

#include <gtest/gtest.h>

namespace scxfarm::telemetry {
namespace {

CidSet parsed(std::string_view list) {
  auto r = CidSet::parse(list);
  EXPECT_TRUE(r.ok()) << list << ": " << (r.ok() ? "" : r.error().message);
  return r.ok() ? r.value() : CidSet();
}

TEST(CidSet, ParsesKernelBitmapList) {
  CidSet s = parsed("0-3,8,10-11");
  EXPECT_EQ(s.count(), 7u);
  EXPECT_EQ(s.cids(), (std::vector<uint32_t>{0, 1, 2, 3, 8, 10, 11}));
  EXPECT_TRUE(s.contains(3));
  EXPECT_FALSE(s.contains(4));
  EXPECT_FALSE(s.contains(CidSet::kMaxCid));
  EXPECT_FALSE(s.contains(4000000000u));
  EXPECT_EQ(s.to_string(), "0-3,8,10-11");
}

TEST(CidSet, EmptySpellings) {
  for (std::string_view list : {"", "-", " ", "\n", " - "}) {
    CidSet s = parsed(list);
    EXPECT_TRUE(s.empty()) << list;
    EXPECT_EQ(s.count(), 0u);
    EXPECT_EQ(s.to_string(), "");
    EXPECT_EQ(s, CidSet());
  }
}

TEST(CidSet, CanonicalizesOverlappingAndUnorderedElements) {
  EXPECT_EQ(parsed("8,0-3,2-5,6,7").to_string(), "0-8");
  EXPECT_EQ(parsed("5-5").to_string(), "5");
  EXPECT_EQ(parsed(" 1,3 \n").to_string(), "1,3");
}

TEST(CidSet, RangesAcrossWordBoundaries) {
  CidSet s = parsed("60-130,65535");
  EXPECT_EQ(s.count(), 71u + 1u);
  EXPECT_TRUE(s.contains(63));
  EXPECT_TRUE(s.contains(64));
  EXPECT_TRUE(s.contains(128));
  EXPECT_FALSE(s.contains(131));
  EXPECT_TRUE(s.contains(65535));
  EXPECT_EQ(s.to_string(), "60-130,65535");
  EXPECT_EQ(parsed("0-63").count(), 64u);
  EXPECT_EQ(parsed("0-65535").count(), 65536u);
}

TEST(CidSet, RejectsMalformedLists) {
  for (std::string_view list :
       {"3-1", "x", "1,,2", "1,", ",1", "1-", "-3", "1-2-3", "0x3", "+1", "1 2", "1 -2", "65536",
        "0-65536", "99999999999999999999", "4294967296", "0-3,8..."}) {
    auto r = CidSet::parse(list);
    EXPECT_FALSE(r.ok()) << list;
    if (!r.ok()) {
      EXPECT_NE(r.error().message.find("cid list"), std::string::npos) << r.error().message;
    }
  }
}

TEST(CidSet, ReversedRangeErrorNamesTheElement) {
  auto r = CidSet::parse("0,3-1");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("reversed range \"3-1\""), std::string::npos)
      << r.error().message;
}

TEST(CidSet, SubsetAndMinus) {
  CidSet parent = parsed("0-7");
  CidSet child = parsed("2-3,6");
  EXPECT_TRUE(child.is_subset_of(parent));
  EXPECT_FALSE(parent.is_subset_of(child));
  EXPECT_TRUE(CidSet().is_subset_of(CidSet()));
  EXPECT_TRUE(CidSet().is_subset_of(child));
  EXPECT_FALSE(parsed("200").is_subset_of(parent));  // longer than the other's words
  EXPECT_EQ(parent.minus(child).to_string(), "0-1,4-5,7");
  EXPECT_TRUE(child.minus(parent).empty());
  EXPECT_EQ(parsed("0-3,200").minus(parsed("200")), parsed("0-3"));  // trailing words trimmed
  EXPECT_EQ(parsed("200").minus(parsed("200")), CidSet());
  EXPECT_EQ(child.minus(CidSet()), child);
}

TEST(CidSet, InsertAndEquality) {
  CidSet s;
  s.insert(8);
  s.insert(0);
  s.insert(8);
  EXPECT_EQ(s.to_string(), "0,8");
  EXPECT_EQ(s, parsed("0,8"));
  EXPECT_NE(s, parsed("0"));
  EXPECT_EQ(CidSet::range(2, 4), parsed("2-4"));
}

TEST(CidSetDeathTest, InsertAboveMaxAborts) {
  EXPECT_DEATH(CidSet().insert(CidSet::kMaxCid + 1), "");
}

TEST(CidSet, OfAndRanges) {
  const CidSet s = CidSet::of({8, 0, 1, 2, 3, 10, 2});
  EXPECT_EQ(s.to_string(), "0-3,8,10");
  EXPECT_EQ(s.ranges(), (std::vector<CidRange>{{0, 3}, {8, 8}, {10, 10}}));
  EXPECT_TRUE(CidSet::of({}).ranges().empty());
  EXPECT_EQ(to_string(CidRange{4, 4}), "4");
  EXPECT_EQ(to_string(CidRange{4, 7}), "4-7");
}

TEST(CidRange, ParsesOneElement) {
  EXPECT_EQ(parse_cid_range("8"), (CidRange{8, 8}));
  EXPECT_EQ(parse_cid_range("0-3"), (CidRange{0, 3}));
  EXPECT_EQ(parse_cid_range("3-1"), (CidRange{3, 1}));  // order is the caller's business
  for (std::string_view bad : {"", "-", "1-", "-3", "1-2-3", "+1", "0x3", " 1", "1 -2"}) {
    EXPECT_FALSE(parse_cid_range(bad)) << bad;
  }
}

TEST(CidRange, BlanksAroundNumbersOnlyWhenAllowed) {
  EXPECT_EQ(parse_cid_range(" 0 - 3 ", true), (CidRange{0, 3}));
  EXPECT_EQ(parse_cid_range(" 8", true), (CidRange{8, 8}));
  EXPECT_FALSE(parse_cid_range("1 2", true));
  EXPECT_FALSE(parse_cid_range(" 8"));
}

}  // namespace
}  // namespace scxfarm::telemetry
