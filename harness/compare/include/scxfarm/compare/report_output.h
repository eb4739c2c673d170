// A comparison's report in the three forms it leaves: the terminal table,
// JSON (--json) and JUnit XML (--junit) for CI; files are written atomically.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "scxfarm/common/result.h"
#include "scxfarm/compare/comparison.h"

namespace scxfarm::compare {

// The JSON report's own version: bump it when a key is renamed or removed or
// changes meaning.
inline constexpr int kReportSchemaVersion = 1;

// The sides, then the checks that failed anywhere and every metric, each
// ordered regressions first, then a totals line.
std::string format_report(const Report& report);

nlohmann::json report_json(const Report& report);
// One testcase per compared metric and per check: a regression is a
// <failure>, "not enough runs" is <skipped>.
std::string report_junit(const Report& report);

Status write_report_json(const std::filesystem::path& file, const Report& report);
Status write_report_junit(const std::filesystem::path& file, const Report& report);

}  // namespace scxfarm::compare
