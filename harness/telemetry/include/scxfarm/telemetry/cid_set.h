// CidSet: a set of sched_ext cids (CPU ids as the kernel delegates them to
// sub-schedulers), in the kernel's bitmap-list text form "0-3,8,10-11".
// It is the farm's one cpulist type: topology cpulists, QEMU's -numa cpus=
// ranges and taskset lists are parsed and formatted here too.
//
// This library is compiled by the host (g++ 12) and by the guest agent
// (g++ 14, which compiles src/*.cc directly): it may use only the C++20
// standard library and the header-only scxfarm/common/{result,text}.h.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scxfarm/common/result.h"

namespace scxfarm::telemetry {

// One element of a cpulist: "8" (first == last) or "0-3".
struct CidRange {
  uint32_t first = 0;
  uint32_t last = 0;
  bool operator==(const CidRange&) const = default;
};

// Parses one element, "N" or "N-M", in decimal: no sign, no "0x". Kernel
// text never has blanks inside an element; hand-written lists may ("0 - 3",
// " 8"), so ALLOW_BLANKS ignores spaces around each number. Order and limits
// are not checked: callers word those errors for their own readers.
std::optional<CidRange> parse_cid_range(std::string_view element, bool allow_blanks = false);
// "8" or "0-3".
std::string to_string(const CidRange& range);

class CidSet {
 public:
  // The largest cid accepted; real machines have far fewer, so anything
  // larger in sysfs or qmap output is corruption, not a big machine.
  static constexpr uint32_t kMaxCid = 65535;

  CidSet() = default;

  // Parses a kernel bitmap list ("%*pbl"): "0-3,8,10-11". "" and "-" (qmap's
  // spelling) are the empty set; surrounding whitespace is ignored. Rejects
  // reversed ranges ("3-1"), non-numbers, empty elements ("1,,2", "1,") and
  // cids above kMaxCid. Overlapping or unordered elements are accepted.
  static Result<CidSet> parse(std::string_view list);
  // [first, last], inclusive. Aborts when first > last or last > kMaxCid.
  static CidSet range(uint32_t first, uint32_t last);
  // IDS in any order, repeats allowed. Aborts when an id is above kMaxCid
  // (a caller bug: text input goes through parse).
  static CidSet of(const std::vector<uint32_t>& ids);

  bool contains(uint32_t cid) const;
  size_t count() const;
  bool empty() const { return words_.empty(); }

  bool is_subset_of(const CidSet& other) const;
  // The cids in this set that are not in OTHER.
  CidSet minus(const CidSet& other) const;

  // Canonical bitmap list, ascending, maximal ranges: "0-3,8"; "" when empty.
  std::string to_string() const;
  // The maximal ranges of to_string, ascending (QEMU takes one per cpus=).
  std::vector<CidRange> ranges() const;
  std::vector<uint32_t> cids() const;

  // Aborts when cid > kMaxCid (a caller bug: text input goes through parse).
  void insert(uint32_t cid);

  bool operator==(const CidSet& other) const { return words_ == other.words_; }
  bool operator!=(const CidSet& other) const { return !(*this == other); }

 private:
  void insert_range(uint32_t first, uint32_t last);  // both <= kMaxCid, first <= last
  void trim();  // drops trailing zero words so equal sets compare equal

  std::vector<uint64_t> words_;  // bit (cid % 64) of words_[cid / 64]
};

}  // namespace scxfarm::telemetry
