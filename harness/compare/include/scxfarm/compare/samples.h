// What two suites measured, grouped for comparison: per (cell, workload,
// metric) one value per repetition and side; per (cell, check, subject) how
// many runs of each side failed it.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <vector>

#include "scxfarm/compare/suite_pair.h"
#include "scxfarm/workloads/metric_catalog.h"

namespace scxfarm::compare {

struct MetricKey {
  Cell cell;
  std::string workload;  // the scenario's workload name ("probe", "B-cpu")
  std::string metric;    // its value's key in run.json ("latency_p99", "cpu.bogo_ops_per_s_real")
  auto operator<=>(const MetricKey&) const = default;
  std::string name() const { return workload + "/" + metric; }
};

struct MetricSamples {
  MetricKey key;
  std::string unit;  // as run.json records it (the catalog's)
  std::string
      catalog_name;  // the catalog's name: "bogo_ops_per_s_real" for "cpu.bogo_ops_per_s_real"
  workloads::Better better = workloads::Better::kNeither;
  std::vector<double> baseline;  // one per run that reported it, in repetition order
  std::vector<double> candidate;
};

// Every metric the catalog marks compared that either side reported, sorted
// by key. A run that did not report it (its workload's output did not parse,
// the run crashed) adds no value; infra-error runs are never counted.
std::vector<MetricSamples> metric_samples(const SuitePair& pair);

struct CheckKey {
  Cell cell;
  // A results::Check spelling ("invariants", "attach", ...), or "outcome" for
  // runs that ended kernel-crash, boot-failure, scheduler-error, timeout or
  // lost-connection (subject: the outcome's spelling).
  std::string check;
  std::string subject;  // the failure's subject, "" when it names none
  auto operator<=>(const CheckKey&) const = default;
  std::string name() const { return subject.empty() ? check : check + " " + subject; }
};

struct CheckTally {
  CheckKey key;
  uint32_t baseline_failed = 0;
  uint32_t baseline_runs = 0;  // runs that reached a verdict on the kernel (not infra-error)
  uint32_t candidate_failed = 0;
  uint32_t candidate_runs = 0;
  std::string example;  // the text of one failure, the candidate's when it has one
};

// Every check that failed in at least one run of either side, per cell,
// sorted by key. A run with invariant violations counts as failing
// "invariants" even if no failure line says so.
std::vector<CheckTally> check_tallies(const SuitePair& pair);

}  // namespace scxfarm::compare
