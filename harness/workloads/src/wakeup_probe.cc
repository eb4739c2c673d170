#include <nlohmann/json.hpp>

#include "scxfarm/workloads/parsers.h"
#include "text.h"

namespace scxfarm::workloads {

// {"probe":"wakeup","workers":4,"wakeups":K,"requests_per_s":X,
//  "latency_ns":{"p50":..,"p90":..,"p99":..,"p999":..,"max":..}}
Result<WorkloadResult> parse_wakeup_probe(std::string_view output) {
  constexpr std::string_view kPrefix = "{\"probe\":\"wakeup\"";
  std::string_view found;
  for (std::string_view line : detail::lines_of(output)) {
    if (line.rfind(kPrefix, 0) == 0) found = line;  // the last one wins
  }
  if (found.empty()) {
    return make_error("wakeup-probe: no '{\"probe\":\"wakeup\",...}' result line in the output (" +
                      detail::excerpt(output) + ")");
  }
  auto j = nlohmann::json::parse(found, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    return make_error("wakeup-probe: result line is not JSON: '" + std::string(found) + "'");
  }
  WorkloadResult r{.kind = protocol::WorkloadKind::kWakeupProbe};
  auto take = [&](const nlohmann::json& obj, const char* key, const std::string& metric) -> bool {
    if (!obj.is_object() || !obj.contains(key) || !obj[key].is_number()) return false;
    r.set(metric, obj[key].get<double>());
    return true;
  };
  const auto& lat = j.contains("latency_ns") ? j["latency_ns"] : nlohmann::json();
  const bool ok = take(j, "workers", "workers") && take(j, "wakeups", "wakeups") &&
                  take(j, "requests_per_s", "requests_per_s") && take(lat, "p50", "latency_p50") &&
                  take(lat, "p90", "latency_p90") && take(lat, "p99", "latency_p99") &&
                  take(lat, "p999", "latency_p999") && take(lat, "max", "latency_max");
  if (!ok) {
    return make_error(
        "wakeup-probe: result line lacks a number among workers, wakeups, requests_per_s, "
        "latency_ns.{p50,p90,p99,p999,max}: '" +
        std::string(found) + "'");
  }
  return r;
}

bool has_parser(protocol::WorkloadKind kind) {
  return kind != protocol::WorkloadKind::kCommand;
}

bool is_latency_probe(protocol::WorkloadKind kind) {
  return kind == protocol::WorkloadKind::kWakeupProbe ||
         kind == protocol::WorkloadKind::kCyclictest;
}

Result<WorkloadResult> parse_workload_output(protocol::WorkloadKind kind, std::string_view output) {
  using protocol::WorkloadKind;
  switch (kind) {
    case WorkloadKind::kStressNg:
      return parse_stress_ng(output);
    case WorkloadKind::kHackbench:
      return parse_hackbench(output);
    case WorkloadKind::kCyclictest:
      return parse_cyclictest(output);
    case WorkloadKind::kWakeupProbe:
      return parse_wakeup_probe(output);
    case WorkloadKind::kCommand:
      break;
  }
  std::string parsed;
  for (const auto& [name, k] : protocol::Spelled<WorkloadKind>::kNames)
    if (has_parser(k)) parsed += (parsed.empty() ? "" : ", ") + std::string(name);
  return make_error("no parser for workload kind '" + protocol::to_string(kind) +
                    "' (parsed kinds: " + parsed + ")");
}

}  // namespace scxfarm::workloads
