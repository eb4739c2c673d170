// Focused tests on small console excerpts. Real logs live in the golden
// corpus (golden_test.cc); these pin individual rules.
#include <gtest/gtest.h>

#include <string>

#include "scxfarm/report/report.h"

namespace scxfarm::report {
namespace {

// An int3 oops as printed by 7.3.4 under multi-threaded TCG; `ts` and `addr`
// vary so tests can check that signatures do not.
std::string int3_oops(const std::string& ts, const std::string& cpu, const std::string& off) {
  return "[" + ts +
         "] Oops: int3: 0000 [#1] SMP NOPTI\n"
         "[" +
         ts + "] CPU: " + cpu + " UID: 0 PID: 0 Comm: swapper/" + cpu +
         " Not tainted 7.3.4\n"
         "[" +
         ts + "] RIP: 0010:set_next_task_fair+" + off +
         "/0x780\n"
         "[" +
         ts +
         "] RSP: 0018:ff7203e5801efe08 EFLAGS: 00000047\n"
         "[" +
         ts +
         "] Call Trace:\n"
         "[" +
         ts +
         "]  <TASK>\n"
         "[" +
         ts +
         "]  __schedule+0x29d/0x1080\n"
         "[" +
         ts +
         "]  schedule_idle+0x23/0x40\n"
         "[" +
         ts +
         "]  </TASK>\n"
         "[" +
         ts +
         "] ---[ end trace 0000000000000000 ]---\n"
         "[" +
         ts + "] Kernel panic - not syncing: Fatal exception in interrupt\n";
}

TEST(Classify, CleanConsoleHasNoReports) {
  EXPECT_TRUE(classify_console("").empty());
  EXPECT_TRUE(classify_console("[    0.000000] Linux version 7.3.4\nhello\n"
                               "[   15.504317] reboot: Power down\n")
                  .empty());
}

TEST(Classify, OopsThenPanic) {
  auto reports = classify_console(int3_oops("    1.880896", "6", "0x609"));
  ASSERT_EQ(reports.size(), 2u);
  EXPECT_EQ(reports[0].kind, Kind::kOops);
  EXPECT_EQ(reports[0].title, "Oops: int3 in set_next_task_fair");
  EXPECT_EQ(reports[0].function, "set_next_task_fair");
  EXPECT_EQ(reports[0].start_line, 1u);
  EXPECT_EQ(reports[0].end_line, 10u);
  EXPECT_FALSE(reports[0].truncated);
  EXPECT_EQ(reports[0].excerpt.front(), "Oops: int3: 0000 [#1] SMP NOPTI");
  EXPECT_EQ(reports[1].kind, Kind::kPanic);
  EXPECT_EQ(reports[1].reason, "Fatal exception in interrupt");
  EXPECT_EQ(reports[1].title, "Kernel panic - not syncing: Fatal exception in interrupt");
  EXPECT_TRUE(reports[1].truncated);  // no "---[ end Kernel panic" before the log ends
}

TEST(Classify, SignatureIsStableAcrossRuns) {
  auto a = classify_console(int3_oops("    1.880896", "6", "0x609"));
  auto b = classify_console("noise\n" + int3_oops("  812.000001", "2", "0x5f1"));
  ASSERT_EQ(a.size(), 2u);
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(a[0].signature(), b[0].signature());
  EXPECT_EQ(a[1].signature(), b[1].signature());
  EXPECT_NE(a[0].signature(), a[1].signature());
  EXPECT_EQ(a[0].signature(), "oops|set_next_task_fair|");
}

TEST(Classify, TruncatedWhenTheLogEndsInsideATrace) {
  auto reports = classify_console(
      "[    5.1] BUG: kernel NULL pointer dereference, address: 0000000000000000\n"
      "[    5.1] #PF: supervisor read access in kernel mode\n"
      "[    5.1] Oops: Oops: 0000 [#1] SMP NOPTI\n"
      "[    5.1] RIP: 0010:dispatch_to_local_dsq+0x12/0x200\n"
      "[    5.1] Call Trace:\n"
      "[    5.1]  <TASK>\n"
      "[    5.1]  balance_one+0x");
  ASSERT_EQ(reports.size(), 1u);  // the Oops line continues the BUG report
  EXPECT_EQ(reports[0].kind, Kind::kBug);
  EXPECT_EQ(reports[0].title, "BUG: kernel NULL pointer dereference in dispatch_to_local_dsq");
  EXPECT_TRUE(reports[0].truncated);
  EXPECT_EQ(reports[0].end_line, 7u);
}

TEST(Classify, WarningInBothFormats) {
  auto reports = classify_console(
      "[    3.0] ------------[ cut here ]------------\n"
      "[    3.0] WARNING: kernel/sched/ext/ext.c:6611 at scx_root_disable+0x3a/0x400, CPU#1: "
      "kworker/1:2/88\n"
      "[    3.0] Call Trace:\n"
      "[    3.0]  __warn+0x80/0x120\n"
      "[    3.0] ---[ end trace 0000000000000000 ]---\n"
      "[    4.0] WARNING: CPU: 0 PID: 1 at mm/slub.c:12 kmem_cache_free+0x1/0x2\n"
      "[    4.0] ---[ end trace 0000000000000000 ]---\n");
  ASSERT_EQ(reports.size(), 2u);
  EXPECT_EQ(reports[0].title, "WARNING in scx_root_disable");
  EXPECT_EQ(reports[0].start_line, 1u);  // the "cut here" line belongs to it
  EXPECT_EQ(reports[1].title, "WARNING in kmem_cache_free");
}

TEST(Classify, SchedExtDisableMergesTheSchedulerExitLine) {
  auto reports = classify_console(
      "[   14.666112] sched_ext: BPF scheduler \"qmap\" disabled (runnable task stall)\n"
      "[   14.666193] sched_ext: qmap: sleep[132] failed to run for 7.556s\n"
      "[   14.666301]    scx_vexit+0x6d/0xa0\n"
      "[   14.666426]    __scx_exit+0x4f/0x70\n"
      "[   14.666433]    scx_watchdog_workfn+0x1b6/0x260\n"
      "DEBUG DUMP\n"
      "EXIT: runnable task stall (sleep[132] failed to run for 7.556s) on CPU 0\n"
      "[   16.0] sched_ext: BPF scheduler \"simple\" disabled (unregistered from user space)\n"
      "EXIT: unregistered from user space\n");
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].kind, Kind::kSchedExtExit);
  EXPECT_EQ(reports[0].title, "sched_ext: root disabled: runnable task stall");
  EXPECT_EQ(reports[0].function, "scx_watchdog_workfn");
  EXPECT_EQ(reports[0].reason, "runnable task stall");
  EXPECT_EQ(reports[0].end_line, 7u);
  EXPECT_EQ(reports[0].excerpt.back(),
            "EXIT: runnable task stall (sleep[132] failed to run for 7.556s) on CPU 0");
}

TEST(Classify, SchedulerExitLineAloneStillReports) {
  auto reports = classify_console("EXIT: scx_bpf_error (scx_qmap.bpf.c:434: boom) on CPU 3\n");
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].reason, "scx_bpf_error");
}

TEST(Classify, HungTaskAndSoftLockupEndAtTheirTrace) {
  auto reports = classify_console(
      "[   30.0] INFO: task sh:140 blocked for more than 2 seconds.\n"
      "[   30.0]       Not tainted 7.3.4+deb13-cloud-amd64 #1\n"
      "[   30.0] \"echo 0 > /proc/sys/kernel/hung_task_timeout_secs\" disables this message.\n"
      "[   30.0] task:sh state:D stack:0 pid:140 tgid:140 ppid:1 task_flags:0x400100 flags:0x0\n"
      "[   30.0] Call Trace:\n"
      "[   30.0]  <TASK>\n"
      "[   30.0]  __schedule+0x1/0x2\n"
      "[   30.0]  schedule+0x1/0x2\n"
      "[   30.0]  schedule_on_each_cpu+0x1/0x2\n"
      "[   30.0]  </TASK>\n"
      "[   31.0] random: crng init done\n"
      "[   52.0] watchdog: BUG: soft lockup - CPU#3 stuck for 22s! [stress-ng:200]\n"
      "[   52.0] RIP: 0010:bpf_prog_0123456789abcdef_qmap_dispatch+0x50/0x90\n");
  ASSERT_EQ(reports.size(), 2u);
  EXPECT_EQ(reports[0].title, "INFO: task hung in schedule_on_each_cpu");
  EXPECT_EQ(reports[0].end_line, 10u);
  EXPECT_FALSE(reports[0].truncated);
  EXPECT_EQ(reports[1].title, "BUG: soft lockup in qmap_dispatch");
  EXPECT_TRUE(reports[1].truncated);
}

TEST(Classify, SecondBootBannerWithoutPowerDownIsAnUnexpectedReboot) {
  const std::string boot = "SeaBIOS (version 1.16.2)\n[    0.000000] Linux version 7.3.4\n";
  EXPECT_TRUE(classify_console(boot + "[    9.0] reboot: Power down\n" + boot).empty());
  auto reports = classify_console(boot +
                                  "[    9.0] Kernel panic - not syncing: sysrq triggered crash\n"
                                  "[    9.0] Rebooting in 1 seconds..\n" +
                                  boot);
  ASSERT_EQ(reports.size(), 2u);
  EXPECT_EQ(reports[0].kind, Kind::kPanic);
  EXPECT_FALSE(reports[0].truncated);
  EXPECT_EQ(reports[1].kind, Kind::kUnexpectedReboot);
  EXPECT_EQ(reports[1].start_line, 5u);
}

TEST(Classify, OomKillNamesTheVictim) {
  auto reports = classify_console(
      "[   20.0] stress-ng-vm invoked oom-killer: gfp_mask=0x140dca(GFP_HIGHUSER_MOVABLE), "
      "order=0\n"
      "[   20.0] Mem-Info:\n"
      "[   20.0] Out of memory: Killed process 231 (stress-ng-vm) total-vm:3000000kB\n");
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].kind, Kind::kOomKill);
  EXPECT_EQ(reports[0].title, "Out of memory: Killed process (stress-ng-vm)");
  EXPECT_EQ(reports[0].end_line, 3u);
}

TEST(Classify, VerifierComplaintInTheClassicLogFormat) {
  auto reports = classify_console(
      "libbpf: prog 'qmap_enqueue': BPF program load failed: Permission denied\n"
      "libbpf: prog 'qmap_enqueue': -- BEGIN PROG LOAD LOG --\n"
      "func#0 @0\n"
      "0: R1=ctx() R10=fp0\n"
      "; int BPF_STRUCT_OPS(qmap_enqueue, struct task_struct *p) @ scx_qmap.bpf.c:200\n"
      "0: (79) r6 = *(u64 *)(r1 +0)\n"
      "R1 invalid mem access 'scalar'\n"
      "processed 12 insns (limit 1000000) max_states_per_insn 0 total_states 1\n"
      "-- END PROG LOAD LOG --\n"
      "libbpf: prog 'qmap_enqueue': failed to load: -13\n"
      "libbpf: failed to load object 'scx_qmap'\n"
      "libbpf: failed to load BPF skeleton 'scx_qmap': -13\n"
      "scx_qmap: failed to load\n");
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].kind, Kind::kVerifierReject);
  EXPECT_EQ(reports[0].function, "qmap_enqueue");
  EXPECT_EQ(reports[0].reason, "R1 invalid mem access 'scalar'");
  EXPECT_EQ(reports[0].title,
            "bpf: verifier rejected prog 'qmap_enqueue': R1 invalid mem access 'scalar'");
  EXPECT_EQ(reports[0].start_line, 1u);
  EXPECT_EQ(reports[0].end_line, 12u);
  EXPECT_FALSE(reports[0].truncated);
}

TEST(Classify, KindNamesRoundTrip) {
  for (Kind k : {Kind::kPanic, Kind::kOops, Kind::kBug, Kind::kWarning, Kind::kSoftLockup,
                 Kind::kRcuStall, Kind::kHungTask, Kind::kSchedExtExit, Kind::kVerifierReject,
                 Kind::kOomKill, Kind::kUnexpectedReboot}) {
    Kind back;
    ASSERT_TRUE(kind_from_string(to_string(k), back));
    EXPECT_EQ(back, k);
  }
  EXPECT_EQ(to_string(Kind::kSchedExtExit), "sched-ext-exit");
}

TEST(ToJson, EscapesStrings) {
  Report r;
  r.kind = Kind::kWarning;
  r.title = "quote \" and \\";
  r.excerpt = {"a\tb"};
  EXPECT_EQ(to_json({r}),
            "[{\"kind\":\"warning\",\"title\":\"quote \\\" and \\\\\",\"function\":\"\","
            "\"reason\":\"\",\"signature\":\"warning||\",\"start_line\":0,\"end_line\":0,"
            "\"truncated\":false,\"excerpt\":[\"a\\tb\"]}]");
}

}  // namespace
}  // namespace scxfarm::report
