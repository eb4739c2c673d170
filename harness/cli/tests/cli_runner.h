// Runs the built scxfarm binary (SCXFARM_BINARY, set by CMake) the way a
// user or CI would: argv, a minute at most, output and exit status kept.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "scxfarm/common/process.h"

namespace scxfarm::cli_testing {

inline CommandOutput scxfarm(std::vector<std::string> args) {
  args.insert(args.begin(), SCXFARM_BINARY);
  auto out = run_command(args, std::chrono::seconds(60));
  if (!out) ADD_FAILURE() << out.error().message;
  return out ? *out : CommandOutput{};
}

inline bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace scxfarm::cli_testing
