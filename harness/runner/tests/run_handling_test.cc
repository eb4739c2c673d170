// The runner's outcome handling end to end against the fake VM backend: the
// real executor, session, analyzer, console classifier and retry policy,
// with scripted guests instead of QEMU.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <set>

#include "fake_runs.h"
#include "scxfarm/common/fs.h"
#include "scxfarm/results/result_files.h"
#include "scxfarm/runner/run_policy.h"
#include "scxfarm/vm/fake/fake_backend.h"
#include "scxfarm/vm/pool.h"

namespace fs = std::filesystem;

namespace scxfarm::runner {
namespace {

using fake_runs::healthy_guest;
using fake_runs::kRealInt3Oops;
using results::Outcome;
using vm::FakeScript;

class RunHandling : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("scxfarm-runner-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    in_.suite = "unit";
    in_.topology.name = "numa1x4";
    in_.topology.cores_per_socket = 4;
    in_.topology.nodes = {{{0, 1, 2, 3}, 1024}};
    in_.scenario.plan.name = "boot-verify";
    in_.scenario.plan.duration_ms = 100;
    in_.scenario.plan.sample_interval_ms = 50;
    in_.scenario.plan.attach_timeout_ms = 100'000;  // scaled like every wait: 1 s
    in_.timeouts = vm::Timeouts{}.scaled(0.01);     // boot 0.4 s, no output 0.15 s, ...
    in_.run_id = "00-k-numa1x4-boot-verify-r0";
    in_.run_dir = dir_ / in_.run_id;
  }
  void TearDown() override { fs::remove_all(dir_); }

  results::RunSummary run(std::vector<FakeScript> scripts, RunPolicy policy = {0, 0}) {
    backend_ = std::make_unique<vm::FakeBackend>(std::move(scripts));
    return execute_with_policy(in_, *backend_, policy, [](const std::string&) {});
  }

  fs::path dir_;
  RunInputs in_;
  std::unique_ptr<vm::FakeBackend> backend_;
};

TEST_F(RunHandling, HealthyRunPassesAndTheTopologyIsChecked) {
  auto s = run({healthy_guest()});
  EXPECT_EQ(s.outcome, Outcome::kPass) << s.reason;
  EXPECT_TRUE(s.topology_checked);
  EXPECT_TRUE(s.topology_mismatches.empty());
  EXPECT_TRUE(fs::exists(in_.run_dir / "run.json"));
  EXPECT_TRUE(fs::exists(in_.run_dir / "samples.jsonl"));
}

TEST_F(RunHandling, TopologyMismatchFailsTheRun) {
  auto script = healthy_guest();
  script.topology->nodes[0].cpulist = "0-2";
  auto s = run({script});
  EXPECT_EQ(s.outcome, Outcome::kFail);
  EXPECT_EQ(s.reason, "topology numa1x4: node0: cpus 0-2, declared 0-3");
  ASSERT_EQ(s.failures.size(), 1u);
  EXPECT_EQ(s.failures[0], (results::Failure{results::Check::kTopology, "numa1x4",
                                             "node0: cpus 0-2, declared 0-3", s.reason}));
  auto missing = run({FakeScript{}});  // an agent that never reports it
  EXPECT_EQ(missing.outcome, Outcome::kFail);
  EXPECT_EQ(missing.reason, "the agent never reported the topology the guest sees");
  EXPECT_FALSE(missing.topology_checked);
}

// The runner writes run.json through results' one writer: it reads back as
// the summary the run returned, failures included.
TEST_F(RunHandling, RunJsonReadsBackAsTheRunsSummary) {
  auto script = healthy_guest();
  script.topology->nodes[0].cpulist = "0-2";
  auto s = run({script});
  ASSERT_FALSE(s.failures.empty());
  auto back = results::read_run_json(in_.run_dir);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(*back, s);
  auto raw = nlohmann::json::parse(read_file(in_.run_dir / "run.json").value());
  EXPECT_EQ(raw["schema_version"], results::kSchemaVersion);
  EXPECT_EQ(raw["failures"][0]["check"], "topology");
  EXPECT_EQ(raw["failures"][0]["text"], s.reason);
}

TEST_F(RunHandling, OopsAfterTheVerdictStillFailsTheRun) {
  auto script = healthy_guest();
  script.late_console = kRealInt3Oops;
  auto s = run({script});
  EXPECT_EQ(s.outcome, Outcome::kKernelCrash) << s.reason;
  EXPECT_NE(s.crash_signature.find("set_next_task_fair"), std::string::npos);
  // And when the guest never powers off after it, the host still waits and reads it.
  script.power_off = false;
  auto stuck = run({script});
  EXPECT_EQ(stuck.outcome, Outcome::kKernelCrash) << stuck.reason;
}

// A kernel WARNING on the console fails a run the agent passed: a typed
// failure per warning, quoted as the reason.
TEST_F(RunHandling, ConsoleWarningFailsARunTheAgentPassed) {
  auto script = healthy_guest();
  script.late_console = fake_runs::kSchedExtWarning;
  auto s = run({script});
  EXPECT_EQ(s.outcome, Outcome::kFail) << s.reason;
  ASSERT_EQ(s.failures.size(), 1u);
  EXPECT_EQ(s.failures[0],
            (results::Failure{results::Check::kKernelWarning, "", "WARNING in scx_root_disable",
                              "kernel WARNING: WARNING in scx_root_disable"}));
  EXPECT_EQ(s.reason, "kernel WARNING: WARNING in scx_root_disable");
}

TEST_F(RunHandling, SilentAgentIsATimeoutWithTheNoOutputReason) {
  auto script = healthy_guest();
  script.then = FakeScript::Then::kHang;
  auto s = run({script});
  EXPECT_EQ(s.outcome, Outcome::kTimeout);
  // The scaled attach timeout (100 s x 0.01) floors it: a healthy agent is
  // silent while a qmap attaches.
  EXPECT_EQ(s.reason, "no output from the agent for 1 s");
}

TEST_F(RunHandling, VmEndingOrChannelClosingMidRunIsLostConnection) {
  auto script = healthy_guest();
  script.then = FakeScript::Then::kExitVm;
  auto s = run({script});
  EXPECT_EQ(s.outcome, Outcome::kLostConnection) << s.reason;
  EXPECT_NE(s.reason.find("VM exited mid-scenario"), std::string::npos) << s.reason;
  script.then = FakeScript::Then::kCloseChannel;
  auto closed = run({script});
  EXPECT_EQ(closed.outcome, Outcome::kLostConnection) << closed.reason;
}

TEST_F(RunHandling, NoHelloIsABootFailure) {
  auto script = healthy_guest();
  script.hello = false;
  auto s = run({script});
  EXPECT_EQ(s.outcome, Outcome::kBootFailure);
  EXPECT_NE(s.reason.find("no hello from the agent"), std::string::npos) << s.reason;
}

TEST_F(RunHandling, InfraErrorsAreRetriedABoundedNumberOfTimes) {
  FakeScript missing;
  missing.create_error = "QEMU missing: qemu-system-x86_64 is not an executable in $PATH";
  auto s = run({missing}, RunPolicy{1, 2});
  EXPECT_EQ(s.outcome, Outcome::kInfraError);
  EXPECT_EQ(backend_->created(), 3u);
  EXPECT_EQ(s.infra_retries, 2u);
  ASSERT_EQ(s.infra_errors.size(), 2u);
  EXPECT_EQ(s.infra_errors[0], missing.create_error);
  // A retry that works is a normal run.
  auto healed = run({missing, healthy_guest()}, RunPolicy{1, 2});
  EXPECT_EQ(healed.outcome, Outcome::kPass) << healed.reason;
  EXPECT_EQ(healed.infra_retries, 1u);
}

TEST_F(RunHandling, DeterministicCrashIsRerunWithItsOwnConsole) {
  auto crash = healthy_guest();
  crash.then = FakeScript::Then::kExitVm;
  crash.late_console = kRealInt3Oops;
  auto s = run({crash}, RunPolicy{2, 0});
  EXPECT_EQ(s.outcome, Outcome::kKernelCrash);
  EXPECT_EQ(s.crash_reruns, 2u);
  EXPECT_EQ(s.crash_determinism, "deterministic");
  EXPECT_FALSE(s.flaky);
  ASSERT_EQ(s.rerun_outcomes.size(), 2u);
  EXPECT_EQ(s.rerun_outcomes[0], "kernel-crash: " + s.crash_signature);
  EXPECT_TRUE(fs::exists(in_.run_dir / "console.log"));
  EXPECT_TRUE(fs::exists(in_.run_dir / "rerun-1" / "console.log"));
  EXPECT_TRUE(fs::exists(in_.run_dir / "rerun-2" / "console.log"));
  auto back = nlohmann::json::parse(read_file(in_.run_dir / "run.json").value());
  EXPECT_EQ(back["crash_determinism"], "deterministic");
}

TEST_F(RunHandling, CrashThatDoesNotRecurIsFlaky) {
  auto crash = healthy_guest();
  crash.then = FakeScript::Then::kExitVm;
  crash.late_console = kRealInt3Oops;
  auto s = run({crash, healthy_guest()}, RunPolicy{1, 0});
  EXPECT_EQ(s.outcome, Outcome::kKernelCrash);
  EXPECT_TRUE(s.flaky);
  EXPECT_EQ(s.crash_determinism, "flaky");
  EXPECT_EQ(s.rerun_outcomes, (std::vector<std::string>{"pass"}));
}

TEST_F(RunHandling, PoolRunsFreshVmsInParallelAndPinsExclusiveOnes) {
  vm::FakeBackend backend({healthy_guest()});
  vm::Pool pool(2, {4, 5});
  std::vector<vm::PoolTask> tasks;
  std::vector<results::RunSummary> out(5);
  for (size_t i = 0; i < 5; ++i) {
    RunInputs in = in_;
    in.run_id = "r" + std::to_string(i);
    in.run_dir = dir_ / in.run_id;
    in.exclusive = i == 4;
    tasks.push_back(
        {in.run_id, 1, in.exclusive, [&, i, in](const std::vector<uint32_t>& pin) mutable {
           in.pin_cpus = pin;
           out[i] = execute_with_policy(in, backend, {}, [](const std::string&) {});
         }});
  }
  pool.run_all(std::move(tasks));
  EXPECT_EQ(backend.created(), 5u);  // one VM per run, never reused
  EXPECT_EQ(backend.max_alive(), 2u);
  for (const auto& s : out) EXPECT_EQ(s.outcome, Outcome::kPass) << s.run_id << ": " << s.reason;
  EXPECT_EQ(out[4].pinned_cpus, (std::vector<uint32_t>{4}));
  EXPECT_EQ(backend.specs()[4].pin_cpus, (std::vector<uint32_t>{4}));
  EXPECT_TRUE(out[0].pinned_cpus.empty());
}

// Each run's control socket lives in a private directory under $TMPDIR that
// is gone when the run ends, however it ended; no two runs share one.
TEST_F(RunHandling, ControlSocketDirectoriesAreRemovedOnEveryPath) {
  const fs::path tmp = dir_ / "tmp";
  fs::create_directories(tmp);
  const char* saved = std::getenv("TMPDIR");
  const std::string old_tmpdir = saved ? saved : "";
  ::setenv("TMPDIR", tmp.c_str(), 1);
  FakeScript create_fails;
  create_fails.create_error = "QEMU missing";
  FakeScript start_fails = healthy_guest();
  start_fails.start_error = "cannot start QEMU";
  FakeScript hangs = healthy_guest();
  hangs.then = FakeScript::Then::kHang;
  FakeScript dies = healthy_guest();
  dies.then = FakeScript::Then::kExitVm;
  auto s = run({healthy_guest(), create_fails, start_fails, hangs, dies}, RunPolicy{0, 0});
  EXPECT_EQ(s.outcome, Outcome::kPass) << s.reason;
  std::set<fs::path> socket_dirs{backend_->specs()[0].control_socket.parent_path()};
  for (const auto* expected : {"QEMU missing", "cannot start QEMU", "no output", "VM exited"}) {
    auto failed = execute_run(in_, *backend_, [](const std::string&) {});
    EXPECT_NE(failed.reason.find(expected), std::string::npos) << failed.reason;
    socket_dirs.insert(backend_->specs().back().control_socket.parent_path());
  }
  if (saved) {
    ::setenv("TMPDIR", old_tmpdir.c_str(), 1);
  } else {
    ::unsetenv("TMPDIR");
  }
  EXPECT_EQ(backend_->created(), 5u);
  EXPECT_EQ(socket_dirs.size(), 5u);  // a fresh directory per run
  for (const auto& d : socket_dirs) EXPECT_EQ(d.parent_path(), tmp) << d;
  std::vector<std::string> left;
  for (const auto& e : fs::directory_iterator(tmp)) left.push_back(e.path().string());
  EXPECT_TRUE(left.empty()) << "left behind: " << left.front();
}

}  // namespace
}  // namespace scxfarm::runner
