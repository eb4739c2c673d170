// The mutant header parser: a good header in each form, and every error it
// names (file, line, the allowed values).
#include "scxfarm/oracle/mutant_header.h"

#include <gtest/gtest.h>

#include "fake_suite.h"
#include "scxfarm/common/fs.h"

namespace scxfarm::oracle {
namespace {

namespace fs = std::filesystem;
using results::Check;
using testing::mail;

constexpr const char* kFile = "mutants/x.patch";
// Message lines start at line 7 of testing::mail (5 header lines, a blank one).
constexpr size_t kFirstLine = 7;

Result<MutantHeader> parse(const std::vector<std::string>& message) {
  return parse_mutant_header_text(mail(message), kFile);
}

std::string error_of(const std::vector<std::string>& message) {
  auto header = parse(message);
  EXPECT_FALSE(header.ok());
  return header ? "" : header.error().message;
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST(MutantHeader, ReadsBreaksAndCaughtByFromTheTrailerBlock) {
  auto header = parse({"Kernel mutant. Not for merging.", "", "Prose: with a colon.", "",
                       "Scxfarm-Breaks: grants hand over what the parent holds",
                       "Scxfarm-Caught-By: smoke-nested: caps-change",
                       "Scxfarm-Caught-By: weight-churn: caps-change",
                       "Scxfarm-Caught-By:  weight-churn :  liveness ",
                       "Signed-off-by: A Developer <a@example.org>", ""});
  ASSERT_TRUE(header.ok()) << header.error().message;
  EXPECT_EQ(header->file, fs::path(kFile));
  EXPECT_EQ(header->subject, "sched_ext: mutant: narrow grants by the child's caps");
  EXPECT_EQ(header->breaks, "grants hand over what the parent holds");
  EXPECT_FALSE(header->waiting());
  ASSERT_EQ(header->caught_by.size(), 3u);
  EXPECT_EQ(header->caught_by[0], (CaughtBy{"smoke-nested", Check::kCapsChange, kFirstLine + 5}));
  EXPECT_EQ(header->caught_by[2], (CaughtBy{"weight-churn", Check::kLiveness, kFirstLine + 7}));
  EXPECT_EQ(header->checks_for("weight-churn"),
            (std::vector<Check>{Check::kCapsChange, Check::kLiveness}));
  EXPECT_TRUE(header->checks_for("nested-basic").empty());
  EXPECT_EQ(header->scenarios(), (std::vector<std::string>{"smoke-nested", "weight-churn"}));
}

TEST(MutantHeader, NoneWaitsForAPlannedCheck) {
  auto header = parse({"Why no check sees it.", "", "Scxfarm-Breaks: a revoke evicts",
                       "Scxfarm-Caught-By: none (waits for issue 11 placement auditor)"});
  ASSERT_TRUE(header.ok()) << header.error().message;
  EXPECT_TRUE(header->waiting());
  EXPECT_EQ(header->waits_for, "issue 11 placement auditor");
  EXPECT_TRUE(header->scenarios().empty());
}

TEST(MutantHeader, UnknownScxfarmKeyNamesLineAndAllowedKeys) {
  const auto error = error_of({"Scxfarm-Breaks: p", "Scxfarm-Caught-By: smoke-nested: exits",
                               "Scxfarm-Cought-By: smoke-nested: exits"});
  EXPECT_EQ(error,
            "mutants/x.patch:9: unknown trailer 'Scxfarm-Cought-By' (allowed: "
            "Scxfarm-Breaks, Scxfarm-Caught-By)");
}

TEST(MutantHeader, CaughtByWithoutScenarioAndCheckIsAnError) {
  for (const std::string value :
       {"caps-change", "smoke-nested:", ": caps-change", "smoke nested: caps-change", "none",
        "none (waits for )", "none (waits for issue 11"}) {
    const auto error = error_of({"Scxfarm-Breaks: p", "Scxfarm-Caught-By: " + value});
    EXPECT_TRUE(contains(error, "mutants/x.patch:8: Scxfarm-Caught-By '" + value +
                                    "': expected '<scenario>: <check>', or 'none (waits for "
                                    "...)'"))
        << value << ": " << error;
  }
}

TEST(MutantHeader, AnUnknownCheckListsTheCheckVocabulary) {
  const auto error = error_of({"Scxfarm-Breaks: p", "Scxfarm-Caught-By: smoke-nested: subset"});
  EXPECT_TRUE(contains(error,
                       "mutants/x.patch:8: Scxfarm-Caught-By 'smoke-nested: subset': "
                       "unknown check 'subset' (allowed: samples, attach, churn, "
                       "run-phase, caps-change, exits, eviction, liveness, partition, "
                       "injection, invariants, topology, kernel-warning, "
                       "workload-output)"))
      << error;
  // unclassified is a spelling of Check, but no check the runner makes.
  EXPECT_TRUE(contains(error_of({"Scxfarm-Breaks: p",
                                 "Scxfarm-Caught-By: smoke-nested: "
                                 "unclassified"}),
                       "unknown check 'unclassified'"));
}

TEST(MutantHeader, BreaksAndCaughtByAreRequiredOnceEach) {
  EXPECT_EQ(error_of({"Scxfarm-Caught-By: smoke-nested: exits"}),
            "mutants/x.patch: no Scxfarm-Breaks trailer (the promise the mutant breaks, one "
            "line)");
  EXPECT_EQ(error_of({"Scxfarm-Breaks: p"}),
            "mutants/x.patch: no Scxfarm-Caught-By trailer (allowed: '<scenario>: <check>', or "
            "'none (waits for ...)')");
  EXPECT_EQ(error_of({"Scxfarm-Breaks: p", "Scxfarm-Breaks: q",
                      "Scxfarm-Caught-By: smoke-nested: exits"}),
            "mutants/x.patch:8: Scxfarm-Breaks given twice (first on line 7): a mutant breaks "
            "one promise");
  EXPECT_EQ(error_of({"Scxfarm-Breaks:", "Scxfarm-Caught-By: smoke-nested: exits"}),
            "mutants/x.patch:7: Scxfarm-Breaks has no value");
  EXPECT_TRUE(
      contains(error_of({"Scxfarm-Breaks: p", "Scxfarm-Caught-By: smoke-nested: exits",
                         "Scxfarm-Caught-By: smoke-nested: exits"}),
               "mutants/x.patch:9: Scxfarm-Caught-By 'smoke-nested: exits' repeats line 8"));
}

TEST(MutantHeader, NoneBesideScenariosIsAnError) {
  EXPECT_TRUE(contains(error_of({"Scxfarm-Breaks: p", "Scxfarm-Caught-By: smoke-nested: exits",
                                 "Scxfarm-Caught-By: none (waits for issue 12)"}),
                       "mutants/x.patch:8: Scxfarm-Caught-By: scenarios named beside 'none "
                       "(waits for ...)': one or the other"));
}

TEST(MutantHeader, ScxfarmLinesOutsideTheLastParagraphAreErrors) {
  const auto error = error_of({"Scxfarm-Breaks: p", "", "Scxfarm-Caught-By: smoke-nested: exits"});
  EXPECT_TRUE(contains(error,
                       "mutants/x.patch:7: 'Scxfarm-Breaks: p' is outside the trailer "
                       "block (the commit message's last paragraph)"))
      << error;
}

TEST(MutantHeader, NotAMailIsAnError) {
  auto no_subject = parse_mutant_header_text("diff --git a/x b/x\n", kFile);
  ASSERT_FALSE(no_subject.ok());
  EXPECT_TRUE(contains(no_subject.error().message, "mutants/x.patch: no 'Subject:' header"));
  auto no_dashes = parse_mutant_header_text(
      "From: a\nSubject: x\n\nScxfarm-Breaks: p\nScxfarm-Caught-By: smoke-nested: exits\n", kFile);
  ASSERT_FALSE(no_dashes.ok());
  EXPECT_TRUE(contains(no_dashes.error().message,
                       "mutants/x.patch: no '---' line ending the commit message"));
}

TEST(MutantHeader, ReadsTheFileAndNamesAMissingOne) {
  const auto dir = testing::temp_dir("header");
  ASSERT_TRUE(write_file_atomic(dir / "m.patch", mail({"Scxfarm-Breaks: p",
                                                       "Scxfarm-Caught-By: smoke-nested: exits"}))
                  .ok());
  auto header = parse_mutant_header(dir / "m.patch");
  ASSERT_TRUE(header.ok()) << header.error().message;
  EXPECT_EQ(header->caught_by.at(0).check, Check::kExits);
  auto missing = parse_mutant_header(dir / "nope.patch");
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(contains(missing.error().message, (dir / "nope.patch").string()));
}

TEST(MutantHeader, AKernelIsAMutantByItsPatchesTrailers) {
  const auto dir = testing::temp_dir("kernel");
  const std::string mutant = mail({"Scxfarm-Breaks: p", "Scxfarm-Caught-By: smoke-nested: exits"});
  const std::string plain = mail({"An ordinary fix.", "", "Signed-off-by: A <a@example.org>"});
  ASSERT_TRUE(write_file_atomic(dir / "plain.patch", plain).ok());
  ASSERT_TRUE(write_file_atomic(dir / "mutant.patch", mutant).ok());
  ASSERT_TRUE(ensure_dir(dir / "series").ok());
  ASSERT_TRUE(write_file_atomic(dir / "series" / "0001-fix.patch", plain).ok());
  ASSERT_TRUE(write_file_atomic(dir / "series" / "0002-mutant.patch", mutant).ok());

  config::KernelConfig stock{.name = "stock"};
  EXPECT_FALSE(mutant_header_of(stock).value().has_value());
  config::KernelConfig fixed{.name = "fixed", .patches = {dir / "plain.patch"}};
  EXPECT_FALSE(mutant_header_of(fixed).value().has_value());
  config::KernelConfig one{.name = "one", .patches = {dir / "plain.patch", dir / "mutant.patch"}};
  auto header = mutant_header_of(one);
  ASSERT_TRUE(header.ok()) << header.error().message;
  ASSERT_TRUE(header->has_value());
  EXPECT_EQ((*header)->file, dir / "mutant.patch");
  config::KernelConfig series{.name = "series", .patches = {dir / "series"}};
  EXPECT_EQ(mutant_header_of(series).value()->file, dir / "series" / "0002-mutant.patch");

  config::KernelConfig two{.name = "two", .patches = {dir / "mutant.patch", dir / "series"}};
  auto both = mutant_header_of(two);
  ASSERT_FALSE(both.ok());
  EXPECT_TRUE(contains(both.error().message, "kernel two: two mutant patches"));

  ASSERT_TRUE(write_file_atomic(dir / "bad.patch", mail({"Scxfarm-Breaks: p"})).ok());
  config::KernelConfig bad{.name = "bad", .patches = {dir / "bad.patch"}};
  auto broken = mutant_header_of(bad);
  ASSERT_FALSE(broken.ok());
  EXPECT_TRUE(contains(broken.error().message,
                       (dir / "bad.patch").string() + ": no Scxfarm-Caught-By trailer"));
}

}  // namespace
}  // namespace scxfarm::oracle
