// The oracle's verdict as a table for people and as oracle.json for tools.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "scxfarm/common/result.h"
#include "scxfarm/oracle/verdict.h"

namespace scxfarm::oracle {

inline constexpr std::string_view kOracleFile = "oracle.json";  // in the suite's directory
// oracle.json's layout; bump when a key is removed, renamed or changes meaning.
inline constexpr int kOracleSchemaVersion = 1;

// The stock cells, then per mutant its Breaks line and one row per scenario:
// verdict, the checks that fired, why it fails; a last line with the verdict.
std::string format_report(const OracleReport& report);

nlohmann::json to_json(const OracleReport& report);

// DIR/oracle.json, atomically.
Status write_report_json(const std::filesystem::path& dir, const OracleReport& report);

}  // namespace scxfarm::oracle
