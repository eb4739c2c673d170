#include "options.h"

#include <gtest/gtest.h>

namespace scxfarm::probe {
namespace {

ProbeOptions ok(std::vector<std::string> args) {
  auto r = parse_options(args);
  EXPECT_TRUE(std::holds_alternative<ProbeOptions>(r));
  return std::holds_alternative<ProbeOptions>(r) ? std::get<ProbeOptions>(r) : ProbeOptions{};
}

std::string error(std::vector<std::string> args) {
  auto r = parse_options(args);
  EXPECT_TRUE(std::holds_alternative<ParseError>(r));
  return std::holds_alternative<ParseError>(r) ? std::get<ParseError>(r).message : "";
}

TEST(ProbeOptions, Defaults) {
  auto o = ok({});
  EXPECT_EQ(o.workers, 4u);
  EXPECT_EQ(o.duration_s, 10);
  EXPECT_EQ(o.interval_us, 1000u);
  EXPECT_EQ(o.warmup_s, 1);
}

TEST(ProbeOptions, SeparateAndEqualsForms) {
  auto o = ok({"--workers", "8", "--duration-s=2.5", "--interval-us", "0", "--warmup-s=0"});
  EXPECT_EQ(o.workers, 8u);
  EXPECT_DOUBLE_EQ(o.duration_s, 2.5);
  EXPECT_EQ(o.interval_us, 0u);
  EXPECT_EQ(o.warmup_s, 0);
}

TEST(ProbeOptions, BadValuesNameTheOptionAndTheAllowedRange) {
  EXPECT_NE(error({"--workers", "0"}).find("1..1024"), std::string::npos);
  EXPECT_NE(error({"--workers=abc"}).find("--workers 'abc'"), std::string::npos);
  EXPECT_NE(error({"--duration-s", "-1"}).find("0..86400"), std::string::npos);
  EXPECT_NE(error({"--interval-us", "1.5"}).find("--interval-us"), std::string::npos);
  EXPECT_NE(error({"--warmup-s"}).find("needs a value"), std::string::npos);
  EXPECT_NE(error({"--threads", "3"}).find("allowed: --workers"), std::string::npos);
}

TEST(ProbeOptions, Help) {
  EXPECT_TRUE(std::holds_alternative<ShowHelp>(parse_options({"--help"})));
}

}  // namespace
}  // namespace scxfarm::probe
