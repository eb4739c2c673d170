#include "scxfarm/common/text.h"

#include <gtest/gtest.h>

namespace scxfarm::text {
namespace {

TEST(Text, TrimRemovesWhitespaceOnBothEnds) {
  EXPECT_EQ(trim("  0-3\n"), "0-3");
  EXPECT_EQ(trim("\t\r\v\f enabled \n"), "enabled");
  EXPECT_EQ(trim(" a b "), "a b");
  EXPECT_EQ(trim(""), "");
  EXPECT_EQ(trim(" \n\t"), "");
}

TEST(Text, TrimWithOwnCharacterSet) {
  EXPECT_EQ(trim(" \t8 ", " "), "\t8");
  EXPECT_EQ(trim("--x--", "-"), "x");
  EXPECT_EQ(trim("   ", " "), "");
}

TEST(Text, SplitKeepsEmptyParts) {
  EXPECT_EQ(split("0-3,8", ','), (std::vector<std::string_view>{"0-3", "8"}));
  EXPECT_EQ(split("a,,b,", ','), (std::vector<std::string_view>{"a", "", "b", ""}));
  EXPECT_EQ(split("", ','), (std::vector<std::string_view>{""}));
}

TEST(Text, JoinIsSplitsInverse) {
  EXPECT_EQ(join(split("a,,b,", ','), ","), "a,,b,");
  EXPECT_EQ(join(std::vector<std::string>{"root/A", "root/B"}, ", "), "root/A, root/B");
  EXPECT_EQ(join(std::vector<std::string>{}, ", "), "");
}

TEST(Text, Tokens) {
  EXPECT_EQ(tokens("  SCX_EV_X \t 12\n"), (std::vector<std::string_view>{"SCX_EV_X", "12"}));
  EXPECT_TRUE(tokens(" \n").empty());
}

TEST(Text, ParseUnsignedTakesOnlyPlainDecimals) {
  EXPECT_EQ(parse_unsigned<uint32_t>("42"), 42u);
  for (std::string_view bad : {"", "+1", "-1", " 1", "1 ", "0x3", "4294967296"}) {
    EXPECT_FALSE(parse_unsigned<uint32_t>(bad)) << bad;
  }
}

TEST(Text, ParseDouble) {
  EXPECT_EQ(parse_double("120.5"), 120.5);
  EXPECT_FALSE(parse_double(""));
  EXPECT_FALSE(parse_double("1.5x"));
}

TEST(Text, ForEachLineNumbersFromOneAndIgnoresTheFinalNewline) {
  std::vector<std::pair<size_t, std::string>> seen;
  for_each_line("a\n\nb\n",
                [&](size_t n, std::string_view line) { seen.emplace_back(n, std::string(line)); });
  EXPECT_EQ(seen, (std::vector<std::pair<size_t, std::string>>{{1, "a"}, {2, ""}, {3, "b"}}));
}

TEST(Text, Quoted) {
  EXPECT_EQ(quoted("0-3"), "\"0-3\"");
}

}  // namespace
}  // namespace scxfarm::text
