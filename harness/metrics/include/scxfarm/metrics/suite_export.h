// Exporting a finished suite: one Pushgateway group per kernel, the suite's
// last success in a group of its own, and the node_exporter textfile. Used by
// `scxfarm run` at the end of a suite and by `scxfarm export` (a CI retry of
// a failed push, from the suite directory's suite.json).
//
// Why a separate group for the last success: a push replaces its whole
// group, so a failed suite's push would drop
// scxfarm_last_success_timestamp_seconds and the "nightly job stale" alert
// would fire as soon as one night fails instead of after 36 h without a
// success. Reading the old value back from the Pushgateway before pushing
// would race with other pushers and depends on the gateway's /metrics format;
// instead the gauge goes to job=scxfarm_last_success/suite=SUITE, which only
// a successful suite replaces. The runs' group (job=scxfarm) never holds it.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "scxfarm/common/result.h"
#include "scxfarm/metrics/metrics_set.h"
#include "scxfarm/metrics/push.h"
#include "scxfarm/results/result_files.h"

namespace scxfarm::metrics {

inline constexpr std::string_view kPushJob = "scxfarm";
inline constexpr std::string_view kLastSuccessJob = "scxfarm_last_success";

// What a finished suite left behind, as the export needs it. Made from
// suite.json's record (results::SuiteRecord) only: the duration is the
// suite's wall time as run_suite measured and recorded it, never recomputed
// from the runs (they overlap in the pool).
struct SuiteRecord {
  std::string suite;
  std::vector<results::RunSummary> runs;
  double duration_seconds = 0;  // suite.json's wall_seconds
  std::chrono::system_clock::time_point finished_at;
  // No run failed: every run passed or was skipped (results::is_failure).
  bool all_passed() const;
};

// FILE's record, finished at FINISHED_AT.
SuiteRecord suite_record(const results::SuiteRecord& file,
                         std::chrono::system_clock::time_point finished_at);

// DIR/suite.json, read by results::read_suite_json. Its end is suite.json's
// modification time (run_suite rewrites the file after every run and once
// at the end): a later re-export must not claim a later success.
Result<SuiteRecord> load_suite_record(const std::filesystem::path& dir);

// "I/N" with 0 <= I < N: which slice of a sharded batch this is. Carried as
// the shard grouping label only; sharding itself is not implemented yet.
Result<std::string> parse_shard(std::string_view text);

struct ExportTargets {
  std::string pushgateway_url;     // empty = no push
  std::filesystem::path textfile;  // empty = no textfile; else a *.prom path
  std::string shard = "0/1";       // grouping label value, from parse_shard
  PushOptions push;
};

struct ExportResult {
  int groups_pushed = 0;
  std::vector<std::string> errors;  // one line per failed export
  bool ok() const { return errors.empty(); }
};

// Every run recorded, plus the suite gauges.
MetricsSet suite_metrics(const SuiteRecord& record);

// Pushes (if a URL is given), then writes the textfile (if a path is given).
// Pushing stops at the first group that fails (after its retries).
// The textfile keeps the suite's previous last success when this suite
// failed (read from the file being replaced), and gets
// scxfarm_export_last_failure_timestamp_seconds when the push failed. Never
// touches the suite directory. LOG gets one line per step.
ExportResult export_suite(const SuiteRecord& record, const ExportTargets& targets,
                          std::chrono::system_clock::time_point now,
                          const std::function<void(const std::string&)>& log);

}  // namespace scxfarm::metrics
