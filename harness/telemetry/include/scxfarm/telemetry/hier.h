// Parser for the "hier   :" lines scx_qmap (kernel 7.3) prints to stdout
// every -i seconds, root and sub-scheduler alike:
//
//   hier   : nsub=1 excl=0 shared=- rr=sub0 reenq cap/immed +0/+0 inj=+3 rescue=+0
//   hier   :          cgroup    w  alloc   disp/s  cids
//   hier   : self          1  100  50.00        -  0-3
//   hier   : sub0       4242  100  50.00    120.5  4-7
//
// Counts after '+' are per-interval deltas, not cumulative.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scxfarm/common/result.h"
#include "scxfarm/telemetry/cid_set.h"

namespace scxfarm::telemetry {

struct HierRow {
  std::string who;  // "self", "sub0", "sub1", ...
  uint64_t cgroup_id = 0;
  uint32_t weight = 0;
  double alloc = 0;                  // percent of the parent's cids
  std::optional<double> disp_per_s;  // nullopt for "self" ("-")
  CidSet cids;
  bool cids_truncated = false;  // qmap cut the list ("..."): cids is a subset of the truth
};

struct HierInterval {
  uint64_t nsub = 0;
  uint32_t excl = 0;
  CidSet shared;
  bool shared_truncated = false;
  std::string rr;          // "-", "self", "subN", "?"
  uint64_t reenq_cap = 0;  // deltas over this interval
  uint64_t reenq_immed = 0;
  uint64_t inject_attempts = 0;  // "inj=+N"
  uint64_t rescue = 0;
  std::vector<HierRow> rows;  // in print order; "self" first
};

// Single-line parsers (the part after "hier   :" or the whole line). A list
// ending in "..." parses: the possibly-cut last element is dropped and the
// *_truncated flag set.
Result<HierInterval> parse_hier_summary(std::string_view line);
Result<HierRow> parse_hier_row(std::string_view line);

// Streaming parser for one qmap's stdout. Feed every line (with or without
// its newline); an interval is returned when it completes: at the next
// summary line, at a "----" separator, or at any other non-hier line after
// its rows. Call flush() at the end of the stream for the last one.
class HierParser {
 public:
  std::optional<HierInterval> feed(std::string_view line);
  std::optional<HierInterval> flush();

  // Hier lines that did not parse, or rows/headers outside an interval.
  size_t malformed_lines() const { return malformed_; }
  // Lines whose cid lists qmap truncated with "..." (kept, flagged).
  size_t truncated_lines() const { return truncated_; }
  // Up to kMaxWarnings descriptions of malformed and truncated lines, oldest first.
  static constexpr size_t kMaxWarnings = 32;
  const std::vector<std::string>& warnings() const { return warnings_; }

 private:
  void warn(std::string text);

  std::optional<HierInterval> pending_;
  size_t malformed_ = 0;
  size_t truncated_ = 0;
  std::vector<std::string> warnings_;
};

}  // namespace scxfarm::telemetry
