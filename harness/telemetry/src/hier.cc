#include "scxfarm/telemetry/hier.h"

#include <utility>

#include "scxfarm/common/text.h"

namespace scxfarm::telemetry {

namespace {

constexpr std::string_view kEllipsis = "...";

std::string_view strip_newline(std::string_view line) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  return line;
}

// The text after "hier   :", or nullopt when LINE is not a hier line.
std::optional<std::string_view> hier_body(std::string_view line) {
  if (line.substr(0, 4) != "hier") return std::nullopt;
  line.remove_prefix(4);
  while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
  if (line.empty() || line.front() != ':') return std::nullopt;
  return line.substr(1);
}

// The body of LINE if it is a hier line, else LINE itself (callers may pass either).
std::string_view body_of(std::string_view line) {
  line = strip_newline(line);
  const auto body = hier_body(line);
  return body ? *body : line;
}

struct ParsedList {
  CidSet cids;
  bool truncated = false;
};

// qmap cuts long lists and appends "...": the element before it may be cut
// mid-number ("8-1" for "8-15"), so it is dropped and what remains is a
// subset of the real list.
Result<ParsedList> parse_list(std::string_view text) {
  ParsedList out;
  if (text.size() >= kEllipsis.size() && text.substr(text.size() - kEllipsis.size()) == kEllipsis) {
    out.truncated = true;
    text.remove_suffix(kEllipsis.size());
    const size_t comma = text.rfind(',');
    text = comma == std::string_view::npos ? std::string_view() : text.substr(0, comma);
  }
  auto cids = CidSet::parse(text);
  if (!cids) return cids.error();
  out.cids = std::move(cids).value();
  return out;
}

// VALUE in "KEY VALUE" form: the rest of TOKEN after KEY, or nullopt.
std::optional<std::string_view> after_key(std::string_view token, std::string_view key) {
  if (token.substr(0, key.size()) != key) return std::nullopt;
  return token.substr(key.size());
}

template <typename T>
std::optional<T> keyed_unsigned(std::string_view token, std::string_view key) {
  const auto value = after_key(token, key);
  if (!value) return std::nullopt;
  return text::parse_unsigned<T>(*value);
}

Error hier_error(std::string_view body, const std::string& why) {
  return make_error("hier line " + text::quoted(text::trim(body)) + ": " + why);
}

bool is_row_name(std::string_view who) {
  if (who == "self") return true;
  const auto index = after_key(who, "sub");
  return index && text::parse_unsigned<uint32_t>(*index).has_value();
}

}  // namespace

Result<HierInterval> parse_hier_summary(std::string_view line) {
  const std::string_view body = body_of(line);
  const auto t = text::tokens(body);
  // nsub= excl= shared= rr= reenq cap/immed +A/+B inj=+N rescue=+N
  if (t.size() != 9 || t[4] != "reenq" || t[5] != "cap/immed") {
    return hier_error(body,
                      "expected 'nsub=N excl=N shared=L rr=R reenq cap/immed +N/+N "
                      "inj=+N rescue=+N'");
  }
  HierInterval interval;
  const auto nsub = keyed_unsigned<uint64_t>(t[0], "nsub=");
  const auto excl = keyed_unsigned<uint32_t>(t[1], "excl=");
  const auto shared = after_key(t[2], "shared=");
  const auto rr = after_key(t[3], "rr=");
  const size_t slash = t[6].find('/');
  const auto reenq_cap = slash == std::string_view::npos
                             ? std::nullopt
                             : keyed_unsigned<uint64_t>(t[6].substr(0, slash), "+");
  const auto reenq_immed = slash == std::string_view::npos
                               ? std::nullopt
                               : keyed_unsigned<uint64_t>(t[6].substr(slash + 1), "+");
  const auto inj = keyed_unsigned<uint64_t>(t[7], "inj=+");
  const auto rescue = keyed_unsigned<uint64_t>(t[8], "rescue=+");
  if (!nsub || !excl || !shared || !rr || rr->empty() || !reenq_cap || !reenq_immed || !inj ||
      !rescue) {
    return hier_error(body, "bad field value");
  }
  auto list = parse_list(*shared);
  if (!list) return hier_error(body, list.error().message);
  interval.nsub = *nsub;
  interval.excl = *excl;
  interval.shared = std::move(list->cids);
  interval.shared_truncated = list->truncated;
  interval.rr = std::string(*rr);
  interval.reenq_cap = *reenq_cap;
  interval.reenq_immed = *reenq_immed;
  interval.inject_attempts = *inj;
  interval.rescue = *rescue;
  return interval;
}

Result<HierRow> parse_hier_row(std::string_view line) {
  const std::string_view body = body_of(line);
  const auto t = text::tokens(body);
  if (t.size() != 6 || !is_row_name(t[0])) {
    return hier_error(body, "expected 'self|subN CGROUP_ID WEIGHT ALLOC DISP_PER_S|- CIDS'");
  }
  HierRow row;
  row.who = std::string(t[0]);
  const auto cgroup_id = text::parse_unsigned<uint64_t>(t[1]);
  const auto weight = text::parse_unsigned<uint32_t>(t[2]);
  const auto alloc = text::parse_double(t[3]);
  if (!cgroup_id || !weight || !alloc) return hier_error(body, "bad cgroup, weight or alloc");
  if (t[4] != "-") {
    row.disp_per_s = text::parse_double(t[4]);
    if (!row.disp_per_s) return hier_error(body, "bad disp/s");
  }
  auto list = parse_list(t[5]);
  if (!list) return hier_error(body, list.error().message);
  row.cgroup_id = *cgroup_id;
  row.weight = *weight;
  row.alloc = *alloc;
  row.cids = std::move(list->cids);
  row.cids_truncated = list->truncated;
  return row;
}

std::optional<HierInterval> HierParser::feed(std::string_view raw) {
  const std::string_view line = strip_newline(raw);
  const auto body = hier_body(line);
  if (!body) {
    const bool separator = text::trim(line).substr(0, 4) == "----";
    if (separator || (pending_ && !pending_->rows.empty())) return flush();
    return std::nullopt;
  }
  const auto t = text::tokens(*body);
  if (!t.empty() && t[0].substr(0, 5) == "nsub=") {
    auto done = flush();
    auto summary = parse_hier_summary(*body);
    if (!summary) {
      ++malformed_;
      warn(summary.error().message);
    } else {
      if (summary->shared_truncated) {
        ++truncated_;
        warn("truncated shared list: " + text::quoted(line));
      }
      pending_ = std::move(summary).value();
    }
    return done;
  }
  if (!pending_) {
    ++malformed_;
    warn("hier line outside an interval (no summary line before it): " + text::quoted(line));
    return std::nullopt;
  }
  if (!t.empty() && t[0] == "cgroup") return std::nullopt;  // column header
  auto row = parse_hier_row(*body);
  if (!row) {
    ++malformed_;
    warn(row.error().message);
    return std::nullopt;
  }
  if (row->cids_truncated) {
    ++truncated_;
    warn("truncated cid list: " + text::quoted(line));
  }
  pending_->rows.push_back(std::move(row).value());
  return std::nullopt;
}

std::optional<HierInterval> HierParser::flush() {
  return std::exchange(pending_, std::nullopt);
}

void HierParser::warn(std::string text) {
  if (warnings_.size() < kMaxWarnings) warnings_.push_back(std::move(text));
}

}  // namespace scxfarm::telemetry
