#include "scxfarm/results/result_files.h"

#include <algorithm>
#include <chrono>
#include <optional>

#include "scxfarm/common/fs.h"
#include "scxfarm/results/timestamp.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace scxfarm::results {

namespace {

constexpr const char* kVersionKey = "schema_version";

Result<json> parse_file(const fs::path& file, const std::string& expected) {
  auto text = read_file(file);
  if (!text) return text.error();
  try {
    return json::parse(*text);
  } catch (const json::exception& e) {
    return make_error(file.string() + ": not a " + expected + ": " + e.what());
  }
}

// The file's schema version; files written before versioning have none (0).
Result<int> schema_version(const fs::path& file, const json& j) {
  if (!j.is_object()) return make_error(file.string() + ": not a JSON object");
  const auto it = j.find(kVersionKey);
  if (it == j.end()) return 0;
  if (!it->is_number_unsigned())
    return make_error(file.string() + ": schema_version " + it->dump() +
                      " is not a non-negative integer");
  const auto version = it->get<uint64_t>();
  if (version > static_cast<uint64_t>(kSchemaVersion))
    return make_error(file.string() + ": schema_version " + std::to_string(version) +
                      " is newer than this scxfarm reads (" + std::to_string(kSchemaVersion) +
                      "); read it with a newer scxfarm");
  return static_cast<int>(version);
}

// Version 0 -> 1: failures were plain lines. They keep their line as text;
// which check made them is not known.
void upgrade_run_from_v0(json& run) {
  const auto failures = run.find("failures");
  if (failures == run.end() || !failures->is_array()) return;
  for (auto& f : *failures) {
    if (!f.is_string()) continue;
    const std::string line = f.get<std::string>();
    f = Failure{Check::kUnclassified, "", line, line};
  }
}

// Version 0 suites recorded no wall time of their own: the closest is the
// span of their runs, earliest start to latest end (runs overlap in the pool,
// so their wall times do not add up to it).
void suite_time_from_runs(SuiteRecord& suite) {
  using std::chrono::system_clock;
  std::optional<system_clock::time_point> first, last;
  for (const auto& run : suite.runs) {
    const auto start = parse_utc_timestamp(run.started_at);
    if (!start) continue;
    const auto end = *start + std::chrono::round<system_clock::duration>(
                                  std::chrono::duration<double>(run.wall_seconds));
    first = first ? std::min(*first, *start) : *start;
    last = last ? std::max(*last, end) : end;
  }
  if (!first) return;
  suite.started_at = utc_timestamp(*first);
  suite.wall_seconds = std::chrono::duration<double>(*last - *first).count();
}

Status write_json(const fs::path& file, json j) {
  j[kVersionKey] = kSchemaVersion;
  std::string text;
  try {
    text = j.dump(2) + "\n";
  } catch (const json::exception& e) {  // e.g. a string that is not UTF-8
    return make_error(file.string() + ": " + e.what());
  }
  return write_file_atomic(file, text);
}

}  // namespace

Status write_run_json(const fs::path& run_dir, const RunSummary& run) {
  return write_json(run_dir / kRunFile, run);
}

Result<RunSummary> read_run_json(const fs::path& run_dir) {
  const fs::path file = run_dir / kRunFile;
  auto j = parse_file(file, "run.json");
  if (!j) return j.error();
  const auto version = schema_version(file, *j);
  if (!version) return version.error();
  try {
    if (*version == 0) upgrade_run_from_v0(*j);
    return j->get<RunSummary>();
  } catch (const json::exception& e) {
    return make_error(file.string() + ": not a run.json: " + e.what());
  }
}

Result<int> read_schema_version(const fs::path& file) {
  auto j = parse_file(file, "JSON file");
  if (!j) return j.error();
  return schema_version(file, *j);
}

Status write_suite_json(const fs::path& suite_dir, const SuiteRecord& suite) {
  return write_json(suite_dir / kSuiteFile, suite);
}

Result<SuiteRecord> read_suite_json(const fs::path& suite_dir) {
  const fs::path file = suite_dir / kSuiteFile;
  const std::string expected = R"(suite.json (expected {"suite": NAME, "runs": [...]}))";
  auto j = parse_file(file, expected);
  if (!j) return j.error();
  const auto version = schema_version(file, *j);
  if (!version) return version.error();
  SuiteRecord suite;
  try {
    if (!j->contains("suite") || !j->contains("runs"))
      return make_error(file.string() + ": not a " + expected);
    if (*version == 0)
      for (auto& run : j->at("runs")) upgrade_run_from_v0(run);
    suite = j->get<SuiteRecord>();
  } catch (const json::exception& e) {
    return make_error(file.string() + ": not a " + expected + ": " + e.what());
  }
  if (suite.suite.empty()) return make_error(file.string() + ": empty suite name");
  if (*version == 0) suite_time_from_runs(suite);
  return suite;
}

Result<SuiteRecord> read_finished_suite(const fs::path& suite_dir) {
  auto record = read_suite_json(suite_dir);
  if (!record) return record.error();
  for (auto& run : record->runs) {
    const fs::path run_dir = suite_dir / run.run_id;
    std::error_code ec;
    if (run.run_id.empty() || !fs::exists(run_dir / kRunFile, ec)) continue;
    auto file = read_run_json(run_dir);
    if (!file) return file.error();
    if (file->run_id != run.run_id) {
      return make_error((run_dir / kRunFile).string() + ": run_id '" + file->run_id +
                        "', but suite.json lists it as '" + run.run_id + "'");
    }
    run = std::move(*file);
  }
  return record;
}

}  // namespace scxfarm::results
