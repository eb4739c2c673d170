// Against real servers: promtool, the live exporter, and a real
// prometheus-pushgateway started by the test on 127.0.0.1. Needs the Debian
// packages prometheus and prometheus-pushgateway; no root, no VM.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <prometheus/gateway.h>
#include <prometheus/registry.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "sample_run.h"
#include "scxfarm/common/process.h"
#include "scxfarm/metrics/live_exporter.h"
#include "scxfarm/metrics/metrics_set.h"
#include "scxfarm/metrics/push.h"
#include "scxfarm/metrics/suite_export.h"
#include "test_support.h"

namespace scxfarm::metrics {
namespace {

using namespace std::chrono_literals;
using testing::find_on_path;
using testing::free_loopback_port;
using testing::http_get;
using testing::promtool_check_metrics;
using testing::sample_run;

#define REQUIRE_PROGRAM(var, name)     \
  const auto var = find_on_path(name); \
  if (!var)                            \
  GTEST_SKIP() << name << " not on PATH: apt-get install prometheus prometheus-pushgateway"

// Two scenarios of one suite and the suite's own gauges.
MetricsSet full_batch() {
  MetricsSet set;
  // A run with a parsed wakeup-probe result: its latency percentiles must
  // lint clean too (a "quantile" label on a gauge does not).
  auto latency = sample_run("latency", 2, 21);
  results::WorkloadSummary probe;
  probe.name = "probe";
  probe.kind = "wakeup-probe";
  probe.values = {{"latency_p50", 96800},
                  {"latency_p99", 8360000},
                  {"latency_max", 76400000},
                  {"requests_per_s", 1254.5}};
  probe.units = {{"latency_p50", "nanoseconds"},
                 {"latency_p99", "nanoseconds"},
                 {"latency_max", "nanoseconds"},
                 {"requests_per_s", "per_second"}};
  latency.workloads.push_back(probe);
  set.record(latency);
  set.record(sample_run("churn", 4, 21));
  set.record(sample_run("idle", 2, 21));
  set.record_suite("smoke", 600, true, std::chrono::system_clock::time_point{1795000000s});
  return set;
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST(Promtool, AcceptsTheTextOutput) {
  REQUIRE_PROGRAM(promtool, "promtool");
  auto verdict = promtool_check_metrics(*promtool, full_batch().to_text());
  ASSERT_TRUE(verdict.ok()) << verdict.error().message;
  EXPECT_TRUE(verdict->passed) << verdict->output;
  EXPECT_EQ(verdict->output, "");  // no lint findings either
}

// The textfile as `scxfarm run/export --textfile` writes it after a failed push.
TEST(Promtool, AcceptsTheTextfileWithAnExportFailure) {
  REQUIRE_PROGRAM(promtool, "promtool");
  auto set = full_batch();
  set.set_export_failure("smoke", "pushgateway", 1795000000);
  const auto text = set.to_text();
  ASSERT_TRUE(contains(text, "scxfarm_export_last_failure_timestamp_seconds{"));
  auto verdict = promtool_check_metrics(*promtool, text);
  ASSERT_TRUE(verdict.ok()) << verdict.error().message;
  EXPECT_TRUE(verdict->passed) << verdict->output;
  EXPECT_EQ(verdict->output, "");
}

TEST(LiveExporter, ServesPromtoolCleanMetricsOnAnEphemeralLoopbackPort) {
  REQUIRE_PROGRAM(promtool, "promtool");
  auto set = full_batch();
  auto exporter = LiveExporter::start(set.registry(), "127.0.0.1:0");
  ASSERT_TRUE(exporter.ok()) << exporter.error().message;
  ASSERT_NE(exporter->port(), 0);
  EXPECT_EQ(exporter->url(), "http://127.0.0.1:" + std::to_string(exporter->port()) + "/metrics");

  auto got = http_get(exporter->url());
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(got->status, 200);
  EXPECT_TRUE(
      contains(got->body, R"(scxfarm_runs_total{kernel="7.3.0-rc2-scxfarm",outcome="pass")"));
  auto verdict = promtool_check_metrics(*promtool, got->body);
  ASSERT_TRUE(verdict.ok()) << verdict.error().message;
  EXPECT_TRUE(verdict->passed) << verdict->output;

  // Recording while serving shows up in the next scrape.
  set.record(sample_run("late", 1, 1));
  got = http_get(exporter->url());
  ASSERT_TRUE(got.ok());
  EXPECT_TRUE(contains(got->body, R"(scenario="late")"));
}

TEST(LiveExporter, PortOnlyBindsLoopbackAndBusyPortIsAClearError) {
  MetricsSet set;
  auto first = LiveExporter::start(set.registry(), ":0");
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->host(), "127.0.0.1");
  const std::string busy = "127.0.0.1:" + std::to_string(first->port());
  auto second = LiveExporter::start(set.registry(), busy);
  ASSERT_FALSE(second.ok());
  EXPECT_TRUE(contains(second.error().message, "cannot serve metrics on " + busy))
      << second.error().message;
  auto bad = LiveExporter::start(set.registry(), "localhost:9464");
  ASSERT_FALSE(bad.ok());
  EXPECT_TRUE(contains(bad.error().message, "not an IPv4 address")) << bad.error().message;
}

// A prometheus-pushgateway of our own on a free loopback port, without
// persistence; killed when the test ends.
class Pushgateway : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto binary = find_on_path("prometheus-pushgateway");
    if (!binary)
      GTEST_SKIP() << "prometheus-pushgateway not on PATH: apt-get install prometheus-pushgateway";
    port_ = free_loopback_port();
    log_ = std::filesystem::path(::testing::TempDir()) /
           ("pushgateway-" + std::to_string(::getpid()) + ".log");
    auto process = Process::spawn(
        {*binary, "--web.listen-address=127.0.0.1:" + std::to_string(port_), "--persistence.file="},
        SpawnOptions{.output_file = log_});
    ASSERT_TRUE(process.ok()) << process.error().message;
    process_.emplace(std::move(*process));
    for (int i = 0; i < 100; ++i) {
      auto ready = http_get(base() + "/-/ready");
      if (ready.ok() && ready->status == 200) return;
      ASSERT_FALSE(process_->poll()) << "pushgateway exited; see " << log_;
      std::this_thread::sleep_for(50ms);
    }
    FAIL() << "pushgateway did not become ready on port " << port_;
  }

  void TearDown() override {
    process_.reset();  // SIGKILL and reap
    std::filesystem::remove(log_);
  }

  std::string base() const { return "http://127.0.0.1:" + std::to_string(port_); }

  std::string scrape() {
    auto got = http_get(base() + "/metrics");
    EXPECT_TRUE(got.ok());
    return got.ok() ? got->body : "";
  }

  int port_ = 0;
  std::filesystem::path log_;
  std::optional<Process> process_;
};

const PushGrouping kGroup{"smoke", "7.3.0-rc2-scxfarm", "1/4"};

TEST_F(Pushgateway, PushReplacesTheWholeGroup) {
  auto full = full_batch();
  auto pushed = push_to_gateway(full.registry(), base(), "scxfarm", kGroup);
  ASSERT_TRUE(pushed.ok()) << pushed.error().message;
  EXPECT_EQ(pushed->attempts, 1);
  EXPECT_EQ(pushed->http_status, 200);

  auto text = scrape();
  // Grouping labels land on every series; "1/4" went through label@base64.
  const std::string group = R"(instance="",job="scxfarm",kernel="7.3.0-rc2-scxfarm",)";
  EXPECT_TRUE(contains(
      text, R"(scxfarm_suite_duration_seconds{)" + group + R"(shard="1/4",suite="smoke"} 600)"))
      << text;
  EXPECT_TRUE(contains(text, R"(scenario="idle")"));
  EXPECT_TRUE(contains(text, R"(scenario="churn")"));

  // Rerun: the idle scenario and the suite gauges are gone from the batch.
  MetricsSet smaller;
  smaller.record(sample_run("churn", 4, 21));
  pushed = push_to_gateway(smaller.registry(), base(), "scxfarm", kGroup);
  ASSERT_TRUE(pushed.ok()) << pushed.error().message;

  text = scrape();
  EXPECT_FALSE(contains(text, R"(scenario="idle")")) << "series merged, not replaced:\n" << text;
  EXPECT_FALSE(contains(text, "scxfarm_suite_duration_seconds{")) << text;
  EXPECT_FALSE(contains(text, "scxfarm_last_success_timestamp_seconds{")) << text;
  EXPECT_TRUE(contains(text, R"(scenario="churn")"));
  EXPECT_TRUE(contains(text, R"(job="scxfarm")"));
  EXPECT_TRUE(contains(text, R"(shard="1/4")"));
  EXPECT_TRUE(contains(text, R"(suite="smoke")"));
}

TEST_F(Pushgateway, OtherGroupsAreUntouched) {
  auto full = full_batch();
  ASSERT_TRUE(push_to_gateway(full.registry(), base(), "scxfarm", kGroup).ok());
  MetricsSet other;
  other.record(sample_run("churn", 1, 1));
  ASSERT_TRUE(
      push_to_gateway(other.registry(), base(), "scxfarm", {"smoke", "7.3.0-rc2-scxfarm", "2of4"})
          .ok());
  const auto text = scrape();
  EXPECT_TRUE(contains(text, R"(shard="1/4")"));
  EXPECT_TRUE(contains(text, R"(shard="2of4")"));
  EXPECT_TRUE(contains(text, R"(scenario="idle")"));
}

// Documents why push_to_gateway calls PushAdd(): in prometheus-cpp 1.0.2,
// Push() sends POST, which the Pushgateway merges by metric name.
TEST_F(Pushgateway, PrometheusCppPushMergesAndPushAddReplaces) {
  auto full = full_batch();
  MetricsSet smaller;
  smaller.record(sample_run("churn", 1, 1));
  prometheus::Gateway with_full("http://127.0.0.1", std::to_string(port_), "verify", {});
  with_full.RegisterCollectable(full.registry());
  prometheus::Gateway with_smaller("http://127.0.0.1", std::to_string(port_), "verify", {});
  with_smaller.RegisterCollectable(smaller.registry());

  ASSERT_EQ(with_full.PushAdd(), 200);
  ASSERT_EQ(with_smaller.Push(), 200);  // POST: names absent from the body survive
  EXPECT_TRUE(contains(scrape(), "scxfarm_suite_duration_seconds{"));
  ASSERT_EQ(with_smaller.PushAdd(), 200);  // PUT: the group is replaced
  EXPECT_FALSE(contains(scrape(), "scxfarm_suite_duration_seconds{"));
}

TEST_F(Pushgateway, WrongPathIsRejectedWithoutRetrying) {
  MetricsSet set;
  set.record(sample_run());
  const auto start = std::chrono::steady_clock::now();
  auto pushed = push_to_gateway(set.registry(), base() + "/no-such-prefix", "scxfarm", kGroup,
                                {.max_attempts = 3, .first_backoff = 2s});
  ASSERT_FALSE(pushed.ok());
  EXPECT_TRUE(contains(pushed.error().message, "rejected: HTTP 404")) << pushed.error().message;
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);  // no backoff sleep happened
}

// The suite's last success lives in its own group (suite_export.h): a failed
// suite replaces the runs' group but leaves the last success alone.
TEST_F(Pushgateway, LastSuccessSurvivesAFailedSuitesPush) {
  SuiteRecord night;
  night.suite = "smoke";
  night.runs = {sample_run("churn", 2, 2)};
  night.duration_seconds = 100;
  night.finished_at = std::chrono::system_clock::time_point{1795000000s};
  ExportTargets targets;
  targets.pushgateway_url = base();
  const auto no_log = [](const std::string&) {};
  auto pushed = export_suite(night, targets, night.finished_at, no_log);
  ASSERT_TRUE(pushed.ok()) << pushed.errors[0];
  EXPECT_EQ(pushed.groups_pushed, 2);
  const std::string last_success =
      R"(scxfarm_last_success_timestamp_seconds{instance="",job="scxfarm_last_success",suite="smoke"})";
  EXPECT_EQ(find_sample(scrape(), last_success), 1795000000.0) << scrape();

  night.runs[0].outcome = results::Outcome::kKernelCrash;
  night.finished_at += 24h;
  pushed = export_suite(night, targets, night.finished_at, no_log);
  ASSERT_TRUE(pushed.ok()) << pushed.errors[0];
  EXPECT_EQ(pushed.groups_pushed, 1);  // the runs' group only
  const auto text = scrape();
  EXPECT_EQ(find_sample(text, last_success), 1795000000.0) << text;
  EXPECT_TRUE(contains(text, R"(outcome="kernel-crash")"));
  EXPECT_FALSE(contains(text, R"(outcome="pass")")) << "runs' group merged, not replaced";
  // The runs' group never carries the last success itself.
  EXPECT_FALSE(
      contains(text, R"(scxfarm_last_success_timestamp_seconds{instance="",job="scxfarm",)"));
}

TEST_F(Pushgateway, ErrorBodyGoesIntoTheMessageNotOntoStdout) {
  MetricsSet set;
  set.record(sample_run());
  ::testing::internal::CaptureStdout();
  auto pushed = push_to_gateway(set.registry(), base() + "/no-such-prefix", "scxfarm", kGroup,
                                {.max_attempts = 1});
  const std::string out = ::testing::internal::GetCapturedStdout();
  ASSERT_FALSE(pushed.ok());
  EXPECT_EQ(out, "");
  EXPECT_TRUE(contains(pushed.error().message, "HTTP 404: 404 page not found"))
      << pushed.error().message;
}

// A gateway that accepts the connection and never answers (a listening socket
// nobody accept()s) must not hang the farm.
TEST(Push, SilentGatewayTimesOut) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  ASSERT_EQ(::listen(fd, 8), 0);
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  MetricsSet set;
  set.record(sample_run());
  const auto start = std::chrono::steady_clock::now();
  auto pushed = push_to_gateway(
      set.registry(), "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)), "scxfarm", kGroup,
      {.max_attempts = 2, .first_backoff = 10ms, .timeout = 300ms});
  const auto took = std::chrono::steady_clock::now() - start;
  ::close(fd);
  ASSERT_FALSE(pushed.ok());
  EXPECT_TRUE(contains(pushed.error().message, "failed after 2 attempt(s): curl error 28"))
      << pushed.error().message;
  EXPECT_LT(took, 3s);
}

TEST(Push, DeadGatewayFailsAfterBoundedRetries) {
  MetricsSet set;
  set.record(sample_run());
  const std::string url = "http://127.0.0.1:" + std::to_string(free_loopback_port());
  auto pushed = push_to_gateway(set.registry(), url, "scxfarm", kGroup,
                                {.max_attempts = 3, .first_backoff = 10ms});
  ASSERT_FALSE(pushed.ok());
  const auto& message = pushed.error().message;
  EXPECT_TRUE(contains(message, "push to " + url + " (job scxfarm) failed after 3 attempt(s)"))
      << message;
  EXPECT_TRUE(contains(message, "curl error 7 (Couldn't connect to server)")) << message;
}

TEST(Push, BadJobOrUrlIsAnErrorBeforeAnyRequest) {
  MetricsSet set;
  EXPECT_FALSE(push_to_gateway(set.registry(), "http://127.0.0.1:9091", "a/b", kGroup).ok());
  EXPECT_FALSE(push_to_gateway(set.registry(), "gopher://x:1", "scxfarm", kGroup).ok());
}

}  // namespace
}  // namespace scxfarm::metrics
