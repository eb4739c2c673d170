#include "probe.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <thread>

namespace scxfarm::probe {
namespace {

TEST(WakeupProbe, FixedRateRoundsWakeEveryWorker) {
  std::atomic<bool> stop{false};
  ProbeOptions o{.workers = 3, .duration_s = 0.3, .interval_us = 2000, .warmup_s = 0.05};
  auto r = run_probe(o, stop);
  EXPECT_EQ(r.workers, 3u);
  EXPECT_GT(r.rounds, 20u);  // 150 ticks in 0.3 s; a loaded 2-core host still gets far more than 20
  EXPECT_EQ(r.wakeups, r.rounds * 3);
  EXPECT_EQ(r.latency_ns.count(), r.wakeups);
  EXPECT_NEAR(r.measured_s, 0.3, 0.2);
  EXPECT_FALSE(r.interrupted);
  // At most one round per tick: the fixed rate holds.
  EXPECT_LE(r.rounds, static_cast<uint64_t>(r.measured_s * 1e6 / 2000) + 2);
  EXPECT_GT(r.latency_ns.max(), 0u);
}

TEST(WakeupProbe, BackToBackRunsMoreRoundsThanFixedRate) {
  std::atomic<bool> stop{false};
  ProbeOptions o{.workers = 2, .duration_s = 0.2, .interval_us = 0, .warmup_s = 0};
  auto r = run_probe(o, stop);
  EXPECT_GT(r.rounds, 200u);  // > 1 kHz: nothing waits for a tick
  EXPECT_EQ(r.wakeups, r.rounds * 2);
  EXPECT_GT(r.requests_per_s(), 0);
}

TEST(WakeupProbe, StopFlagEndsAnUnboundedRun) {
  std::atomic<bool> stop{false};
  ProbeOptions o{.workers = 2, .duration_s = 0, .interval_us = 1000, .warmup_s = 0};
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    stop = true;
  });
  const auto t0 = std::chrono::steady_clock::now();
  auto r = run_probe(o, stop);
  stopper.join();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(2));
  EXPECT_TRUE(r.interrupted);
  EXPECT_GT(r.wakeups, 0u);
}

// Values are the highest value of each sample's bucket: p50 = 500000 lies in
// [499712, 501759] (width 2^11 above 2^18), p90 = 900000 in [897024, 901119].
TEST(WakeupProbe, JsonLineHasTheDocumentedShape) {
  ProbeResult r;
  r.workers = 4;
  r.wakeups = 4000;
  r.measured_s = 2;
  for (uint64_t v = 1; v <= 1000; ++v) r.latency_ns.record(v * 1000);
  EXPECT_EQ(result_json(r),
            "{\"probe\":\"wakeup\",\"workers\":4,\"wakeups\":4000,\"requests_per_s\":2000.0,"
            "\"latency_ns\":{\"p50\":501759,\"p90\":901119,\"p99\":991231,\"p999\":999423,"
            "\"max\":1000000}}");
}

// The real binary: SIGTERM mid-run still prints the JSON line and exits 0
// (the farm's agent stops workloads with SIGTERM at the end of a run).
TEST(WakeupProbe, BinaryPrintsResultsOnSigterm) {
  int out[2];
  ASSERT_EQ(::pipe(out), 0);
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::dup2(out[1], 1);
    ::close(out[0]);
    ::execl(SCXFARM_WAKEUP_PROBE, SCXFARM_WAKEUP_PROBE, "--workers", "2", "--duration-s", "0",
            "--warmup-s", "0", "--interval-us", "500", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(out[1]);
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  ASSERT_EQ(::kill(pid, SIGTERM), 0);
  std::string text;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(out[0], buf, sizeof buf)) > 0) text.append(buf, static_cast<size_t>(n));
  ::close(out[0]);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status)) << "killed by signal " << WTERMSIG(status);
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_EQ(text.rfind("{\"probe\":\"wakeup\",\"workers\":2,\"wakeups\":", 0), 0u) << text;
  EXPECT_EQ(text.back(), '\n');
  EXPECT_EQ(text.find("\"wakeups\":0,"), std::string::npos) << text;
}

TEST(WakeupProbe, BinaryRejectsBadOptionsWithExit2) {
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    int devnull = ::open("/dev/null", O_WRONLY);
    ::dup2(devnull, 2);
    ::execl(SCXFARM_WAKEUP_PROBE, SCXFARM_WAKEUP_PROBE, "--workers", "0",
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 2);
}

}  // namespace
}  // namespace scxfarm::probe
