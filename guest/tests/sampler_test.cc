#include "sampler.h"

#include <gtest/gtest.h>

#include "sys_io.h"
#include "test_util.h"

namespace scxfarm::agent {
namespace {

using testing::TempDir;
using testing::write;

constexpr const char* kEvents =
    "SCX_EV_SELECT_CPU_FALLBACK 3\nSCX_EV_DISPATCH_LOCAL_DSQ_OFFLINE 0\nSCX_EV_SUB_RESCUE 7\n";

// A fake /sys/kernel/sched_ext with a root and one sub-scheduler for the
// fake cgroup "A" (whose id is its inode number, as on cgroup2).
struct FakeTree {
  TempDir tmp;
  Paths paths;
  std::filesystem::path root_dir, a_dir;
  FakeTree() {
    paths.sched_ext = tmp.path() / "sched_ext";
    paths.cgroup_root = tmp.path() / "cgroup";
    std::filesystem::create_directories(paths.cgroup_root / "A");
    write(paths.sched_ext / "state", "enabled\n");
    root_dir = root_sysfs_dir(paths);
    a_dir = sub_sysfs_dir(root_dir, *cgroup_id(paths.cgroup_root / "A"));
    put(root_dir, "qmap", "enq_immed: 0-7\nenq: 0-7\npreempt: 0-7\nperf: 0-7\n", kEvents);
    put(a_dir, "qmap", "enq_immed: 0-3\nenq: 0-3\npreempt: 0-3\nperf: \n", kEvents);
  }
  static void put(const std::filesystem::path& dir, const std::string& ops, const std::string& caps,
                  const std::string& events) {
    write(dir / "ops", ops + "\n");
    write(dir / "caps", caps);
    write(dir / "events", events);
  }
};

TEST(SysfsDirs, SubDirIsNamedByTheCgroupInode) {
  FakeTree t;
  const auto id = cgroup_id(t.paths.cgroup_root / "A");
  ASSERT_TRUE(id.ok());
  EXPECT_GT(*id, 0u);
  EXPECT_EQ(t.root_dir, t.paths.sched_ext / "root");
  EXPECT_EQ(t.a_dir, t.paths.sched_ext / "root" / "sub" / ("sub-" + std::to_string(*id)));
  EXPECT_EQ(sub_sysfs_dir(t.a_dir, 42), t.a_dir / "sub" / "sub-42");
  EXPECT_FALSE(cgroup_id(t.paths.cgroup_root / "missing").ok());
}

TEST(Sampler, RawTextOfEverySchedulerAndState) {
  FakeTree t;
  Sampler sampler(t.paths);
  sampler.track("root", t.root_dir);
  sampler.track("root/A", t.a_dir);
  sampler.track("root/B", t.paths.sched_ext / "root" / "sub" / "sub-999");  // not (yet) there
  const auto s = sampler.take(7, 1234);
  EXPECT_EQ(s.seq, 7u);
  EXPECT_EQ(s.t_ms, 1234u);
  EXPECT_EQ(s.state, "enabled");
  ASSERT_EQ(s.schedulers.size(), 3u);
  EXPECT_EQ(s.schedulers[0].path, "root");
  EXPECT_TRUE(s.schedulers[0].present);
  EXPECT_EQ(s.schedulers[0].ops, "qmap");
  EXPECT_EQ(s.schedulers[1].caps, "enq_immed: 0-3\nenq: 0-3\npreempt: 0-3\nperf: \n");
  EXPECT_EQ(s.schedulers[1].events, kEvents);
  EXPECT_FALSE(s.schedulers[2].present);
  EXPECT_TRUE(s.schedulers[2].caps.empty());
  EXPECT_TRUE(s.violations.empty());
  EXPECT_TRUE(sampler.take_warnings().empty());
}

TEST(Sampler, ReportsCapsNotHeldByTheParentPerCap) {
  FakeTree t;
  // Child holds perf on 4 while the root's perf is 0-3: only perf is wrong.
  FakeTree::put(t.root_dir, "qmap", "enq_immed: 0-7\nenq: 0-7\npreempt: 0-7\nperf: 0-3\n", kEvents);
  FakeTree::put(t.a_dir, "qmap", "enq_immed: 4\nenq: 4\npreempt: 4\nperf: 4\n", kEvents);
  Sampler sampler(t.paths);
  sampler.track("root", t.root_dir);
  sampler.track("root/A", t.a_dir);
  const auto s = sampler.take(0, 0);
  ASSERT_EQ(s.violations.size(), 1u);
  EXPECT_NE(s.violations[0].find("root/A"), std::string::npos);
  EXPECT_NE(s.violations[0].find("perf"), std::string::npos);
  EXPECT_NE(s.violations[0].find("4"), std::string::npos);
  EXPECT_EQ(sampler.transient_subset_violations(), 0u);  // it persisted through the re-reads
}

TEST(Sampler, ReportsEventCountersGoingBackwardsPerInstance) {
  FakeTree t;
  Sampler sampler(t.paths);
  sampler.track("root", t.root_dir);
  sampler.track("root/A", t.a_dir);
  EXPECT_TRUE(sampler.take(0, 0).violations.empty());
  testing::write(t.a_dir / "events",
                 "SCX_EV_SELECT_CPU_FALLBACK 2\nSCX_EV_SUB_RESCUE 9\nSCX_EV_NEW 1\n");
  const auto s = sampler.take(1, 250);
  ASSERT_EQ(s.violations.size(), 1u);
  EXPECT_NE(s.violations[0].find("root/A"), std::string::npos);
  EXPECT_NE(s.violations[0].find("SCX_EV_SELECT_CPU_FALLBACK"), std::string::npos);
  // Compared with the previous sample only: no repeat.
  EXPECT_TRUE(sampler.take(2, 500).violations.empty());

  // Gone, then back as a new instance with lower counters: not a regression.
  std::filesystem::remove_all(t.a_dir);
  EXPECT_FALSE(sampler.take(3, 750).schedulers[1].present);
  FakeTree::put(t.a_dir, "qmap", "enq: 0-3\n", "SCX_EV_SELECT_CPU_FALLBACK 0\n");
  EXPECT_TRUE(sampler.take(4, 1000).violations.empty());
}

TEST(Sampler, UnexpectedKernelTextIsAWarningNotACrash) {
  FakeTree t;
  FakeTree::put(t.a_dir, "qmap", "this is not a caps file\n\x01\x02", "SCX_EV_X lots\n");
  Sampler sampler(t.paths);
  sampler.track("root", t.root_dir);
  sampler.track("root/A", t.a_dir);
  const auto s = sampler.take(0, 0);
  EXPECT_TRUE(s.violations.empty());
  EXPECT_TRUE(s.schedulers[1].present);
  const auto warnings = sampler.take_warnings();
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_NE(warnings[0].find("root/A: caps"), std::string::npos);
  EXPECT_NE(warnings[1].find("root/A: events"), std::string::npos);
  sampler.take(1, 250);
  EXPECT_TRUE(sampler.take_warnings().empty());  // each distinct warning once
}

TEST(Sampler, MissingStateFileStillSamples) {
  FakeTree t;
  std::filesystem::remove(t.paths.sched_ext / "state");
  Sampler sampler(t.paths);
  sampler.track("root", t.root_dir);
  const auto s = sampler.take(0, 0);
  EXPECT_EQ(s.state, "");
  EXPECT_TRUE(s.schedulers[0].present);
  EXPECT_EQ(sampler.take_warnings().size(), 1u);
}

}  // namespace
}  // namespace scxfarm::agent
