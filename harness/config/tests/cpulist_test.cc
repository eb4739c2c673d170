#include "cpulist.h"

#include <gtest/gtest.h>

namespace scxfarm::config::detail {
namespace {

TEST(Cpulist, ParsesRangesAndSingles) {
  auto ids = parse_cpulist("0-3, 8,10-11");
  ASSERT_TRUE(ids.ok()) << ids.error().message;
  EXPECT_EQ(*ids, (std::vector<uint32_t>{0, 1, 2, 3, 8, 10, 11}));
  EXPECT_TRUE(parse_cpulist("").value().empty());
  EXPECT_EQ(parse_cpulist("5").value(), std::vector<uint32_t>{5});
}

TEST(Cpulist, RejectsMalformedLists) {
  for (const char* bad : {"0-x", "3-1", "0,,1", "0-", "-1", "1,", "0-3,2", "a", "1 2", "99999"}) {
    EXPECT_FALSE(parse_cpulist(bad).ok()) << bad;
  }
  EXPECT_EQ(parse_cpulist("3-1").error().message, "range '3-1' runs backwards");
  EXPECT_EQ(parse_cpulist("0-3,2").error().message, "cpu 2 is listed twice");
}

TEST(Cpulist, FormatsShortest) {
  EXPECT_EQ(format_cpulist({8, 0, 1, 2, 3, 10}), "0-3,8,10");
  EXPECT_EQ(format_cpulist({}), "");
  EXPECT_EQ(format_cpulist({4}), "4");
}

}  // namespace
}  // namespace scxfarm::config::detail
