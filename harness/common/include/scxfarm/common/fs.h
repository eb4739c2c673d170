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

// A directory only its owner can use (mkdtemp: a fresh random name, mode
// 0700), removed with everything in it when its owner goes out of scope, on
// every path out of that scope. Move-only.
class PrivateTempDir {
 public:
  // PARENT/PREFIXxxxxxx.
  static Result<PrivateTempDir> create(const std::filesystem::path& parent,
                                       const std::string& prefix);
  PrivateTempDir(PrivateTempDir&& other) noexcept;
  PrivateTempDir& operator=(PrivateTempDir&& other) noexcept;
  PrivateTempDir(const PrivateTempDir&) = delete;
  PrivateTempDir& operator=(const PrivateTempDir&) = delete;
  ~PrivateTempDir();

  const std::filesystem::path& path() const { return path_; }

 private:
  explicit PrivateTempDir(std::filesystem::path path) : path_(std::move(path)) {}
  void remove();
  std::filesystem::path path_;  // empty once moved from
};

}  // namespace scxfarm
