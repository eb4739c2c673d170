// The report's three forms: the table (regressions first), the JSON keys CI
// reads, JUnit's testcases, and atomic files.
#include "scxfarm/compare/report_output.h"

#include <gtest/gtest.h>

#include "scxfarm/common/fs.h"
#include "suite_builder.h"

namespace scxfarm::compare {
namespace {

namespace fs = std::filesystem;
using testing::SuiteBuilder;
using testing::temp_dir;

size_t occurrences(const std::string& text, const std::string& part) {
  size_t n = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

// A regression (p99 +20 %), a no change (requests), a not-enough-runs
// (cyclictest max seen in 3 runs only), a new check failure and a check failing on both.
Report sample_report() {
  const std::vector<double> p99 = {1000, 1030, 990, 1010, 1020, 980, 1005, 995, 1015, 1025};
  SuiteBuilder a("wakeup"), b("wakeup");
  for (uint32_t r = 0; r < 10; ++r) {
    auto& base = a.add_run("numa1x4", "wakeup-latency", r);
    auto& cand = b.add_run("numa1x4", "wakeup-latency", r);
    testing::set_metric(base, "probe", "wakeup-probe", "latency_p99", p99[r]);
    testing::set_metric(cand, "probe", "wakeup-probe", "latency_p99", p99[r] * 1.2);
    testing::set_metric(base, "probe", "wakeup-probe", "requests_per_s", 250 + r);
    testing::set_metric(cand, "probe", "wakeup-probe", "requests_per_s", 250 + r);
    if (r < 3) {
      testing::set_metric(base, "<rt> & co", "cyclictest", "max", 100 + r);
      testing::set_metric(cand, "<rt> & co", "cyclictest", "max", 100 + r);
    }
    base.failures.push_back({results::Check::kKernelWarning, "WARNING in ext.c", "",
                             "kernel WARNING: WARNING in ext.c"});
    cand.failures = base.failures;
  }
  b.runs()[4].failures.push_back({results::Check::kPartition, "root/A", "hier 0-3 vs enq 0-1",
                                  "partition root/A: hier 0-3 vs enq 0-1"});
  const auto dir = temp_dir("report");
  EXPECT_TRUE(a.write(dir / "a").ok());
  EXPECT_TRUE(b.write(dir / "b").ok());
  auto pair = load_suite_pair(dir / "a", dir / "b");
  EXPECT_TRUE(pair.ok());
  return compare_suites(*pair, {});
}

TEST(ReportText, RegressionsFirstWithEveryColumn) {
  const auto report = sample_report();
  const std::string text = format_report(report);
  for (const char* column :
       {"metric", "baseline", "candidate", "change", "CI", "q", "MDE", "verdict"})
    EXPECT_NE(text.find(column), std::string::npos) << column;
  const size_t regression = text.find("probe/latency_p99");
  const size_t not_enough = text.find("<rt> & co/max");
  const size_t no_change = text.find("probe/requests_per_s");
  ASSERT_NE(regression, std::string::npos) << text;
  EXPECT_LT(regression, not_enough) << text;
  EXPECT_LT(not_enough, no_change) << text;
  EXPECT_NE(text.find("+20.0 %"), std::string::npos) << text;
  EXPECT_NE(text.find("not enough runs (need "), std::string::npos) << text;
  EXPECT_LT(text.find("partition root/A"), text.find("kernel-warning WARNING in ext.c")) << text;
  EXPECT_NE(text.find("2 regression(s), 0 improvement(s), 0 flaky, 1 not enough runs, 2 no change"),
            std::string::npos)
      << text;
}

TEST(ReportJson, KeysCiReads) {
  const auto report = sample_report();
  const auto j = report_json(report);
  EXPECT_EQ(j["schema_version"], kReportSchemaVersion);
  EXPECT_EQ(j["regression"], true);
  EXPECT_EQ(j["counts"]["regression"], 2);
  EXPECT_EQ(j["counts"]["not-enough-runs"], 1);
  EXPECT_EQ(j["baseline"]["repetitions"], 10);
  EXPECT_EQ(j["options"]["min_effect"], 0.05);
  ASSERT_EQ(j["metrics"].size(), 3u);
  const auto& p99 = j["metrics"][0];
  EXPECT_EQ(p99["metric"], "latency_p99");
  EXPECT_EQ(p99["workload"], "probe");
  EXPECT_EQ(p99["topology"], "numa1x4");
  EXPECT_EQ(p99["unit"], "nanoseconds");
  EXPECT_EQ(p99["better"], "lower");
  EXPECT_EQ(p99["verdict"], "regression");
  EXPECT_EQ(p99["test"], "exact");
  EXPECT_EQ(p99["baseline"]["n"], 10);
  EXPECT_EQ(p99["baseline"]["values"].size(), 10u);
  for (const char* key : {"change", "change_low", "change_high", "p", "q", "mde", "noise",
                          "runs_needed", "min_effect", "shift"})
    EXPECT_TRUE(p99.contains(key)) << key;
  EXPECT_TRUE(p99["q"].is_number());
  const auto& few = j["metrics"][1];
  EXPECT_EQ(few["verdict"], "not-enough-runs");
  EXPECT_TRUE(few["q"].is_null());  // 3 vs 3 runs were not tested
  ASSERT_EQ(j["checks"].size(), 2u);
  EXPECT_EQ(j["checks"][0]["check"], "partition");
  EXPECT_EQ(j["checks"][0]["subject"], "root/A");
  EXPECT_EQ(j["checks"][0]["candidate"]["failed"], 1);
  EXPECT_EQ(j["checks"][0]["baseline"]["runs"], 10);
}

TEST(ReportJunit, OneTestcasePerMetricAndCheck) {
  const auto report = sample_report();
  const std::string xml = report_junit(report);
  EXPECT_EQ(xml.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", 0), 0u);
  EXPECT_NE(xml.find("<testsuites name=\"scxfarm compare\" tests=\"5\" failures=\"2\" errors=\"0\" "
                     "skipped=\"1\">"),
            std::string::npos)
      << xml;
  EXPECT_EQ(occurrences(xml, "<testcase "), 5u);
  EXPECT_EQ(occurrences(xml, "<failure "), 2u);
  EXPECT_EQ(occurrences(xml, "<skipped "), 1u);
  EXPECT_NE(xml.find("<testcase classname=\"numa1x4.wakeup-latency\" name=\"probe/latency_p99\">"),
            std::string::npos)
      << xml;
  // Names are escaped, never raw markup.
  EXPECT_NE(xml.find("name=\"&lt;rt&gt; &amp; co/max\""), std::string::npos) << xml;
  EXPECT_EQ(xml.find("<rt>"), std::string::npos);
}

TEST(ReportFiles, WrittenAtomicallyAndReadBack) {
  const auto report = sample_report();
  const auto dir = temp_dir("report-files");
  ASSERT_TRUE(write_report_json(dir / "compare.json", report).ok());
  ASSERT_TRUE(write_report_junit(dir / "compare.xml", report).ok());
  EXPECT_EQ(nlohmann::json::parse(read_file(dir / "compare.json").value()), report_json(report));
  EXPECT_EQ(read_file(dir / "compare.xml").value(), report_junit(report));
  size_t files = 0;
  for (const auto& entry : fs::directory_iterator(dir)) files += entry.is_regular_file();
  EXPECT_EQ(files, 2u);  // no temporary left behind
  EXPECT_FALSE(write_report_json(dir / "missing-dir" / "compare.json", report).ok());
}

}  // namespace
}  // namespace scxfarm::compare
