#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <set>
#include <sstream>

#include "sample_run.h"
#include "scxfarm/common/fs.h"
#include "scxfarm/metrics/metrics_set.h"
#include "scxfarm/metrics/suite_export.h"

namespace scxfarm::metrics {
namespace {

using testing::sample_run;

bool has_line(const std::string& text, const std::string& line) {
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);)
    if (l == line) return true;
  return false;
}

// "# TYPE name kind" lines: name -> kind.
std::map<std::string, std::string> types(const std::string& text) {
  std::map<std::string, std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) {
    std::istringstream words(l);
    std::string hash, type, name, kind;
    if (words >> hash >> type >> name >> kind && hash == "#" && type == "TYPE") out[name] = kind;
  }
  return out;
}

// Every label name used on a sample line: what precedes each =" inside {}.
// (No std::regex: g++ 12 warns inside it under -fsanitize, and warnings are errors.)
std::set<std::string> label_names(const std::string& text) {
  std::set<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) {
    if (l.empty() || l[0] == '#') continue;
    const size_t open = l.find('{');
    if (open == std::string::npos) continue;
    size_t start = open + 1;
    for (size_t eq; (eq = l.find("=\"", start)) != std::string::npos;) {
      out.insert(l.substr(start, eq - start));
      const size_t close_quote = l.find('"', eq + 2);  // label values here hold no quotes
      start = close_quote + 2;                         // past the quote and the comma
    }
  }
  return out;
}

TEST(EventLabel, DropsPrefixAndLowercases) {
  EXPECT_EQ(event_label("SCX_EV_SUB_RESCUE"), "sub_rescue");
  EXPECT_EQ(event_label("SCX_EV_SELECT_CPU_FALLBACK"), "select_cpu_fallback");
  EXPECT_EQ(event_label("scx_ev_bypass_dispatch"), "bypass_dispatch");
  EXPECT_EQ(event_label("ENQ_SKIP_EXITING"), "enq_skip_exiting");
  EXPECT_EQ(event_label("SCX_EV"), "scx_ev");
}

TEST(KernelLabel, ReleaseOrConfigNameWhenNeverBooted) {
  auto run = sample_run();
  EXPECT_EQ(kernel_label(run), "7.3.0-rc2-scxfarm");
  run.kernel_release.clear();
  EXPECT_EQ(kernel_label(run), "qmap-debug");
}

TEST(MetricsSet, NamesFollowPrometheusConventions) {
  MetricsSet set;
  set.record(sample_run());
  set.record_suite("smoke", 300, true, std::chrono::system_clock::time_point{});
  const auto text = set.to_text();
  const std::map<std::string, std::string> expected = {
      {"scxfarm_runs_total", "counter"},
      {"scxfarm_run_info", "gauge"},
      {"scxfarm_sched_ext_events_total", "counter"},
      {"scxfarm_cids_held", "gauge"},
      {"scxfarm_cap_changes_total", "counter"},
      {"scxfarm_invariant_violations_total", "counter"},
      {"scxfarm_churn_operations_total", "counter"},
      {"scxfarm_churn_errors_total", "counter"},
      {"scxfarm_qmap_reenqueues_total", "counter"},
      {"scxfarm_qmap_injection_attempts_total", "counter"},
      {"scxfarm_qmap_rescue_dispatches_total", "counter"},
      {"scxfarm_scheduler_attach_seconds", "gauge"},
      {"scxfarm_vm_boot_seconds", "histogram"},
      {"scxfarm_run_duration_seconds", "histogram"},
      {"scxfarm_last_success_timestamp_seconds", "gauge"},
      {"scxfarm_suite_duration_seconds", "gauge"},
  };
  EXPECT_EQ(types(text), expected);
  for (const auto& [name, kind] : expected) {
    EXPECT_EQ(kind == "counter", name.ends_with("_total")) << name;
    EXPECT_NE(text.find("# HELP " + name + " "), std::string::npos) << name;
  }
}

TEST(MetricsSet, LabelsAreBoundedAndNeverIdentifyARun) {
  MetricsSet set;
  const auto run = sample_run();
  set.record(run);
  const auto text = set.to_text();
  const std::set<std::string> allowed = {
      "suite",     "kernel", "kernel_package", "topology", "scenario", "accel",  "tcg_threads",
      "scheduler", "cap",    "event",          "outcome",  "kind",     "reason", "le"};
  const auto used = label_names(text);
  EXPECT_EQ(used, allowed);  // every allowed label appears, and nothing else

  EXPECT_EQ(text.find(run.run_id), std::string::npos);
  EXPECT_EQ(text.find(std::to_string(run.seed)), std::string::npos);
  EXPECT_EQ(text.find(run.started_at), std::string::npos);
  // Schedulers by tree path, never by their numeric sysfs directory.
  EXPECT_EQ(text.find(run.schedulers[0].sysfs_dir), std::string::npos);
  EXPECT_EQ(text.find("sched_ext/100"), std::string::npos);
  std::istringstream lines(text);
  for (std::string l; std::getline(lines, l);)
    if (!l.starts_with("#")) {
      EXPECT_EQ(l.find("SCX_EV_"), std::string::npos) << l;
    }
}

TEST(MetricsSet, TextHasTheExpectedSeries) {
  MetricsSet set;
  set.record(sample_run());
  const auto text = set.to_text();
  const std::string base =
      R"(kernel="7.3.0-rc2-scxfarm",scenario="churn",suite="smoke",topology="2s4c")";
  const std::string a = R"(kernel="7.3.0-rc2-scxfarm",scenario="churn",scheduler="root/A",)"
                        R"(suite="smoke",topology="2s4c")";
  for (
      const std::string& line : {
          "scxfarm_runs_total{" + std::string(R"(kernel="7.3.0-rc2-scxfarm",outcome="pass",)") +
              R"(scenario="churn",suite="smoke",topology="2s4c"} 1)",
          std::string(R"(scxfarm_run_info{accel="tcg",kernel="7.3.0-rc2-scxfarm",)") +
              R"(kernel_package="7.3.0~rc2-1",scenario="churn",suite="smoke",tcg_threads="multi",)" +
              R"(topology="2s4c"} 1)",
          "scxfarm_invariant_violations_total{" + base + "} 2",
          R"(scxfarm_churn_operations_total{kernel="7.3.0-rc2-scxfarm",kind="cgroup_create",)" +
              std::string(R"(scenario="churn",suite="smoke",topology="2s4c"} 7)"),
          R"(scxfarm_sched_ext_events_total{event="sub_rescue",kernel="7.3.0-rc2-scxfarm",)" +
              std::string(
                  R"(scenario="churn",scheduler="root/A",suite="smoke",topology="2s4c"} 3)"),
          R"(scxfarm_cids_held{cap="preempt",)" + a + "} 3",
          R"(scxfarm_cap_changes_total{cap="enq",)" + a + "} 5",
          "scxfarm_qmap_reenqueues_total{" +
              std::string(R"(kernel="7.3.0-rc2-scxfarm",reason="immed",scenario="churn",)") +
              R"(scheduler="root/A",suite="smoke",topology="2s4c"} 4)",
          "scxfarm_qmap_injection_attempts_total{" + a + "} 20",
          "scxfarm_qmap_rescue_dispatches_total{" + a + "} 2",
          "scxfarm_scheduler_attach_seconds{" + a + "} 1.25",
      })
    EXPECT_TRUE(has_line(text, line)) << line << "\n--- in ---\n" << text;
}

TEST(MetricsSet, DurationHistogramsHaveTcgBuckets) {
  MetricsSet set;
  set.record(sample_run());
  const auto text = set.to_text();
  const std::string machine = R"(kernel="7.3.0-rc2-scxfarm",suite="smoke",topology="2s4c")";
  std::vector<std::string> les;
  for (double b : duration_buckets_seconds()) {
    std::ostringstream le;
    le << b;
    les.push_back(le.str());
  }
  EXPECT_EQ(les,
            (std::vector<std::string>{"1", "2", "5", "10", "20", "30", "60", "120", "300", "600"}));
  // Boot took 14.5 s: not in le=10, in le=20. The run took 95 s.
  EXPECT_TRUE(has_line(text, "scxfarm_vm_boot_seconds_bucket{" + machine + R"(,le="10"} 0)"))
      << text;
  EXPECT_TRUE(has_line(text, "scxfarm_vm_boot_seconds_bucket{" + machine + R"(,le="20"} 1)"));
  EXPECT_TRUE(has_line(text, "scxfarm_vm_boot_seconds_bucket{" + machine + R"(,le="+Inf"} 1)"));
  EXPECT_TRUE(has_line(text, "scxfarm_vm_boot_seconds_sum{" + machine + "} 14.5"));
  EXPECT_TRUE(has_line(text, "scxfarm_run_duration_seconds_bucket{" + machine + R"(,le="60"} 0)"));
  EXPECT_TRUE(has_line(text, "scxfarm_run_duration_seconds_bucket{" + machine + R"(,le="120"} 1)"));
  EXPECT_TRUE(has_line(text, "scxfarm_run_duration_seconds_bucket{" + machine + R"(,le="600"} 1)"));
  EXPECT_TRUE(has_line(text, "scxfarm_run_duration_seconds_count{" + machine + "} 1"));
}

TEST(MetricsSet, CountersAddUpOverRunsAndGaugesKeepTheLast) {
  MetricsSet set;
  auto run = sample_run();
  set.record(run);
  run.schedulers[1].cids_held_last["enq"] = 1;
  run.outcome = results::Outcome::kKernelCrash;
  set.record(run);
  const auto text = set.to_text();
  const std::string a = R"(kernel="7.3.0-rc2-scxfarm",scenario="churn",scheduler="root/A",)"
                        R"(suite="smoke",topology="2s4c")";
  EXPECT_TRUE(has_line(text, R"(scxfarm_sched_ext_events_total{event="sub_rescue",)" +
                                 std::string(R"(kernel="7.3.0-rc2-scxfarm",scenario="churn",)") +
                                 R"(scheduler="root/A",suite="smoke",topology="2s4c"} 6)"));
  EXPECT_TRUE(has_line(text, R"(scxfarm_cids_held{cap="enq",)" + a + "} 1"));
  EXPECT_NE(text.find(R"(outcome="pass")"), std::string::npos);
  EXPECT_NE(text.find(R"(outcome="kernel-crash")"), std::string::npos);
  EXPECT_NE(text.find(R"(scxfarm_vm_boot_seconds_count{kernel="7.3.0-rc2-scxfarm",suite="smoke",)"
                      R"(topology="2s4c"} 2)"),
            std::string::npos);
}

TEST(MetricsSet, RunsThatNeverGotThereLeaveNoTimes) {
  MetricsSet set;
  auto run = sample_run();
  run.outcome = results::Outcome::kBootFailure;
  run.kernel_release.clear();
  run.boot_to_agent_seconds = 0;
  for (auto& s : run.schedulers) s.attached = false;
  set.record(run);
  const auto text = set.to_text();
  EXPECT_EQ(text.find("scxfarm_vm_boot_seconds_count{"), std::string::npos);
  EXPECT_EQ(text.find("scxfarm_scheduler_attach_seconds{"), std::string::npos);
  EXPECT_NE(text.find(R"(scxfarm_runs_total{kernel="qmap-debug",outcome="boot-failure")"),
            std::string::npos);
}

// A skipped run (the kernel lacks a feature the scenario requires) booted
// nothing: it is counted by outcome and leaves no measurement series.
TEST(MetricsSet, ASkippedRunIsCountedAndMeasuresNothing) {
  MetricsSet set;
  auto run = sample_run();
  run.outcome = results::Outcome::kSkipped;
  set.record(run);
  const auto text = set.to_text();
  EXPECT_NE(text.find(R"(scxfarm_runs_total{kernel=)"), std::string::npos) << text;
  EXPECT_NE(text.find(R"(outcome="skipped")"), std::string::npos) << text;
  for (const char* series :
       {"scxfarm_run_duration_seconds_count{", "scxfarm_vm_boot_seconds_count{",
        "scxfarm_invariant_violations_total{", "scxfarm_sched_ext_events_total{",
        "scxfarm_cids_held{", "scxfarm_churn_operations_total{"})
    EXPECT_EQ(text.find(series), std::string::npos) << series;
}

// A suite of passes and skips succeeded (exit 0, last success); any other
// outcome fails it.
TEST(SuiteRecord, PassesAndSkipsAreAllPassed) {
  SuiteRecord record;
  record.runs = {sample_run(), sample_run()};
  record.runs[0].outcome = results::Outcome::kPass;
  record.runs[1].outcome = results::Outcome::kSkipped;
  EXPECT_TRUE(record.all_passed());
  record.runs[1].outcome = results::Outcome::kInfraError;
  EXPECT_FALSE(record.all_passed());
}

TEST(MetricsSet, SuiteSuccessTimestampOnlyWhenAllPassed) {
  const auto now = std::chrono::system_clock::time_point{std::chrono::seconds(1795000000)};
  MetricsSet failed;
  failed.record_suite("smoke", 1234.5, false, now);
  auto text = failed.to_text();
  EXPECT_TRUE(has_line(text, R"(scxfarm_suite_duration_seconds{suite="smoke"} 1234.5)")) << text;
  EXPECT_EQ(text.find("scxfarm_last_success_timestamp_seconds{"), std::string::npos);

  MetricsSet passed;
  passed.record_suite("smoke", 60, true, now);
  text = passed.to_text();
  EXPECT_TRUE(has_line(text, R"(scxfarm_last_success_timestamp_seconds{suite="smoke"} 1795000000)"))
      << text;
}

TEST(MetricsSet, TextfileIsWrittenAtomically) {
  const auto dir = std::filesystem::path(::testing::TempDir()) /
                   ("metrics_textfile_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const auto path = dir / "scxfarm.prom";
  ASSERT_TRUE(write_file_atomic(path, "old\n").ok());
  struct stat before {};
  ASSERT_EQ(::stat(path.c_str(), &before), 0);

  MetricsSet set;
  set.record(sample_run());
  const auto written = set.write_textfile(path);
  ASSERT_TRUE(written.ok()) << written.error().message;

  auto content = read_file(path);
  ASSERT_TRUE(content.ok());
  EXPECT_EQ(*content, set.to_text());
  // Replaced by rename (a new inode), not rewritten in place where
  // node_exporter could read half of it; no temporary file left behind.
  struct stat after {};
  ASSERT_EQ(::stat(path.c_str(), &after), 0);
  EXPECT_NE(before.st_ino, after.st_ino);
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir),
                          std::filesystem::directory_iterator()),
            1);
  std::filesystem::remove_all(dir);
}

TEST(MetricsSet, TextfileErrorIsReported) {
  MetricsSet set;
  const auto written = set.write_textfile("/nonexistent-dir/scxfarm.prom");
  ASSERT_FALSE(written.ok());
  EXPECT_NE(written.error().message.find("/nonexistent-dir"), std::string::npos);
}

}  // namespace
}  // namespace scxfarm::metrics
