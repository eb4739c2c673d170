// Structural rules for the Grafana dashboards in dashboards/*.json (unit: no
// Grafana needed). Their queries are run against a real Prometheus in
// prometheus_replay_test.cc.
#include "dashboards.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "scxfarm/common/fs.h"

namespace scxfarm::metrics::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const fs::path kDashboards = fs::path(SCXFARM_SOURCE_DIR) / "dashboards";

std::string join(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

TEST(Dashboards, AllFollowTheRules) {
  const auto dashboards = load_dashboards(kDashboards);
  ASSERT_GE(dashboards.size(), 4u) << "overview, enforcement, latency, farm health";
  std::set<std::string> uids;
  for (const auto& d : dashboards) {
    const auto name = d.file.filename().string();
    EXPECT_EQ(check_dashboard(d.json, name), std::vector<std::string>{})
        << join(check_dashboard(d.json, name));
    EXPECT_TRUE(uids.insert(d.json.value("uid", "")).second) << name << ": uid not unique";
  }
}

TEST(Dashboards, StandardVariablesAndTwoKernelsForLatency) {
  for (const auto& d : load_dashboards(kDashboards)) {
    std::set<std::string> names;
    for (const auto& var : d.json["templating"]["list"]) names.insert(var.value("name", ""));
    const bool latency = d.file.filename() == "latency.json";
    const std::set<std::string> expected =
        latency
            ? std::set<std::string>{"datasource", "kernel_a", "kernel_b", "topology", "scenario"}
            : std::set<std::string>{"datasource", "kernel", "topology", "scenario"};
    EXPECT_EQ(names, expected) << d.file;
  }
}

// Every scxfarm:* recording rule a dashboard queries is defined in rules.yml.
TEST(Dashboards, RecordingRulesTheyUseExist) {
  const auto rules = read_file(kDashboards / "prometheus/rules.yml");
  ASSERT_TRUE(rules.ok()) << rules.error().message;
  int used = 0;
  for (const auto& d : load_dashboards(kDashboards))
    for (const auto& q : queries_of(d))
      for (size_t at = q.expr.find("scxfarm:"); at != std::string::npos;
           at = q.expr.find("scxfarm:", at + 1)) {
        size_t end = at;
        while (end < q.expr.size() && (std::isalnum(static_cast<unsigned char>(q.expr[end])) ||
                                       q.expr[end] == '_' || q.expr[end] == ':'))
          ++end;
        const auto rule = q.expr.substr(at, end - at);
        ++used;
        EXPECT_NE(rules->find("record: " + rule + "\n"), std::string::npos)
            << q.where << " uses " << rule << ", not recorded in rules.yml";
      }
  EXPECT_GT(used, 10);
}

TEST(Dashboards, UnauthorizedOccupancyPanelSaysNoDataYet) {
  bool found = false;
  for (const auto& d : load_dashboards(kDashboards))
    for (const auto& q : queries_of(d))
      if (q.expr.find("unauthorized_occupancy") != std::string::npos) {
        found = true;
        EXPECT_TRUE(q.no_data_expected) << q.where;
      }
  EXPECT_TRUE(found);
}

// The checker itself catches each broken rule.
json good_dashboard() {
  return json::parse(R"json({
    "uid": "x", "title": "x",
    "templating": {"list": [
      {"name": "datasource", "type": "datasource", "query": "prometheus"},
      {"name": "kernel", "type": "query", "datasource": {"type": "prometheus", "uid": "${datasource}"},
       "definition": "label_values(scxfarm_runs_total, kernel)"}]},
    "panels": [{"title": "p", "type": "timeseries",
      "datasource": {"type": "prometheus", "uid": "${datasource}"},
      "fieldConfig": {"defaults": {"unit": "short"}},
      "targets": [{"refId": "A", "expr": "sum(scxfarm_runs_total{kernel=~\"$kernel\"})"}]}]})json");
}

TEST(CheckDashboard, AcceptsAGoodOne) {
  EXPECT_EQ(check_dashboard(good_dashboard(), "d"), std::vector<std::string>{});
}

TEST(CheckDashboard, CatchesEachBrokenRule) {
  const auto expect_problem = [](json d, const std::string& needle) {
    const auto problems = check_dashboard(d, "d");
    EXPECT_NE(join(problems).find(needle), std::string::npos) << "expected '" << needle << "' in:\n"
                                                              << join(problems);
  };
  auto d = good_dashboard();
  d["panels"][0]["datasource"]["uid"] = "P1809F7CD0C75ACF3";
  expect_problem(d, "does not use the $datasource variable");
  d = good_dashboard();
  d["panels"][0]["fieldConfig"]["defaults"].erase("unit");
  expect_problem(d, "has no unit");
  d = good_dashboard();
  d["panels"][0]["targets"][0]["expr"] = "up{job=\"node\"}";
  expect_problem(d, "matches on job");
  d["panels"][0]["targets"][0]["expr"] = "up{instance !~ \"x\", kernel=~\"$kernel\"}";
  expect_problem(d, "matches on instance");
  d = good_dashboard();
  d["panels"][0]["targets"][0]["expr"] = "sum(scxfarm_runs_total{kernel_a=~\"$kernel_a\"})";
  expect_problem(d, "variable kernel is never used");
  d = good_dashboard();
  d["templating"]["list"][0]["type"] = "query";
  expect_problem(d, "no datasource variable");
  d = good_dashboard();
  d["templating"]["list"][1]["datasource"] = {{"type", "prometheus"}, {"uid", "abc"}};
  expect_problem(d, "variable kernel does not query $datasource");
  d = good_dashboard();
  d.erase("uid");
  expect_problem(d, "no uid");
  // "by (job)" is a grouping, not a matcher.
  d = good_dashboard();
  d["panels"][0]["targets"][0]["expr"] = "sum by (job) (scxfarm_runs_total{kernel=~\"$kernel\"})";
  EXPECT_EQ(check_dashboard(d, "d"), std::vector<std::string>{});
}

TEST(Substitute, VariablesAndIntervalsLikeGrafana) {
  EXPECT_EQ(
      substitute(
          R"(rate(x{kernel=~"$kernel",k2=~"${kernel_a}",t="[[topology]]"}[$__rate_interval]))",
          {{"kernel", "7\\.3"}, {"kernel_a", "A"}, {"topology", "numa"}}, "1m"),
      R"(rate(x{kernel=~"7\.3",k2=~"A",t="numa"}[1m]))");
  EXPECT_EQ(substitute("$kernel_a $kernel", {{"kernel", "K"}, {"kernel_a", "A"}}, "1m"), "A K");
  EXPECT_EQ(regex_escape("7.3.4+deb13-cloud-amd64"), R"(7\\.3\\.4\\+deb13-cloud-amd64)");
}

}  // namespace
}  // namespace scxfarm::metrics::testing
