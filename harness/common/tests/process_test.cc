#include "scxfarm/common/process.h"

#include <gtest/gtest.h>
#include <signal.h>

namespace scxfarm {
namespace {

using namespace std::chrono_literals;

TEST(Process, CapturesOutputAndExitCode) {
  auto r = run_command({"sh", "-c", "echo out; echo err >&2; exit 3"}, 10s);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->status.exited);
  EXPECT_EQ(r->status.code, 3);
  EXPECT_NE(r->output.find("out"), std::string::npos);
  EXPECT_NE(r->output.find("err"), std::string::npos);
}

TEST(Process, ArgumentsAreNotShellParsed) {
  auto r = run_command({"echo", "$(id)", ";", "rm"}, 10s);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->output, "$(id) ; rm\n");
}

TEST(Process, TimeoutKillsTheChild) {
  auto r = run_command({"sleep", "30"}, 200ms);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->timed_out);
  EXPECT_FALSE(r->status.exited);
  EXPECT_EQ(r->status.signal, SIGKILL);
}

TEST(Process, MissingProgramIsAnError) {
  auto r = Process::spawn({"/nonexistent/qemu-system-x86_64"});
  EXPECT_FALSE(r.ok());
}

TEST(Process, WaitForReportsStillRunning) {
  auto p = Process::spawn({"sleep", "5"});
  ASSERT_TRUE(p.ok());
  EXPECT_FALSE(p->wait_for(50ms).has_value());
  p->signal(SIGTERM);
  auto st = p->wait();
  EXPECT_EQ(st.signal, SIGTERM);
}

}  // namespace
}  // namespace scxfarm
