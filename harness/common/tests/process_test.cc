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

TEST(Process, StopWhenEndsTheCommandAsSoonAsItsOutputSuffices) {
  const auto start = std::chrono::steady_clock::now();
  auto r = run_command({"sh", "-c", "echo starting; echo 'verdict: no'; sleep 30; echo late"}, 20s,
                       [](std::string_view output) {
                         return output.find("verdict: no\n") != std::string_view::npos;
                       });
  ASSERT_TRUE(r.ok());
  EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);
  EXPECT_TRUE(r->stopped);
  EXPECT_FALSE(r->timed_out);
  EXPECT_EQ(r->status.signal, SIGKILL);
  EXPECT_EQ(r->output, "starting\nverdict: no\n");
}

TEST(Process, StopWhenThatNeverHoldsLetsTheCommandEnd) {
  auto r = run_command({"sh", "-c", "echo done; exit 4"}, 10s, [](std::string_view output) {
    return output.find("never") != std::string_view::npos;
  });
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->stopped);
  EXPECT_EQ(r->status.code, 4);
  EXPECT_EQ(r->output, "done\n");
}

TEST(Process, FindProgramSearchesPathLikeSpawn) {
  const auto sh = find_program("sh");
  ASSERT_TRUE(sh.has_value());
  EXPECT_TRUE(sh->is_absolute()) << sh->string();
  EXPECT_EQ(sh->filename(), "sh");
  EXPECT_EQ(find_program(sh->string()), sh);  // a path is taken as it is
  EXPECT_FALSE(find_program("scxfarm-no-such-program").has_value());
  EXPECT_FALSE(find_program("/nonexistent/qemu-system-x86_64").has_value());
  EXPECT_FALSE(find_program("").has_value());
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
