// The Grafana dashboards in dashboards/*.json, as the tests see them: their
// structural rules (dashboards_test.cc) and their PromQL queries, with
// template variables substituted the way Grafana does (prometheus_replay_test.cc).
#pragma once

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace scxfarm::metrics::testing {

// Panels whose description starts with this expect no data from today's
// exporters (e.g. metrics of components that do not exist yet).
inline constexpr std::string_view kNoDataExpected = "No data expected yet";

struct Dashboard {
  std::filesystem::path file;
  nlohmann::json json;
};

struct PanelQuery {
  std::string where;  // "overview.json: panel 'Runs by outcome' target A"
  std::string expr;
  bool no_data_expected = false;
};

// Every dashboards/*.json under DIR, parsed; throws on malformed JSON.
std::vector<Dashboard> load_dashboards(const std::filesystem::path& dir);

// Panels, including those nested in rows.
std::vector<const nlohmann::json*> panels_of(const nlohmann::json& dashboard);

// Problems with one dashboard (empty = fine): uid, $datasource on every panel
// and target, a unit on every panel, no job/instance matchers, every
// template variable used, query variables on $datasource.
std::vector<std::string> check_dashboard(const nlohmann::json& dashboard, const std::string& name);

// Every target's expr.
std::vector<PanelQuery> queries_of(const Dashboard& dashboard);

// Replaces $var, ${var} and [[var]] by VALUES[var] (already regex-escaped
// where the variable is used with =~), and $__rate_interval, $__interval,
// $__range by INTERVAL.
std::string substitute(std::string expr, const std::map<std::string, std::string>& values,
                       const std::string& interval);

// Escapes regex metacharacters for use inside a PromQL "..." string, as
// Grafana does for multi-value variables: 7.3 becomes 7\\.3 in the query.
std::string regex_escape(const std::string& value);

}  // namespace scxfarm::metrics::testing
