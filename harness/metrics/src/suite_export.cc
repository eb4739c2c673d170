#include "scxfarm/metrics/suite_export.h"

#include <prometheus/metric_family.h>
#include <prometheus/registry.h>

#include <charconv>
#include <map>

#include "scxfarm/common/fs.h"

namespace fs = std::filesystem;

namespace scxfarm::metrics {

namespace {

double unix_seconds(std::chrono::system_clock::time_point t) {
  return std::chrono::duration<double>(t.time_since_epoch()).count();
}

std::string last_success_series(std::string_view suite) {
  return std::string(MetricsSet::kLastSuccessMetric) + "{suite=\"" + std::string(suite) + "\"}";
}

// The families of SET named (or not named, with KEEP false) NAME.
std::vector<prometheus::MetricFamily> select(const MetricsSet& set, std::string_view name,
                                             bool keep) {
  std::vector<prometheus::MetricFamily> out;
  for (auto& family : set.registry()->Collect())
    if ((family.name == name) == keep && !family.metric.empty()) out.push_back(std::move(family));
  return out;
}

}  // namespace

bool SuiteRecord::all_passed() const {
  for (const auto& run : runs)
    if (results::is_failure(run.outcome)) return false;
  return true;
}

SuiteRecord suite_record(const results::SuiteRecord& file,
                         std::chrono::system_clock::time_point finished_at) {
  return {file.suite, file.runs, file.wall_seconds, finished_at};
}

Result<SuiteRecord> load_suite_record(const fs::path& dir) {
  auto file = results::read_suite_json(dir);
  if (!file) return file.error();
  const fs::path path = dir / results::kSuiteFile;
  std::error_code ec;
  const auto mtime = fs::last_write_time(path, ec);
  if (ec) return make_error(path.string() + ": " + ec.message());
  return suite_record(*file, std::chrono::time_point_cast<std::chrono::system_clock::duration>(
                                 std::chrono::file_clock::to_sys(mtime)));
}

Result<std::string> parse_shard(std::string_view text) {
  const auto bad = [&] {
    return make_error("shard '" + std::string(text) +
                      "': expected I/N with 0 <= I < N, e.g. 0/1 (the default) or 2/4");
  };
  const size_t slash = text.find('/');
  if (slash == std::string_view::npos) return bad();
  unsigned index = 0, count = 0;
  const auto parse = [](std::string_view part, unsigned& out) {
    const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), out);
    return !part.empty() && ec == std::errc() && end == part.data() + part.size();
  };
  if (!parse(text.substr(0, slash), index) || !parse(text.substr(slash + 1), count) || count == 0 ||
      index >= count)
    return bad();
  return std::to_string(index) + "/" + std::to_string(count);
}

MetricsSet suite_metrics(const SuiteRecord& record) {
  MetricsSet set;
  for (const auto& run : record.runs) set.record(run);
  set.record_suite(record.suite, record.duration_seconds, record.all_passed(), record.finished_at);
  return set;
}

ExportResult export_suite(const SuiteRecord& record, const ExportTargets& targets,
                          std::chrono::system_clock::time_point now,
                          const std::function<void(const std::string&)>& log) {
  ExportResult result;
  bool push_failed = false;
  if (!targets.pushgateway_url.empty()) {
    // One group per kernel: the Pushgateway overwrites a series' kernel label
    // with the group's (push.h).
    std::map<std::string, std::vector<const results::RunSummary*>> by_kernel;
    for (const auto& run : record.runs) by_kernel[kernel_label(run)].push_back(&run);
    for (const auto& [kernel, runs] : by_kernel) {
      // After a failed push the gateway is down or refusing: do not multiply
      // the retries' waits, and do not push a last success without its runs.
      if (push_failed) break;
      MetricsSet set;
      for (const auto* run : runs) set.record(*run);
      set.record_suite(record.suite, record.duration_seconds, false, record.finished_at);
      const PushGrouping grouping{record.suite, kernel, targets.shard};
      auto pushed = push_to_gateway(select(set, MetricsSet::kLastSuccessMetric, false),
                                    targets.pushgateway_url, kPushJob, grouping, targets.push);
      if (!pushed) {
        push_failed = true;
        result.errors.push_back(pushed.error().message);
        log("export: " + pushed.error().message);
        continue;
      }
      ++result.groups_pushed;
      log("export: pushed suite " + record.suite + " kernel " + kernel + " shard " + targets.shard +
          " to " + targets.pushgateway_url + " (" + std::to_string(pushed->attempts) +
          " attempt(s))");
    }
    if (record.all_passed() && !push_failed) {
      MetricsSet success;
      success.set_last_success(record.suite, unix_seconds(record.finished_at));
      auto pushed = push_to_gateway(select(success, MetricsSet::kLastSuccessMetric, true),
                                    targets.pushgateway_url, kLastSuccessJob,
                                    PushGrouping{record.suite, "", ""}, targets.push);
      if (pushed) {
        ++result.groups_pushed;
      } else {
        push_failed = true;
        result.errors.push_back(pushed.error().message);
        log("export: " + pushed.error().message);
      }
    }
  }

  if (!targets.textfile.empty()) {
    MetricsSet set = suite_metrics(record);
    // Carry forward what the file being replaced knew.
    std::string old_text;
    if (fs::exists(targets.textfile))
      if (auto old = read_file(targets.textfile)) old_text = *old;
    if (!record.all_passed())
      if (auto last = find_sample(old_text, last_success_series(record.suite)))
        set.set_last_success(record.suite, *last);
    for (const std::string target : {"pushgateway", "textfile"}) {
      const std::string series = std::string(MetricsSet::kExportFailureMetric) + "{suite=\"" +
                                 record.suite + "\",target=\"" + target + "\"}";
      if (auto previous = find_sample(old_text, series))
        set.set_export_failure(record.suite, target, *previous);
    }
    if (push_failed) set.set_export_failure(record.suite, "pushgateway", unix_seconds(now));
    if (auto written = set.write_textfile(targets.textfile); !written) {
      result.errors.push_back("textfile " + targets.textfile.string() + ": " +
                              written.error().message);
      log("export: " + result.errors.back());
    } else {
      log("export: wrote " + targets.textfile.string());
    }
  }
  return result;
}

}  // namespace scxfarm::metrics
