#include "dashboards.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <set>

namespace fs = std::filesystem;
using nlohmann::json;

namespace scxfarm::metrics::testing {

namespace {

bool is_word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// Does TEXT refer to variable NAME ($name, ${name...}, [[name]])?
bool mentions_variable(const std::string& text, const std::string& name) {
  for (size_t at = text.find("$" + name); at != std::string::npos;
       at = text.find("$" + name, at + 1)) {
    const size_t end = at + 1 + name.size();
    if (end >= text.size() || !is_word_char(text[end])) return true;
  }
  return text.find("${" + name + "}") != std::string::npos ||
         text.find("${" + name + ":") != std::string::npos ||
         text.find("[[" + name + "]]") != std::string::npos;
}

// A matcher on LABEL (label followed by =, !=, =~ or !~) in a PromQL EXPR.
bool has_matcher(const std::string& expr, const std::string& label) {
  for (size_t at = expr.find(label); at != std::string::npos; at = expr.find(label, at + 1)) {
    if (at > 0 && is_word_char(expr[at - 1])) continue;
    size_t i = at + label.size();
    while (i < expr.size() && expr[i] == ' ') ++i;
    if (i < expr.size() && (expr[i] == '=' || (expr[i] == '!' && i + 1 < expr.size() &&
                                               (expr[i + 1] == '=' || expr[i + 1] == '~'))))
      return true;
  }
  return false;
}

bool uses_datasource_variable(const json& ds) {
  if (!ds.is_object()) return false;
  const auto uid = ds.value("uid", std::string());
  return uid == "${datasource}" || uid == "$datasource";
}

}  // namespace

std::vector<Dashboard> load_dashboards(const fs::path& dir) {
  std::vector<Dashboard> out;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.path().extension() == ".json") {
      std::ifstream in(entry.path());
      out.push_back({entry.path(), json::parse(in)});
    }
  std::sort(out.begin(), out.end(),
            [](const Dashboard& a, const Dashboard& b) { return a.file < b.file; });
  return out;
}

std::vector<const json*> panels_of(const json& dashboard) {
  // Pointers into DASHBOARD itself (value() would return copies).
  std::vector<const json*> out;
  if (!dashboard.contains("panels") || !dashboard["panels"].is_array()) return out;
  for (const auto& panel : dashboard["panels"]) {
    out.push_back(&panel);
    if (panel.contains("panels") && panel["panels"].is_array())
      for (const auto& nested : panel["panels"]) out.push_back(&nested);
  }
  return out;
}

std::vector<std::string> check_dashboard(const json& dashboard, const std::string& name) {
  std::vector<std::string> problems;
  const auto problem = [&](const std::string& what) { problems.push_back(name + ": " + what); };
  if (dashboard.value("uid", std::string()).empty()) problem("no uid");

  const json variables = dashboard.value("templating", json::object()).value("list", json::array());
  bool has_datasource = false;
  std::string all_text;  // everything a variable may be used in
  for (const auto& var : variables) {
    const auto var_name = var.value("name", std::string());
    if (var_name == "datasource") {
      has_datasource =
          var.value("type", "") == "datasource" && var.value("query", "") == "prometheus";
      continue;
    }
    if (var.value("type", "") == "query" &&
        !uses_datasource_variable(var.value("datasource", json())))
      problem("variable " + var_name + " does not query $datasource");
    all_text += var.value("definition", "") + "\n";
  }
  if (!has_datasource) problem("no datasource variable (type datasource, query prometheus)");

  for (const json* panel : panels_of(dashboard)) {
    const std::string title = "panel '" + panel->value("title", std::string("?")) + "'";
    if (panel->value("type", "") == "row") continue;
    if (!uses_datasource_variable(panel->value("datasource", json())))
      problem(title + " does not use the $datasource variable");
    const auto unit = panel->value("fieldConfig", json::object())
                          .value("defaults", json::object())
                          .value("unit", std::string());
    if (unit.empty()) problem(title + " has no unit (fieldConfig.defaults.unit)");
    const auto targets = panel->value("targets", json::array());
    if (targets.empty()) problem(title + " has no targets");
    for (const auto& target : targets) {
      const auto expr = target.value("expr", std::string());
      if (expr.empty()) problem(title + " has a target without expr");
      if (target.contains("datasource") && !uses_datasource_variable(target["datasource"]))
        problem(title + " has a target not on $datasource");
      for (const std::string label : {"job", "instance"})
        if (has_matcher(expr, label)) problem(title + " matches on " + label + ": " + expr);
      all_text += expr + "\n";
    }
    all_text += panel->value("title", "") + "\n";
  }
  for (const auto& var : variables) {
    const auto var_name = var.value("name", std::string());
    if (var_name != "datasource" && !mentions_variable(all_text, var_name))
      problem("variable " + var_name + " is never used");
  }
  return problems;
}

std::vector<PanelQuery> queries_of(const Dashboard& dashboard) {
  std::vector<PanelQuery> out;
  for (const json* panel : panels_of(dashboard.json)) {
    const bool no_data = panel->value("description", std::string()).starts_with(kNoDataExpected);
    for (const auto& target : panel->value("targets", json::array()))
      out.push_back({dashboard.file.filename().string() + ": panel '" +
                         panel->value("title", std::string()) + "' target " +
                         target.value("refId", std::string()),
                     target.value("expr", std::string()), no_data});
  }
  return out;
}

std::string regex_escape(const std::string& value) {
  std::string out;
  for (char c : value) {
    // Two backslashes: one escapes the regex metacharacter, the other the
    // backslash inside PromQL's double-quoted string (Grafana does the same).
    if (std::string_view("\\^$.|?*+()[]{}").find(c) != std::string_view::npos) out += "\\\\";
    out += c;
  }
  return out;
}

std::string substitute(std::string expr, const std::map<std::string, std::string>& values,
                       const std::string& interval) {
  const auto replace_all = [&](const std::string& from, const std::string& to) {
    for (size_t at = expr.find(from); at != std::string::npos; at = expr.find(from, at + to.size()))
      expr.replace(at, from.size(), to);
  };
  for (const std::string builtin : {"$__rate_interval", "$__interval", "$__range"})
    replace_all(builtin, interval);
  // Longest names first, so $kernel does not eat the start of $kernel_a.
  std::vector<std::pair<std::string, std::string>> by_length(values.begin(), values.end());
  std::sort(by_length.begin(), by_length.end(),
            [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
  for (const auto& [name, value] : by_length) {
    replace_all("${" + name + "}", value);
    replace_all("[[" + name + "]]", value);
    replace_all("$" + name, value);
  }
  return expr;
}

}  // namespace scxfarm::metrics::testing
