// Parsers for what the farm's workloads print, turned into named values with
// units. Pure functions over the text the guest agent sends back (the last
// ~4 KiB of a workload's stdout+stderr, WorkloadDone.output_tail), so each is
// unit-tested on real captured output (tests/testdata/).
//
// Formats chosen (the stable, end-of-run summaries; nothing that needs a
// file in the guest, which the host never sees):
//  - stress-ng 0.19: the "stress-ng: metrc:" table that --metrics-brief (or
//    --metrics) prints at the end, also on SIGTERM. The agent adds nothing
//    to a workload's args: scenarios must pass --metrics-brief themselves.
//  - hackbench (rt-tests 2.6): the final "Time: SECONDS" line.
//  - cyclictest (rt-tests 2.6): the per-thread "T: n (...) ... Min: Avg: Max:"
//    summary (-q prints it once at the end, also on SIGTERM; without -q the
//    last of the \r-refreshed lines counts). 2.6 prints no percentiles in
//    text; --json only writes a file in the guest and -h's histogram is far
//    larger than the output tail, so min/avg/max (µs) are what we get.
//  - wakeup-probe: its one JSON line {"probe":"wakeup",...}.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "scxfarm/common/result.h"
#include "scxfarm/protocol/vocabulary.h"
#include "scxfarm/workloads/metric_catalog.h"

namespace scxfarm::workloads {

struct WorkloadResult {
  protocol::WorkloadKind kind = protocol::WorkloadKind::kCommand;
  std::map<std::string, double> values;      // metric -> value
  std::map<std::string, std::string> units;  // metric -> its unit in metric_catalog.h
  // Records METRIC with its unit from the catalog; a metric the catalog does
  // not declare for KIND is a bug in the parser (aborts).
  void set(const std::string& metric, double value);
};

// stress-ng: per stressor S, "S.bogo_ops" (ops), "S.bogo_ops_per_s_real" and
// "S.bogo_ops_per_s_usr_sys" (ops_per_second), "S.real_time", "S.usr_time",
// "S.sys_time" (seconds).
Result<WorkloadResult> parse_stress_ng(std::string_view output);
// hackbench: "time" (seconds), "tasks" (count) when the header is in the tail.
Result<WorkloadResult> parse_hackbench(std::string_view output);
// cyclictest: per thread N "TN.min", "TN.avg", "TN.max" (microseconds),
// "TN.cycles" (count); over all threads "min", "max" and the
// cycle-weighted "avg" (microseconds).
Result<WorkloadResult> parse_cyclictest(std::string_view output);
// wakeup-probe: "latency_p50", "latency_p90", "latency_p99", "latency_p999",
// "latency_max" (nanoseconds), "requests_per_s" (ops_per_second), "wakeups",
// "workers" (count).
Result<WorkloadResult> parse_wakeup_probe(std::string_view output);

// Whether KIND has a parser (command has none: its output is free-form).
bool has_parser(protocol::WorkloadKind kind);
// Whether KIND is a latency probe (wakeup-probe, cyclictest): its parsed
// values are what the run measures, so output that does not parse fails the
// run (stress-ng and hackbench are load; their numbers are extras).
bool is_latency_probe(protocol::WorkloadKind kind);
// Dispatches on KIND; an error for a kind without a parser.
Result<WorkloadResult> parse_workload_output(protocol::WorkloadKind kind, std::string_view output);

}  // namespace scxfarm::workloads
