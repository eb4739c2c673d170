// The header of a kernel mutant (configs/kernels/mutants/*.patch): the
// trailers at the end of its commit message that say which promise it breaks
// and which farm checks must catch it. This is their one parser.
//
// A mutant is a mail as `git format-patch` writes it: headers (From, Date,
// Subject, ...), a blank line, the commit message, a line "---", the
// diffstat and the diff. The message's last paragraph holds the trailers,
// `Key: value` lines; the farm reads these:
//   Scxfarm-Breaks: <the promise, one line>                   exactly once
//   Scxfarm-Caught-By: <scenario>: <check>                    one per (scenario, check)
//   Scxfarm-Caught-By: none (waits for <the planned check>)   instead, when no check sees it
// <check> is a spelling of results::Check (results/failure.h). Other trailers
// (Signed-off-by, ...) are left alone; any other Scxfarm-* key is an error.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scxfarm/common/result.h"
#include "scxfarm/config/model.h"
#include "scxfarm/results/failure.h"

namespace scxfarm::oracle {

inline constexpr std::string_view kBreaksKey = "Scxfarm-Breaks";
inline constexpr std::string_view kCaughtByKey = "Scxfarm-Caught-By";

// One "Scxfarm-Caught-By: <scenario>: <check>" trailer.
struct CaughtBy {
  std::string scenario;  // a name under configs/scenarios
  results::Check check = results::Check::kUnclassified;
  size_t line = 0;  // 1-based line of the trailer in the mail

  bool operator==(const CaughtBy&) const = default;
};

struct MutantHeader {
  std::filesystem::path file;       // the mail it was read from
  std::string subject;              // the Subject header, without "[PATCH...]"
  std::string breaks;               // Scxfarm-Breaks
  std::vector<CaughtBy> caught_by;  // in header order; empty when waiting
  // "issue 11 placement auditor" for "none (waits for issue 11 placement
  // auditor)": no check of today's farm sees the break. "" otherwise.
  std::string waits_for;

  bool waiting() const { return caught_by.empty(); }
  // The checks named for SCENARIO, in header order; empty when not named.
  std::vector<results::Check> checks_for(std::string_view scenario) const;
  // The scenarios named, in header order, each once.
  std::vector<std::string> scenarios() const;
};

// Reads the mail at PATH. Every problem is reported, one per line, as
// "FILE:LINE: what is wrong (allowed: ...)", or "FILE: ..." when it has no line.
Result<MutantHeader> parse_mutant_header(const std::filesystem::path& path);
// The same on TEXT, with FILE used in messages.
Result<MutantHeader> parse_mutant_header_text(std::string_view text,
                                              const std::filesystem::path& file);

// Whether TEXT's commit message (before the first "---" line) has a line
// starting with "Scxfarm-": a mail that means to be a mutant, to be parsed.
bool has_mutant_trailers(std::string_view text);

// KERNEL's mutant header: the one patch among its `patches` (a file, or the
// *.patch files of a directory) that carries Scxfarm-* trailers, parsed;
// nullopt for a stock kernel (no such patch). Two such patches, or one that
// does not parse, are errors naming the kernel and the files.
Result<std::optional<MutantHeader>> mutant_header_of(const config::KernelConfig& kernel);

}  // namespace scxfarm::oracle
