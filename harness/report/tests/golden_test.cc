// Walks the golden corpus: every file under testdata/console is a real
// console log behind a header of "# expect: ..." lines, the classifier's
// expected output. SCXFARM_UPDATE_GOLDEN=1 rewrites the expect lines from the
// current output (other "# " header lines are kept) instead of comparing,
// and fails unless SCXFARM_UPDATE_GOLDEN_INTENDED=1 (testing/golden.h).
#include "testing/golden.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "scxfarm/report/report.h"

namespace scxfarm::report {
namespace {

namespace fs = std::filesystem;

struct GoldenFile {
  std::vector<std::string> expect;        // "# expect: ..." lines
  std::vector<std::string> other_header;  // "# source: ...", "# trimmed: ..."
  std::string console;                    // everything after the header
};

GoldenFile read_golden(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string text = buffer.str();
  GoldenFile g;
  size_t pos = 0;
  while (pos < text.size() && text.compare(pos, 2, "# ") == 0) {
    size_t nl = text.find('\n', pos);
    std::string line = text.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    (line.rfind("# expect:", 0) == 0 ? g.expect : g.other_header).push_back(line);
    pos = nl == std::string::npos ? text.size() : nl + 1;
  }
  g.console = text.substr(pos);
  return g;
}

std::string quoted(const std::string& s) {
  return "\"" + s + "\"";
}

std::vector<std::string> expect_lines(const std::vector<Report>& reports) {
  std::vector<std::string> out;
  for (const Report& r : reports) {
    std::string line = "# expect: " + std::string(to_string(r.kind)) + " " + quoted(r.title);
    if (!r.function.empty()) line += " function=" + r.function;
    if (!r.reason.empty()) line += " reason=" + quoted(r.reason);
    line += " lines=" + std::to_string(r.start_line) + "-" + std::to_string(r.end_line);
    if (r.truncated) line += " truncated";
    out.push_back(line);
  }
  if (out.empty()) out.push_back("# expect: none");
  return out;
}

std::vector<fs::path> corpus_files() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(SCXFARM_REPORT_CORPUS_DIR))
    if (entry.is_regular_file() && entry.path().extension() == ".log")
      files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

TEST(GoldenCorpus, EveryLogClassifiesAsExpected) {
  const bool update = golden::update_requested();
  std::vector<std::string> rewritten;
  std::vector<fs::path> files = corpus_files();
  if (!update) {
    EXPECT_GE(files.size(), 12u) << "corpus at " << SCXFARM_REPORT_CORPUS_DIR;
  }
  for (const fs::path& path : files) {
    SCOPED_TRACE(path.filename().string());
    GoldenFile g = read_golden(path);
    std::vector<Report> reports = classify_console(g.console);
    std::vector<std::string> actual = expect_lines(reports);
    if (update) {
      std::ofstream out(path, std::ios::binary | std::ios::trunc);
      for (const std::string& l : actual) out << l << "\n";
      for (const std::string& l : g.other_header) out << l << "\n";
      out << g.console;
      rewritten.push_back(path.filename().string());
      continue;
    }
    EXPECT_EQ(g.expect, actual);
    for (const Report& r : reports) {
      EXPECT_LE(r.start_line, r.end_line);
      EXPECT_LE(r.excerpt.size(), kMaxExcerptLines);
      EXPECT_FALSE(r.excerpt.empty());
    }
  }
  if (update) {
    const std::string failure = golden::update_failure(rewritten);
    if (!failure.empty()) ADD_FAILURE() << failure;
  }
}

std::vector<Report> classify_file(const std::string& name) {
  return classify_console(read_golden(fs::path(SCXFARM_REPORT_CORPUS_DIR) / name).console);
}

// The same crash captured in separate boots (different timestamps, PIDs,
// CPUs, KASLR offsets) must give one signature.
TEST(GoldenCorpus, RepeatedRealCrashesShareASignature) {
  const std::vector<std::pair<std::string, std::string>> same_crash = {
      {"panic-sysrq-crash.log", "unexpected-reboot-after-panic.log"},
      {"sched-ext-dispatch-loop.log", "sched-ext-dispatch-loop-rcu-timeout-3s.log"},
      {"sched-ext-stall-kthreads.log", "sched-ext-stall-kthread-every-2nd.log"},
      {"sched-ext-scx-bpf-error.log", "sched-ext-scx-bpf-error-8cpu-multithread.log"},
  };
  for (const auto& [a, b] : same_crash) {
    SCOPED_TRACE(a + " vs " + b);
    std::vector<Report> ra = classify_file(a), rb = classify_file(b);
    ASSERT_FALSE(ra.empty());
    ASSERT_FALSE(rb.empty());
    EXPECT_EQ(ra[0].signature(), rb[0].signature());
    EXPECT_NE(ra[0].excerpt, rb[0].excerpt);  // really different captures
  }
  std::vector<Report> ooms = classify_file("oom-kill-stress-ng-vm.log");
  ASSERT_GE(ooms.size(), 2u);
  for (const Report& r : ooms) EXPECT_EQ(r.signature(), ooms[0].signature());
}

// Consoles cut anywhere (a VM killed mid-print) must classify cleanly, and a
// report cut before its end says so.
TEST(GoldenCorpus, EveryPrefixOfEveryLogClassifiesConsistently) {
  for (const fs::path& path : corpus_files()) {
    SCOPED_TRACE(path.filename().string());
    const std::string console = read_golden(path).console;
    size_t lines = 0;
    for (size_t cut = console.find('\n'); cut != std::string::npos;
         cut = console.find('\n', cut + 1)) {
      ++lines;
      std::vector<Report> reports = classify_console(std::string_view(console).substr(0, cut));
      for (const Report& r : reports) {
        ASSERT_GE(r.start_line, 1u);
        ASSERT_LE(r.start_line, r.end_line);
        ASSERT_LE(r.end_line, lines);
      }
    }
  }
  std::string oops =
      read_golden(fs::path(SCXFARM_REPORT_CORPUS_DIR) / "oops-int3-tcg-multithread.log").console;
  size_t mid_trace = oops.find("cpu_startup_entry");
  ASSERT_NE(mid_trace, std::string::npos);
  std::vector<Report> cut = classify_console(std::string_view(oops).substr(0, mid_trace));
  ASSERT_EQ(cut.size(), 1u);
  EXPECT_EQ(cut[0].kind, Kind::kOops);
  EXPECT_TRUE(cut[0].truncated);
  EXPECT_EQ(cut[0].signature(), classify_console(oops)[0].signature());
}

TEST(GoldenCorpus, CoversEightKinds) {
  std::vector<std::string> kinds;
  for (const fs::path& path : corpus_files()) {
    for (const std::string& l : read_golden(path).expect) {
      std::string kind = l.substr(10, l.find(' ', 10) - 10);
      if (kind != "none" && std::find(kinds.begin(), kinds.end(), kind) == kinds.end())
        kinds.push_back(kind);
    }
  }
  EXPECT_GE(kinds.size(), 8u);
}

}  // namespace
}  // namespace scxfarm::report
