// The agent's whole event loop against a fake sysfs/cgroup tree, a fake qmap
// (tests/testdata/fake-qmap.sh) and a socketpair standing in for the port.
#include "agent.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <map>
#include <thread>

#include "test_util.h"

namespace scxfarm::agent {
namespace {

using testing::TempDir;
using testing::write;

struct Stream {
  std::vector<nlohmann::json> messages;
  std::vector<nlohmann::json> of(const std::string& type) const {
    std::vector<nlohmann::json> out;
    for (const auto& m : messages) {
      if (m["type"] == type) out.push_back(m);
    }
    return out;
  }
};

// Plays the host: reads hello, sends run, records every line until bye.
Stream play_host(int fd, const protocol::ScenarioPlan& plan) {
  Stream stream;
  protocol::LineBuffer lines;
  char buf[65536];
  while (true) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) break;
    lines.feed(buf, n);
    while (auto line = lines.next()) {
      auto j = nlohmann::json::parse(*line);
      stream.messages.push_back(j);
      if (j["type"] == "hello") {
        std::string run = nlohmann::json{{"type", "run"}, {"plan", plan}}.dump() + "\n";
        EXPECT_EQ(::write(fd, run.data(), run.size()), static_cast<ssize_t>(run.size()));
      }
      if (j["type"] == "bye") return stream;
    }
  }
  return stream;
}

class AgentLoop : public ::testing::Test {
 protected:
  void SetUp() override {
    paths_.sched_ext = tmp_.path() / "sched_ext";
    paths_.cgroup_root = tmp_.path() / "cgroup";
    paths_.qmap = std::string(SCXFARM_GUEST_TESTDATA) + "/fake-qmap.sh";
    paths_.proc = tmp_.path() / "proc";
    write(paths_.proc / "uptime", "12.5 40.0\n");
    write(paths_.sched_ext / "state", "disabled\n");
    for (const char* dir : {"", "A", "A/A1", "B"}) {
      write(paths_.cgroup_root / dir / "cgroup.subtree_control", "");
      write(paths_.cgroup_root / dir / "cgroup.procs", "");
      write(paths_.cgroup_root / dir / "cpu.weight", "100\n");
    }
    ::setenv("FAKE_SCHED_EXT", paths_.sched_ext.c_str(), 1);
    ::setenv("FAKE_CGROUP_ROOT", paths_.cgroup_root.c_str(), 1);
    ::unsetenv("FAKE_QMAP_FAIL_CGROUP");
    ::unsetenv("FAKE_QMAP_ATTACH_DELAY");
    ::unsetenv("FAKE_QMAP_SILENT_CGROUP");
    plan_ = testing::smoke_plan();
    plan_.duration_ms = 1500;
    plan_.attach_timeout_ms = 5000;
    for (auto* cg : {&plan_.cgroups[0].children[0], &plan_.cgroups[1]}) {
      cg->workloads[0].kind = protocol::WorkloadKind::kCommand;
      cg->workloads[0].args = {"sleep", "30"};
    }
  }

  Stream run_agent() {
    int sv[2];
    EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    ::fcntl(sv[0], F_SETFL, O_NONBLOCK);
    // SIGCHLD must stay blocked in every thread for the agent's signalfd.
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGCHLD);
    pthread_sigmask(SIG_BLOCK, &mask, nullptr);
    Stream stream;
    std::thread host([&] { stream = play_host(sv[1], plan_); });
    Timeouts timeouts;
    timeouts.host_run_ms = 10'000;
    timeouts.final_flush_ms = 2'000;
    {
      Agent agent(paths_, AgentOptions{"test", true}, sv[0], timeouts);
      outcome_ = agent.run();
    }
    host.join();
    ::close(sv[1]);
    return stream;
  }

  TempDir tmp_;
  Paths paths_;
  protocol::ScenarioPlan plan_;
  std::optional<protocol::AgentOutcome> outcome_;
};

TEST_F(AgentLoop, SmokePlanPasses) {
  const Stream s = run_agent();
  EXPECT_EQ(outcome_, protocol::AgentOutcome::kPass);
  ASSERT_FALSE(s.messages.empty());
  EXPECT_EQ(s.messages.front()["type"], "hello");
  EXPECT_EQ(s.messages.front()["uptime_s"], 12.5);
  EXPECT_EQ(s.messages.back()["type"], "bye");

  std::vector<std::string> phases;
  for (const auto& p : s.of("phase")) phases.push_back(p["name"]);
  EXPECT_EQ(phases,
            (std::vector<std::string>{"cgroups", "schedulers", "workloads", "churn", "teardown"}));

  const auto attached = s.of("scheduler_attached");
  ASSERT_EQ(attached.size(), 4u);
  std::map<std::string, std::string> dirs;
  for (const auto& a : attached) dirs[a["path"]] = a["sysfs_dir"];
  const auto a_id = *cgroup_id(paths_.cgroup_root / "A");
  const auto a1_id = *cgroup_id(paths_.cgroup_root / "A/A1");
  EXPECT_EQ(dirs["root"], (paths_.sched_ext / "root").string());
  EXPECT_EQ(dirs["root/A/A1"], (paths_.sched_ext / "root/sub" / ("sub-" + std::to_string(a_id)) /
                                "sub" / ("sub-" + std::to_string(a1_id)))
                                   .string());
  EXPECT_EQ(attached[2]["cgroup_id"], a1_id);

  const auto samples = s.of("sample");
  EXPECT_GE(samples.size(), 5u);  // 0, 250, ..., 1500 when never late
  for (const auto& sample : samples) {
    EXPECT_EQ(sample["schedulers"].size(), 4u);
    EXPECT_TRUE(sample["violations"].empty());
  }
  EXPECT_EQ(samples.back()["state"], "enabled");

  const auto churn = s.of("churn");
  ASSERT_EQ(churn.size(), 3u);  // 500, 1000, 1500
  EXPECT_EQ(churn[0]["targets"].get<std::vector<std::string>>(),
            (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(churn[0]["detail"], "A=100 B=200");
  EXPECT_EQ(churn[1]["detail"], "A=200 B=100");

  EXPECT_FALSE(s.of("scheduler_output").empty());
  const auto exited = s.of("scheduler_exited");
  ASSERT_EQ(exited.size(), 4u);
  std::vector<std::string> exit_order;
  for (const auto& e : exited) {
    EXPECT_TRUE(e["expected"]);
    exit_order.push_back(e["path"]);
  }
  EXPECT_EQ(exit_order, (std::vector<std::string>{"root/B", "root/A/A1", "root/A", "root"}));
  const auto done = s.of("workload_done");
  ASSERT_EQ(done.size(), 2u);
  for (const auto& d : done) {
    EXPECT_TRUE(d["stopped"]);
    EXPECT_EQ(d["exit_code"], -SIGTERM);
  }
  const auto result = s.of("result");
  ASSERT_EQ(result.size(), 1u);
  EXPECT_EQ(result[0]["outcome"], "pass");
  EXPECT_EQ(result[0]["churn_ops"], 3u);
  EXPECT_EQ(result[0]["samples"], samples.size());
  EXPECT_EQ(testing::slurp(paths_.cgroup_root / "A/A1/cgroup.procs"), "0");
}

TEST_F(AgentLoop, ChildQmapFailingToAttachIsASchedulerError) {
  ::setenv("FAKE_QMAP_FAIL_CGROUP", (paths_.cgroup_root / "A/A1").c_str(), 1);
  const Stream s = run_agent();
  EXPECT_EQ(outcome_, protocol::AgentOutcome::kSchedulerError);
  EXPECT_EQ(s.of("scheduler_attached").size(), 2u);  // root, root/A
  bool saw_failure = false;
  for (const auto& e : s.of("scheduler_exited")) {
    if (e["path"] != "root/A/A1") {
      EXPECT_TRUE(e["expected"]);
      continue;
    }
    saw_failure = true;
    EXPECT_FALSE(e["expected"]);
    EXPECT_EQ(e["exit_code"], 1);
    EXPECT_NE(e["last_output"].get<std::string>().find("EXIT: fake attach failure"),
              std::string::npos);
  }
  EXPECT_TRUE(saw_failure);
  EXPECT_TRUE(s.of("workload_done").empty());  // never started
  EXPECT_TRUE(s.of("sample").empty());
  ASSERT_EQ(s.of("result").size(), 1u);
  EXPECT_NE(s.of("result")[0]["reason"].get<std::string>().find("root/A/A1"), std::string::npos);
}

// The run phase's own account: every scheduled op applied, every sample sent.
TEST_F(AgentLoop, RunPhaseReportAccountsForTheSchedule) {
  const Stream s = run_agent();
  EXPECT_EQ(outcome_, protocol::AgentOutcome::kPass);
  const auto report = s.of("run_phase");
  ASSERT_EQ(report.size(), 1u);
  const auto r = report[0].get<protocol::RunPhaseReport>();
  EXPECT_EQ(r.duration_ms, 1500u);
  EXPECT_GE(r.phase_ms, 1500u);
  EXPECT_EQ(r.churn.at("weight-swap").scheduled, 3u);
  EXPECT_EQ(r.churn.at("weight-swap").applied + r.churn.at("weight-swap").folded, 3u);
  EXPECT_EQ(r.samples_taken, s.of("sample").size());
  EXPECT_EQ(r.settled_at_ms, 0u);  // no settle declared
}

// The slow-machine case in miniature: a re-attach that ends after the
// declared duration. The phase waits past the duration for the settle
// (settle_ms after the last op, an interval of every qmap after it).
TEST_F(AgentLoop, DeclaredSettleIsAwaitedAfterALateReattach) {
  ::setenv("FAKE_QMAP_ATTACH_DELAY", "0.8", 1);
  plan_.churn = {protocol::ChurnSpec{protocol::ChurnKind::kDetachAttach, {"B"}, 500, {100}}};
  plan_.settle_ms = 300;
  plan_.duration_ms = 1000;
  const Stream s = run_agent();
  EXPECT_EQ(outcome_, protocol::AgentOutcome::kPass) << s.of("result").at(0)["reason"];
  const auto churn = s.of("churn");
  ASSERT_EQ(churn.size(), 2u);  // begin, end
  EXPECT_EQ(churn[1]["ok"], true) << churn[1]["error"];
  EXPECT_NE(churn[1]["detail"].get<std::string>().find("first hier line"), std::string::npos);
  const auto r = s.of("run_phase").at(0).get<protocol::RunPhaseReport>();
  // detach (~0.1 s) + 1 s pause + 0.8 s attach: the op ends past 1000 ms.
  EXPECT_GT(r.last_churn_end_ms, 1800u);
  EXPECT_GE(r.settled_at_ms, r.last_churn_end_ms + 300);
  EXPECT_GT(r.phase_ms, r.duration_ms);
  EXPECT_FALSE(r.settle_timed_out);
  EXPECT_EQ(r.churn.at("detach-attach").applied, 1u);
  // A sample after the settled intervals, as the host's partition check needs.
  EXPECT_GE(s.of("sample").back()["t_ms"].get<uint64_t>(),
            r.last_churn_end_ms + protocol::settle_window_ms(plan_));
}

// A settle that never comes (a qmap that stops printing) ends the phase as a
// timeout naming what it waited for, after the scaled settle timeout.
TEST_F(AgentLoop, SettleThatNeverComesIsATimeoutNamingWhatItWaitedFor) {
  ::setenv("FAKE_QMAP_SILENT_CGROUP", (paths_.cgroup_root / "B").c_str(), 1);
  plan_.settle_ms = 300;
  plan_.timeout_scale = 0.05;         // settle timeout 3 s (the window is 1.5 s)
  plan_.attach_timeout_ms = 100'000;  // x 0.05 = 5 s
  const Stream s = run_agent();
  EXPECT_EQ(outcome_, protocol::AgentOutcome::kTimeout);
  const auto r = s.of("run_phase").at(0).get<protocol::RunPhaseReport>();
  EXPECT_TRUE(r.settle_timed_out);
  // Only the silent qmap is named: the others kept printing.
  EXPECT_NE(r.waiting_for.find("from root/B (last: none)"), std::string::npos) << r.waiting_for;
  EXPECT_EQ(r.waiting_for.find("root/A"), std::string::npos) << r.waiting_for;
  EXPECT_GE(r.phase_ms, plan_.duration_ms + 3000);
  const auto result = s.of("result").at(0);
  EXPECT_NE(result["reason"].get<std::string>().find("waited for a qmap interval"),
            std::string::npos)
      << result["reason"];
}

TEST_F(AgentLoop, InvalidPlanIsAnAgentError) {
  plan_.churn[0].targets = {"A", "nope"};
  const Stream s = run_agent();
  EXPECT_EQ(outcome_, protocol::AgentOutcome::kError);
  EXPECT_TRUE(s.of("scheduler_attached").empty());
  EXPECT_EQ(s.of("result").at(0)["outcome"], "error");
}

}  // namespace
}  // namespace scxfarm::agent
