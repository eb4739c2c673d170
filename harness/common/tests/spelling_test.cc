#include "scxfarm/common/spelling.h"

#include <gtest/gtest.h>

namespace scxfarm {
namespace {

enum class Colour { kRed, kGreen, kBlue };
constexpr Spellings<Colour, 2> kColours = {{{"red", Colour::kRed}, {"green", Colour::kGreen}}};

TEST(Spelling, NameAndValueAreInverse) {
  EXPECT_EQ(name_of(kColours, Colour::kGreen), "green");
  EXPECT_EQ(value_of(kColours, "red"), Colour::kRed);
  static_assert(*value_of(kColours, "green") == Colour::kGreen);
}

TEST(Spelling, MissingEntriesAreNullopt) {
  EXPECT_FALSE(name_of(kColours, Colour::kBlue));
  EXPECT_FALSE(value_of(kColours, "Red"));  // names are exact
}

}  // namespace
}  // namespace scxfarm
