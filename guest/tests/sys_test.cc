#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroups.h"
#include "channel.h"
#include "child.h"
#include "sys_io.h"
#include "test_util.h"

namespace scxfarm::agent {
namespace {

using testing::slurp;
using testing::TempDir;
using testing::write;

TEST(Cmdline, PortAndDebug) {
  auto o = parse_cmdline("console=ttyS0 quiet scxfarm.port=org.x.y scxfarm.debug=1\n");
  EXPECT_EQ(o.port_name, "org.x.y");
  EXPECT_TRUE(o.debug);
  o = parse_cmdline("scxfarm.port= scxfarm.debug=0 scxfarm.portx=a");
  EXPECT_EQ(o.port_name, "");
  EXPECT_FALSE(o.debug);
}

TEST(FindPort, ByName) {
  TempDir tmp;
  write(tmp.path() / "ports/vport0p0/name", "\n");
  write(tmp.path() / "ports/vport0p1/name", "org.scxfarm.ctl\n");
  auto dev = find_port(tmp.path() / "ports", "/dev", "org.scxfarm.ctl");
  ASSERT_TRUE(dev.ok()) << dev.error().message;
  EXPECT_EQ(*dev, "/dev/vport0p1");
  auto missing = find_port(tmp.path() / "ports", "/dev", "other");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("vport0p1=org.scxfarm.ctl"), std::string::npos);
  EXPECT_FALSE(find_port(tmp.path() / "none", "/dev", "x").ok());
}

TEST(OutputTail, KeepsTheEndFromALineStart) {
  OutputTail tail(16);
  tail.append("short\n");
  EXPECT_EQ(tail.text(), "short\n");
  for (int i = 0; i < 100; ++i) tail.append("line " + std::to_string(i) + "\n");
  EXPECT_EQ(tail.text(), "line 99\n");
}

TEST(Cgroups, CreatesTreeEnablingCpuBeforeChildren) {
  TempDir tmp;
  Paths paths;
  paths.cgroup_root = tmp.path();
  // cgroupfs makes the control files; a plain directory needs them made.
  for (const char* dir : {"", "A", "A/A1", "B"}) {
    write(tmp.path() / dir / "cgroup.subtree_control", "");
    write(tmp.path() / dir / "cpu.weight", "100\n");
  }
  std::vector<std::string> steps;
  auto s = create_cgroups(paths, protocol::PlanTree(testing::smoke_plan()).cgroups(),
                          [&](const std::string& step) { steps.push_back(step); });
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(slurp(tmp.path() / "cgroup.subtree_control"), "+cpu");
  EXPECT_EQ(slurp(tmp.path() / "A/cgroup.subtree_control"), "+cpu");
  EXPECT_EQ(slurp(tmp.path() / "B/cgroup.subtree_control"), "");  // a leaf
  EXPECT_EQ(slurp(tmp.path() / "A/cpu.weight"), "200");
  EXPECT_EQ(steps.size(), 5u);

  auto swapped = swap_weights(paths, "A", "B");
  ASSERT_TRUE(swapped.ok());
  EXPECT_EQ(*swapped, "A=100 B=200");
  EXPECT_EQ(*read_weight(paths, "A"), 100u);
  EXPECT_EQ(*read_weight(paths, "B"), 200u);
  EXPECT_FALSE(swap_weights(paths, "A", "missing").ok());
  write(tmp.path() / "B/cpu.weight", "max\n");
  EXPECT_FALSE(read_weight(paths, "B").ok());
}

TEST(Cgroups, MissingControllerFileIsAnError) {
  TempDir tmp;
  Paths paths;
  paths.cgroup_root = tmp.path();
  EXPECT_FALSE(create_cgroups(paths, protocol::PlanTree(testing::smoke_plan()).cgroups()).ok());
}

TEST(Channel, QueuesLinesAndSplitsIncoming) {
  int sv[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv), 0);
  Channel channel(sv[0]);
  channel.send("{\"type\":\"hello\"}");
  char buf[256];
  ssize_t n = ::read(sv[1], buf, sizeof buf);
  ASSERT_GT(n, 0);
  EXPECT_EQ(std::string(buf, n), "{\"type\":\"hello\"}\n");
  EXPECT_TRUE(channel.connected());
  ASSERT_EQ(::write(sv[1], "{\"type\":\"run\"}\n{\"ty", 20), 20);
  channel.on_poll(POLLIN, 0);
  EXPECT_EQ(channel.next_incoming(), "{\"type\":\"run\"}");
  EXPECT_FALSE(channel.next_incoming().has_value());
  ::close(sv[1]);
  channel.on_poll(POLLIN | POLLHUP, 100);
  EXPECT_FALSE(channel.connected());
  EXPECT_FALSE(channel.pollable(120));
  EXPECT_TRUE(channel.pollable(100 + Channel::kReprobeMs));
}

TEST(Spawn, MissingProgramAndCgroupAreErrors) {
  auto missing = spawn_child({{"/nonexistent/program"}, {}, false});
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("exec /nonexistent/program"), std::string::npos);
  TempDir tmp;
  auto bad_cgroup = spawn_child({{"true"}, tmp.path() / "nope", true});
  ASSERT_FALSE(bad_cgroup.ok());
  EXPECT_NE(bad_cgroup.error().message.find("cgroup.procs"), std::string::npos);
}

TEST(Spawn, OutputOnAPipeIntoTheCgroupFile) {
  TempDir tmp;
  write(tmp.path() / "cg/cgroup.procs", "");
  auto child = spawn_child({{"sh", "-c", "echo out; echo err >&2"}, tmp.path() / "cg", true});
  ASSERT_TRUE(child.ok()) << child.error().message;
  int status = 0;
  ASSERT_EQ(::waitpid(child->pid, &status, 0), child->pid);
  EXPECT_EQ(exit_code_from_status(status), 0);
  char buf[64];
  const ssize_t n = ::read(child->output_fd, buf, sizeof buf);
  EXPECT_EQ(std::string(buf, n > 0 ? n : 0), "out\nerr\n");
  ::close(child->output_fd);
  EXPECT_EQ(slurp(tmp.path() / "cg/cgroup.procs"), "0");
}

}  // namespace
}  // namespace scxfarm::agent
