#include "console_text.h"

#include <gtest/gtest.h>

namespace scxfarm::report::internal {
namespace {

TEST(SplitConsole, StripsTimestampsCarriageReturnsAndAnsi) {
  auto lines = split_console(
      "\x1b[?7l\x1b[2J[    1.880896] Oops: int3: 0000 [#1] SMP NOPTI\r\n"
      "plain userspace line\r\n"
      "[   12.5] [    T1] with caller id\n"
      "Probing EDD... ok\x1b"
      "c[    0.000000] Linux version 7.3.4\n");
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0].text, "Oops: int3: 0000 [#1] SMP NOPTI");
  EXPECT_TRUE(lines[0].kernel);
  EXPECT_EQ(lines[1].text, "plain userspace line");
  EXPECT_FALSE(lines[1].kernel);
  EXPECT_EQ(lines[2].text, "with caller id");
  EXPECT_EQ(lines[3].text, "Linux version 7.3.4");
  EXPECT_TRUE(lines[3].kernel);
}

TEST(SplitConsole, KeepsIndentationOfTraceLines) {
  auto lines = split_console("[    1.884393]  __schedule+0x29d/0x1080\n");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].text, " __schedule+0x29d/0x1080");
}

TEST(SplitConsole, BracketedNumbersAreNotTimestamps) {
  auto lines = split_console("stress-ng: info:  [186] passed: 2: cpu (2)\n");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_FALSE(lines[0].kernel);
  EXPECT_EQ(lines[0].text, "stress-ng: info:  [186] passed: 2: cpu (2)");
}

TEST(StripAnsi, RemovesEscapesAndControlCharacters) {
  EXPECT_EQ(strip_ansi("\x1b[0mSeaBIOS\x1b]0;title\x07 (version\x1b(B)\x01"), "SeaBIOS (version)");
}

TEST(ParseFrame, AcceptsTraceLinesOnly) {
  auto f = parse_frame("  ? __schedule+0x29d/0x1080 [qmap]");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->function, "__schedule");
  EXPECT_FALSE(f->reliable);
  EXPECT_FALSE(parse_frame("Call Trace:"));
  EXPECT_FALSE(parse_frame("RIP: 0010:set_next_task_fair+0x609/0x780"));
  EXPECT_FALSE(parse_frame("foo+0x1/0x2 trailing words"));
  EXPECT_EQ(parse_rip("RIP: 0010:set_next_task_fair+0x609/0x780").value_or(""),
            "set_next_task_fair");
  EXPECT_FALSE(parse_rip("RIP: 0033:0x7f3a1c2b3d4e"));
}

TEST(CleanFunction, DropsOffsetsSuffixesAndBpfTags) {
  EXPECT_EQ(clean_function("set_next_task_fair+0x609/0x780"), "set_next_task_fair");
  EXPECT_EQ(clean_function("do_idle.cold+0x1/0x2"), "do_idle");
  EXPECT_EQ(clean_function("bpf_prog_262d201a951a2805_qmap_enqueue+0x1a7/0xd60"), "qmap_enqueue");
  EXPECT_EQ(clean_function("bpf_prog_extra"), "bpf_prog_extra");
}

TEST(NormalizeForSignature, RemovesRunSpecificNumbers) {
  EXPECT_EQ(normalize_for_signature("f+0x1a/0x40 at 0xffff8880deadbeef on CPU 3 pid:123"),
            "f at 0x on CPU N pid:N");
  EXPECT_EQ(normalize_for_signature("Attempted to kill init! exitcode=0x0000000b"),
            "Attempted to kill init! exitcode=0x");
  EXPECT_EQ(normalize_for_signature("runnable task stall"), "runnable task stall");
}

}  // namespace
}  // namespace scxfarm::report::internal
