#include "cpulist.h"

#include <algorithm>
#include <charconv>
#include <set>

namespace scxfarm::config::detail {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

bool parse_id(std::string_view s, uint32_t& out) {
  s = trim(s);
  if (s.empty() || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return false;
  }
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size();
}

}  // namespace

Result<std::vector<uint32_t>> parse_cpulist(std::string_view text, uint32_t max_id) {
  std::vector<uint32_t> ids;
  std::set<uint32_t> seen;
  if (trim(text).empty()) return ids;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    std::string_view part = text.substr(start, comma - start);
    start = comma + 1;
    size_t dash = part.find('-');
    uint32_t first = 0, last = 0;
    bool ok = dash == std::string_view::npos
                  ? parse_id(part, first) && (last = first, true)
                  : parse_id(part.substr(0, dash), first) && parse_id(part.substr(dash + 1), last);
    if (!ok) {
      return make_error("'" + std::string(trim(part)) +
                        "' is not a cpu id or range (expected a cpulist like \"0-3,8\")");
    }
    if (first > last) {
      return make_error("range '" + std::string(trim(part)) + "' runs backwards");
    }
    if (last > max_id) {
      return make_error("cpu " + std::to_string(last) + " is above the limit " +
                        std::to_string(max_id));
    }
    for (uint32_t id = first; id <= last; ++id) {
      if (!seen.insert(id).second) {
        return make_error("cpu " + std::to_string(id) + " is listed twice");
      }
      ids.push_back(id);
    }
  }
  return ids;
}

std::string format_cpulist(std::vector<uint32_t> ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::string out;
  for (size_t i = 0; i < ids.size();) {
    size_t j = i;
    while (j + 1 < ids.size() && ids[j + 1] == ids[j] + 1) ++j;
    if (!out.empty()) out += ',';
    out += std::to_string(ids[i]);
    if (j > i) out += '-' + std::to_string(ids[j]);
    i = j + 1;
  }
  return out;
}

}  // namespace scxfarm::config::detail
