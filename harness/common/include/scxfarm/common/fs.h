// Small file-system helpers used across the harness.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "scxfarm/common/result.h"

namespace scxfarm {

Result<std::string> read_file(const std::filesystem::path& path);

// Write to PATH.tmp.<pid> in the same directory, fsync, then rename over
// PATH: readers see the old file or the new one, never half of one.
Status write_file_atomic(const std::filesystem::path& path, std::string_view content);

Status ensure_dir(const std::filesystem::path& path);

}  // namespace scxfarm
