#include "scxfarm/telemetry/cid_set.h"

#include <algorithm>
#include <bit>
#include <cstdlib>

#include "scxfarm/common/text.h"

namespace scxfarm::telemetry {

namespace {
constexpr uint32_t kWordBits = 64;

Error list_error(std::string_view list, const std::string& why) {
  return make_error("cid list " + text::quoted(list) + ": " + why);
}
}  // namespace

std::optional<CidRange> parse_cid_range(std::string_view element, bool allow_blanks) {
  const auto number = [&](std::string_view s) {
    return text::parse_unsigned<uint32_t>(allow_blanks ? text::trim(s, " ") : s);
  };
  const size_t dash = element.find('-');
  const auto first = number(element.substr(0, dash));
  const auto last = dash == std::string_view::npos ? first : number(element.substr(dash + 1));
  if (!first || !last) return std::nullopt;
  return CidRange{*first, *last};
}

std::string to_string(const CidRange& range) {
  std::string out = std::to_string(range.first);
  if (range.last != range.first) out += '-' + std::to_string(range.last);
  return out;
}

Result<CidSet> CidSet::parse(std::string_view list) {
  const std::string_view body = text::trim(list);
  CidSet set;
  if (body.empty() || body == "-") return set;
  for (const std::string_view element : text::split(body, ',')) {
    if (element.empty()) return list_error(body, "empty element");
    const auto range = parse_cid_range(element);
    if (!range) return list_error(body, "bad element " + text::quoted(element));
    if (range->first > kMaxCid || range->last > kMaxCid) {
      return list_error(body,
                        "cid above " + std::to_string(kMaxCid) + " in " + text::quoted(element));
    }
    if (range->first > range->last) {
      return list_error(body, "reversed range " + text::quoted(element));
    }
    set.insert_range(range->first, range->last);
  }
  return set;
}

CidSet CidSet::range(uint32_t first, uint32_t last) {
  if (first > last || last > kMaxCid) std::abort();  // caller bug
  CidSet set;
  set.insert_range(first, last);
  return set;
}

void CidSet::insert_range(uint32_t first, uint32_t last) {
  const size_t need = last / kWordBits + 1;
  if (words_.size() < need) words_.resize(need, 0);
  for (uint32_t w = first / kWordBits; w <= last / kWordBits; ++w) {
    const uint32_t lo = w == first / kWordBits ? first % kWordBits : 0;
    const uint32_t hi = w == last / kWordBits ? last % kWordBits : kWordBits - 1;
    const uint64_t upto_hi = hi == kWordBits - 1 ? ~uint64_t{0} : (uint64_t{1} << (hi + 1)) - 1;
    words_[w] |= upto_hi & ~((uint64_t{1} << lo) - 1);
  }
}

bool CidSet::contains(uint32_t cid) const {
  const size_t w = cid / kWordBits;
  return w < words_.size() && (words_[w] >> (cid % kWordBits)) & 1;
}

size_t CidSet::count() const {
  size_t n = 0;
  for (uint64_t word : words_) n += static_cast<size_t>(std::popcount(word));
  return n;
}

bool CidSet::is_subset_of(const CidSet& other) const {
  for (size_t w = 0; w < words_.size(); ++w) {
    const uint64_t theirs = w < other.words_.size() ? other.words_[w] : 0;
    if (words_[w] & ~theirs) return false;
  }
  return true;
}

CidSet CidSet::minus(const CidSet& other) const {
  CidSet out = *this;
  const size_t n = std::min(out.words_.size(), other.words_.size());
  for (size_t w = 0; w < n; ++w) out.words_[w] &= ~other.words_[w];
  out.trim();
  return out;
}

CidSet CidSet::of(const std::vector<uint32_t>& ids) {
  CidSet set;
  for (uint32_t id : ids) set.insert(id);
  return set;
}

std::string CidSet::to_string() const {
  std::string out;
  for (const CidRange& range : ranges()) {
    if (!out.empty()) out += ',';
    out += telemetry::to_string(range);
  }
  return out;
}

std::vector<CidRange> CidSet::ranges() const {
  std::vector<CidRange> out;
  for (uint32_t cid : cids()) {
    if (!out.empty() && out.back().last + 1 == cid) {
      out.back().last = cid;
    } else {
      out.push_back({cid, cid});
    }
  }
  return out;
}

std::vector<uint32_t> CidSet::cids() const {
  std::vector<uint32_t> out;
  out.reserve(count());
  for (size_t w = 0; w < words_.size(); ++w) {
    uint64_t word = words_[w];
    while (word) {
      const int bit = std::countr_zero(word);
      out.push_back(static_cast<uint32_t>(w * kWordBits + static_cast<size_t>(bit)));
      word &= word - 1;
    }
  }
  return out;
}

void CidSet::insert(uint32_t cid) {
  if (cid > kMaxCid) std::abort();  // caller bug: text input goes through parse()
  insert_range(cid, cid);
}

void CidSet::trim() {
  while (!words_.empty() && words_.back() == 0) words_.pop_back();
}

}  // namespace scxfarm::telemetry
