#include "scxfarm/telemetry/sysfs.h"

#include <optional>

#include "scxfarm/common/text.h"

namespace scxfarm::telemetry {

namespace {

Error line_error(const char* file, size_t number, std::string_view line, const std::string& why) {
  return make_error(std::string(file) + " line " + std::to_string(number) + " " +
                    text::quoted(line) + ": " + why);
}

bool has_space(std::string_view s) {
  for (char c : s) {
    if (text::is_space(c)) return true;
  }
  return false;
}

}  // namespace

Result<CapMap> parse_caps(std::string_view text) {
  CapMap caps;
  std::optional<Error> error;
  text::for_each_line(text, [&](size_t number, std::string_view line) {
    if (error || text::trim(line).empty()) return;
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) {
      error = line_error("caps", number, line, "expected 'name: cid-list'");
      return;
    }
    const std::string_view name = text::trim(line.substr(0, colon));
    if (name.empty() || has_space(name)) {
      error = line_error("caps", number, line, "bad cap name");
      return;
    }
    auto cids = CidSet::parse(line.substr(colon + 1));
    if (!cids) {
      error = line_error("caps", number, line, cids.error().message);
      return;
    }
    if (!caps.emplace(std::string(name), std::move(cids).value()).second) {
      error = line_error("caps", number, line, "duplicate cap " + text::quoted(name));
    }
  });
  if (error) return *error;
  return caps;
}

Result<EventMap> parse_events(std::string_view text) {
  EventMap events;
  std::optional<Error> error;
  text::for_each_line(text, [&](size_t number, std::string_view line) {
    if (error || text::trim(line).empty()) return;
    const auto parts = text::tokens(line);
    if (parts.size() != 2) {
      error = line_error("events", number, line, "expected 'NAME COUNT'");
      return;
    }
    const auto count = text::parse_unsigned<uint64_t>(parts[1]);
    if (!count) {
      error = line_error("events", number, line, "count is not an unsigned 64-bit number");
      return;
    }
    if (!events.emplace(std::string(parts[0]), *count).second) {
      error = line_error("events", number, line, "duplicate event " + text::quoted(parts[0]));
    }
  });
  if (error) return *error;
  return events;
}

}  // namespace scxfarm::telemetry
