// The dashboards against a REAL Prometheus fed by the farm's own exporters,
// replaying recorded real suites (testdata/*/suite.json, written by
// `scxfarm run smoke` and `scxfarm run wakeup` on the Debian 7.3 kernel
// under TCG):
//   - the live exporter serves the suite's registry; Prometheus scrapes it;
//   - the suite is pushed to a real Pushgateway twice (the second push lacks
//     a series: replaced, not merged); Prometheus scrapes the gateway with
//     honor_labels: true;
//   - Prometheus loads dashboards/prometheus/rules.yml (group intervals cut
//     to 1 s);
//   - every PromQL expression in dashboards/*.json, with the template
//     variables set to the recorded run's labels, evaluates without error
//     through /api/v1/query and returns data, except panels marked "No data
//     expected yet".
// Needs the Debian packages prometheus and prometheus-pushgateway; no root,
// no VM; everything on 127.0.0.1; servers are killed when the test ends.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "dashboards.h"
#include "scxfarm/common/fs.h"
#include "scxfarm/metrics/live_exporter.h"
#include "scxfarm/metrics/metrics_set.h"
#include "scxfarm/metrics/suite_export.h"
#include "test_support.h"

namespace scxfarm::metrics {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using nlohmann::json;
using testing::find_on_path;
using testing::free_loopback_port;
using testing::http_get;
using testing::http_get_query;

const fs::path kSource = SCXFARM_SOURCE_DIR;
const fs::path kTestdata = kSource / "harness/metrics/tests/testdata";
const fs::path kRecordedSmoke = kTestdata / "smoke-20261126-024053";

// Every recorded suite, smoke first.
std::vector<SuiteRecord> recorded_suites() {
  std::vector<fs::path> dirs;
  for (const auto& entry : fs::directory_iterator(kTestdata))
    if (fs::exists(entry.path() / "suite.json")) dirs.push_back(entry.path());
  std::sort(dirs.begin(), dirs.end());
  std::stable_partition(dirs.begin(), dirs.end(),
                        [](const fs::path& d) { return d == kRecordedSmoke; });
  std::vector<SuiteRecord> out;
  for (const auto& dir : dirs) {
    auto record = load_suite_record(dir);
    if (!record)
      ADD_FAILURE() << record.error().message;
    else
      out.push_back(std::move(*record));
  }
  return out;
}

// "a" or Grafana's multi-value form "(a|b)", regex-escaped.
std::string any_of(const std::set<std::string>& values) {
  std::string out;
  for (const auto& v : values) out += (out.empty() ? "" : "|") + testing::regex_escape(v);
  return values.size() > 1 ? "(" + out + ")" : out;
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// rules.yml with every group interval cut to 1 s, so that recording rules
// have values within the test's budget.
std::string fast_rules() {
  std::string text = read_file(kSource / "dashboards/prometheus/rules.yml").value();
  int replaced = 0;
  for (size_t at = text.find("    interval: "); at != std::string::npos;
       at = text.find("    interval: ", at + 1)) {
    const size_t end = text.find('\n', at);
    text.replace(at, end - at, "    interval: 1s");
    ++replaced;
  }
  EXPECT_GE(replaced, 2) << "rules.yml has no group intervals to shorten?";
  return text;
}

struct QueryAnswer {
  std::string error;  // empty = success
  size_t results = 0;
};

QueryAnswer instant_query(const std::string& prometheus, const std::string& expr) {
  auto got = http_get_query(prometheus + "/api/v1/query", "query", expr);
  if (!got) return {got.error().message, 0};
  try {
    const auto body = json::parse(got->body);
    if (body.value("status", "") != "success")
      return {body.value("errorType", "") + ": " + body.value("error", ""), 0};
    const auto& result = body["data"]["result"];
    if (body["data"].value("resultType", "") == "scalar") return {"", 1};
    return {"", result.size()};
  } catch (const std::exception& e) {
    return {"HTTP " + std::to_string(got->status) + ": " + got->body, 0};
  }
}

class PrometheusReplay : public ::testing::Test {
 protected:
  void SetUp() override {
    prometheus_bin_ = find_on_path("prometheus").value_or("");
    pushgateway_bin_ = find_on_path("prometheus-pushgateway").value_or("");
    if (prometheus_bin_.empty() || pushgateway_bin_.empty())
      GTEST_SKIP() << "prometheus / prometheus-pushgateway not on PATH: apt-get install "
                      "prometheus prometheus-pushgateway";
    dir_ = fs::path(::testing::TempDir()) / ("scxfarm-replay-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "tsdb");
  }
  void TearDown() override {
    prometheus_.reset();
    pushgateway_.reset();
    if (!HasFailure()) fs::remove_all(dir_);
  }

  std::string prometheus_bin_, pushgateway_bin_;
  fs::path dir_;
  std::optional<testing::Server> pushgateway_, prometheus_;
};

TEST_F(PrometheusReplay, EveryDashboardQueryReturnsDataForTheRecordedRun) {
  const auto started = std::chrono::steady_clock::now();
  const auto suites = recorded_suites();
  ASSERT_GE(suites.size(), 2u) << "smoke and wakeup recordings in " << kTestdata;
  const SuiteRecord* record = &suites[0];
  ASSERT_EQ(record->suite, "smoke");
  ASSERT_EQ(record->runs.size(), 1u);
  const auto& run = record->runs[0];
  ASSERT_EQ(run.outcome, results::Outcome::kPass);  // what the recording says
  std::set<std::string> kernels, topologies, scenarios;
  for (const auto& suite : suites)
    for (const auto& r : suite.runs) {
      kernels.insert(kernel_label(r));
      topologies.insert(r.topology);
      scenarios.insert(r.scenario);
    }

  // (a) The live exporter: every recorded suite.
  MetricsSet live;
  for (const auto& suite : suites)
    for (const auto& r : suite.runs) live.record(r);
  auto exporter = LiveExporter::start(live.registry(), "127.0.0.1:0");
  ASSERT_TRUE(exporter.ok()) << exporter.error().message;

  // (b) The Pushgateway, pushed twice: first with an extra scenario, then the
  // recorded suite alone.
  const int gateway_port = free_loopback_port();
  auto gateway = testing::start_server(
      {pushgateway_bin_, "--web.listen-address=127.0.0.1:" + std::to_string(gateway_port),
       "--persistence.file="},
      gateway_port, dir_ / "pushgateway.log", "/-/ready", 10s);
  ASSERT_TRUE(gateway.ok()) << gateway.error().message;
  pushgateway_.emplace(std::move(*gateway));
  ExportTargets targets;
  targets.pushgateway_url = pushgateway_->base();
  targets.shard = "0/1";
  targets.push = {.max_attempts = 1, .first_backoff = 0ms, .timeout = 5s};
  SuiteRecord with_extra = *record;
  with_extra.runs.push_back(run);
  with_extra.runs.back().scenario = "withdrawn-scenario";
  const auto no_log = [](const std::string&) {};
  auto first = export_suite(with_extra, targets, std::chrono::system_clock::now(), no_log);
  ASSERT_TRUE(first.ok()) << first.errors[0];
  auto text = http_get(pushgateway_->base() + "/metrics").value().body;
  ASSERT_TRUE(contains(text, R"(scenario="withdrawn-scenario")"));
  auto second = export_suite(*record, targets, std::chrono::system_clock::now(), no_log);
  ASSERT_TRUE(second.ok()) << second.errors[0];
  EXPECT_EQ(second.groups_pushed, 2);  // the kernel's group and the last-success group
  for (size_t i = 1; i < suites.size(); ++i) {
    auto other = export_suite(suites[i], targets, std::chrono::system_clock::now(), no_log);
    ASSERT_TRUE(other.ok()) << other.errors[0];
  }
  text = http_get(pushgateway_->base() + "/metrics").value().body;
  EXPECT_FALSE(contains(text, R"(scenario="withdrawn-scenario")")) << "merged, not replaced";
  const std::string kernel = kernel_label(run);
  EXPECT_TRUE(contains(text, R"(scxfarm_runs_total{instance="",job="scxfarm",kernel=")" + kernel +
                                 R"(",outcome="pass",scenario=")" + run.scenario +
                                 R"(",shard="0/1",suite="smoke",topology=")" + run.topology +
                                 R"("} 1)"))
      << text;

  // Prometheus, scraping both every second and evaluating the rules.
  ASSERT_TRUE(write_file_atomic(dir_ / "rules.yml", fast_rules()));
  const std::string config =
      "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
      "rule_files: [" +
      (dir_ / "rules.yml").string() +
      "]\n"
      "scrape_configs:\n"
      "  - job_name: scxfarm-live\n"
      "    static_configs: [{targets: ['127.0.0.1:" +
      std::to_string(exporter->port()) +
      "']}]\n"
      "  - job_name: pushgateway\n"
      "    honor_labels: true\n"
      "    static_configs: [{targets: ['127.0.0.1:" +
      std::to_string(gateway_port) + "']}]\n";
  ASSERT_TRUE(write_file_atomic(dir_ / "prometheus.yml", config));
  const int prometheus_port = free_loopback_port();
  auto prometheus =
      testing::start_server({prometheus_bin_, "--config.file=" + (dir_ / "prometheus.yml").string(),
                             "--storage.tsdb.path=" + (dir_ / "tsdb").string(),
                             "--web.listen-address=127.0.0.1:" + std::to_string(prometheus_port)},
                            prometheus_port, dir_ / "prometheus.log", "/-/ready", 30s);
  ASSERT_TRUE(prometheus.ok()) << prometheus.error().message;
  prometheus_.emplace(std::move(*prometheus));
  const std::string api = prometheus_->base();

  // Wait (bounded) until both targets were scraped and the rules ran.
  const auto ready_by = std::chrono::steady_clock::now() + 30s;
  for (const std::string probe :
       {R"(scxfarm_runs_total{job="scxfarm-live"})", R"(scxfarm_runs_total{job="scxfarm"})",
        "scxfarm:runs:by_outcome", "scxfarm:last_success_timestamp_seconds:max"}) {
    while (instant_query(api, probe).results == 0) {
      ASSERT_LT(std::chrono::steady_clock::now(), ready_by)
          << probe << " never showed up; see " << dir_ / "prometheus.log";
      std::this_thread::sleep_for(200ms);
    }
  }
  // honor_labels kept the pushed grouping labels (job, shard), and the
  // withdrawn scenario never reached Prometheus.
  EXPECT_EQ(
      instant_query(api, R"(scxfarm_runs_total{job="scxfarm",shard="0/1",suite="smoke"})").results,
      1u);
  EXPECT_EQ(instant_query(api, R"(scxfarm_runs_total{scenario="withdrawn-scenario"})").results, 0u);
  EXPECT_EQ(
      instant_query(api, R"(scxfarm_last_success_timestamp_seconds{job="scxfarm_last_success"})")
          .results,
      suites.size());  // every recording passed

  // Every dashboard query, with the recorded run's labels.
  // Every dashboard query, with "All" of the recorded labels (kernel A and B
  // are the same single kernel).
  ASSERT_EQ(kernels.size(), 1u);
  const std::map<std::string, std::string> values = {{"kernel", any_of(kernels)},
                                                     {"kernel_a", any_of(kernels)},
                                                     {"kernel_b", any_of(kernels)},
                                                     {"topology", any_of(topologies)},
                                                     {"scenario", any_of(scenarios)}};
  int checked = 0, with_data = 0;
  for (const auto& dashboard : testing::load_dashboards(kSource / "dashboards"))
    for (const auto& query : testing::queries_of(dashboard)) {
      const std::string expr = testing::substitute(query.expr, values, "1m");
      ASSERT_FALSE(contains(expr, "$")) << query.where << ": unsubstituted variable in " << expr;
      auto answer = instant_query(api, expr);
      // Recording rules evaluate every second: give a late one a moment.
      for (int i = 0;
           i < 10 && answer.error.empty() && answer.results == 0 && !query.no_data_expected; ++i) {
        std::this_thread::sleep_for(200ms);
        answer = instant_query(api, expr);
      }
      ++checked;
      EXPECT_EQ(answer.error, "") << query.where << "\n  " << expr;
      if (!query.no_data_expected) {
        EXPECT_GT(answer.results, 0u) << query.where << " returned no data\n  " << expr;
        ++with_data;
      }
    }
  EXPECT_GT(checked, 20);
  EXPECT_GT(with_data, 15);
  const auto took = std::chrono::steady_clock::now() - started;
  EXPECT_LT(took, 90s);
  std::fprintf(stderr, "checked %d dashboard queries (%d expecting data) in %.1f s\n", checked,
               with_data, std::chrono::duration<double>(took).count());
}

}  // namespace
}  // namespace scxfarm::metrics
