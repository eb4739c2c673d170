// Helpers shared by the config tests.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "scxfarm/common/fs.h"
#include "scxfarm/common/result.h"

namespace scxfarm::config::testing {

inline std::filesystem::path source_dir() {
  return SCXFARM_SOURCE_DIR;
}
inline std::filesystem::path testdata() {
  return source_dir() / "harness/config/tests/testdata/configs";
}

// The error message of a failed result (fails the test on success).
template <typename T>
std::string error_of(const Result<T>& r) {
  EXPECT_FALSE(r.ok()) << "expected an error";
  return r.ok() ? std::string() : r.error().message;
}

// A scratch configs/ tree for inline cases, removed at the end of the test.
class ScratchConfigs {
 public:
  ScratchConfigs()
      : dir_(std::filesystem::temp_directory_path() /
             ("scxfarm-config-test-" + std::to_string(::getpid()) + "-" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name())) {
    std::filesystem::remove_all(dir_);
  }
  ~ScratchConfigs() { std::filesystem::remove_all(dir_); }

  // Writes DIR/KIND_DIR/NAME.yaml and returns its path.
  std::filesystem::path write(const std::string& kind_dir, const std::string& name,
                              const std::string& text) {
    auto path = dir_ / kind_dir / (name + ".yaml");
    EXPECT_TRUE(ensure_dir(path.parent_path()).ok());
    EXPECT_TRUE(write_file_atomic(path, text).ok());
    return path;
  }
  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
};

}  // namespace scxfarm::config::testing
