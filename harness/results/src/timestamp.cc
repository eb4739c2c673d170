#include "scxfarm/results/timestamp.h"

#include <time.h>

#include <cstdio>
#include <ctime>

namespace scxfarm::results {

namespace {
constexpr const char* kFormat = "%Y-%m-%dT%H:%M:%SZ";

// gmtime_r, not std::gmtime: runs start on pool threads, and gmtime's one
// static result would be shared between them.
std::string format_utc(std::chrono::system_clock::time_point t, const char* format) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(t);
  std::tm utc{};
  ::gmtime_r(&seconds, &utc);
  char buf[32];
  std::strftime(buf, sizeof(buf), format, &utc);
  return buf;
}
}  // namespace

std::string utc_timestamp(std::chrono::system_clock::time_point t) {
  return format_utc(t, kFormat);
}

std::string utc_dir_stamp(std::chrono::system_clock::time_point t) {
  return format_utc(t, "%Y%m%d-%H%M%S");
}

std::optional<std::chrono::system_clock::time_point> parse_utc_timestamp(std::string_view text) {
  const std::string s(text);
  std::tm utc{};
  const char* end = ::strptime(s.c_str(), kFormat, &utc);
  if (!end || *end != '\0') return std::nullopt;
  const std::time_t seconds = ::timegm(&utc);
  if (seconds == static_cast<std::time_t>(-1)) return std::nullopt;
  return std::chrono::system_clock::from_time_t(seconds);
}

}  // namespace scxfarm::results
