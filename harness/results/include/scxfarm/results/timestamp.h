// The wall-clock times in run.json and suite.json: ISO 8601 UTC to the
// second, "2026-11-26T01:50:00Z".
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace scxfarm::results {

std::string utc_timestamp(std::chrono::system_clock::time_point t);

// The same time for a directory name: "20261126-015000" (sorts, no colons).
std::string utc_dir_stamp(std::chrono::system_clock::time_point t);

// The time TEXT names; nullopt when it is not of utc_timestamp's form.
std::optional<std::chrono::system_clock::time_point> parse_utc_timestamp(std::string_view text);

}  // namespace scxfarm::results
