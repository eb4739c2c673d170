#include "fake_suite.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "scxfarm/common/fs.h"

namespace fs = std::filesystem;

namespace scxfarm::oracle::testing {

fs::path temp_dir(const std::string& name) {
  const fs::path dir = fs::path(::testing::TempDir()) /
                       ("scxfarm-oracle-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

results::RunSummary& FakeSuite::add(const std::string& kernel, const std::string& scenario,
                                    results::Outcome outcome,
                                    std::initializer_list<results::Check> checks) {
  results::RunSummary run;
  const size_t index = record_.runs.size();
  run.run_id = (index < 10 ? "0" : "") + std::to_string(index) + "-" + kernel + "-numa2x4-" +
               scenario + "-r0";
  run.suite = record_.suite;
  run.kernel = kernel;
  run.topology = "numa2x4";
  run.scenario = scenario;
  run.outcome = outcome;
  run.reason = outcome == results::Outcome::kPass ? "all checks held" : "it broke";
  for (const auto check : checks) {
    const std::string name(results::to_string(check));
    run.failures.push_back(
        {check, "root/A", name + " broke", name + ": root/A " + name + " broke"});
  }
  if (!run.failures.empty()) run.reason = run.failures.front().text;
  record_.runs.push_back(run);
  return record_.runs.back();
}

Status FakeSuite::write(const fs::path& dir) const {
  if (auto made = ensure_dir(dir); !made) return made;
  for (const auto& run : record_.runs) {
    if (auto made = ensure_dir(dir / run.run_id); !made) return made;
    if (auto written = results::write_run_json(dir / run.run_id, run); !written) return written;
  }
  return results::write_suite_json(dir, record_);
}

std::string mail(const std::vector<std::string>& message) {
  std::string out =
      "From 5534ec3d07f8611846e11db54620954b5cf9c5de Mon Sep 17 00:00:00 2001\n"
      "From: scxfarm <farm@example.org>\n"
      "Date: Tue, 1 Dec 2026 06:23:34 +0000\n"
      "Subject: [PATCH] sched_ext: mutant: narrow grants\n"
      " by the child's caps\n"
      "\n";
  for (const auto& line : message) out += line + "\n";
  out +=
      "---\n"
      " kernel/sched/ext/sub.c | 2 +-\n"
      " 1 file changed, 1 insertion(+), 1 deletion(-)\n"
      "\n"
      "diff --git a/kernel/sched/ext/sub.c b/kernel/sched/ext/sub.c\n"
      "--- a/kernel/sched/ext/sub.c\n"
      "+++ b/kernel/sched/ext/sub.c\n"
      "@@ -1,1 +1,1 @@\n"
      "-Scxfarm-Breaks: in the diff, not a trailer\n"
      "+x\n"
      "-- \n"
      "2.39.5\n";
  return out;
}

}  // namespace scxfarm::oracle::testing
