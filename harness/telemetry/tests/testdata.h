// Reads tests/testdata/NAME (path baked in by CMake).
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "scxfarm/common/fs.h"

namespace scxfarm::telemetry {

inline std::string testdata(const std::string& name) {
  auto text = read_file(std::string(SCXFARM_TELEMETRY_TESTDATA) + "/" + name);
  EXPECT_TRUE(text.ok()) << name;
  return text.ok() ? text.value() : std::string();
}

}  // namespace scxfarm::telemetry
