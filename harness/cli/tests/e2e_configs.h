// Shared by the kernel e2e tests: a scratch config directory (the shipped
// topologies and scenarios plus kernels and suites a test writes) and the
// default kernel's artifact directory, as `scxfarm setup` reports it.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <regex>

#include "scxfarm/common/process.h"

namespace scxfarm::testing {

// Runs `scxfarm setup --kernel debian-7.3-cloud` and returns the default kernel's artifact
// directory from its "kernel NAME ready in S s: DIR/vmlinuz + ..." line.
inline std::filesystem::path default_kernel_dir() {
  using namespace std::chrono_literals;
  auto out = run_command({SCXFARM_BINARY, "setup", "--kernel", "debian-7.3-cloud"}, 45min);
  EXPECT_TRUE(out.ok() && out->status.success()) << (out.ok() ? out->output : "spawn failed");
  if (!out.ok()) return {};
  std::smatch m;
  static const std::regex ready(R"(kernel debian-7\.3-cloud ready in [0-9.]+ s: (\S+)/vmlinuz \+)");
  if (!std::regex_search(out->output, m, ready)) {
    ADD_FAILURE() << "no 'kernel debian-7.3-cloud ready' line in:\n" << out->output;
    return {};
  }
  return m[1].str();
}

class ScratchConfigs {
 public:
  explicit ScratchConfigs(const std::string& tag)
      : dir_(std::filesystem::temp_directory_path() /
             ("scxfarm-e2e-" + tag + "-" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(dir_);
    const std::filesystem::path shipped = SCXFARM_SOURCE_DIR "/configs";
    std::filesystem::create_directories(dir_ / "configs/kernels");
    std::filesystem::create_directories(dir_ / "configs/suites");
    for (const char* kind : {"topologies", "scenarios"}) {
      std::filesystem::copy(shipped / kind, dir_ / "configs" / kind,
                            std::filesystem::copy_options::recursive);
    }
    std::filesystem::copy(shipped / "kernels/fragments", dir_ / "configs/kernels/fragments",
                          std::filesystem::copy_options::recursive);
  }
  ~ScratchConfigs() { std::filesystem::remove_all(dir_); }

  std::filesystem::path dir() const { return dir_ / "configs"; }
  std::filesystem::path results() const { return dir_ / "results"; }
  void write_kernel(const std::string& name, const std::string& text) {
    std::ofstream(dir() / "kernels" / (name + ".yaml")) << text;
  }
  void write_suite(const std::string& name, const std::string& text) {
    std::ofstream(dir() / "suites" / (name + ".yaml")) << text;
  }
  // `scxfarm --configs DIR run SUITE --results RESULTS`, its output's tail
  // echoed to stderr for the test log.
  Result<CommandOutput> run(const std::string& suite, std::chrono::minutes timeout) const {
    auto out = run_command({SCXFARM_BINARY, "--configs", dir().string(), "run", suite, "--results",
                            results().string()},
                           timeout);
    if (out.ok())
      std::cerr << out->output.substr(out->output.size() > 8000 ? out->output.size() - 8000 : 0);
    return out;
  }

  nlohmann::json only_suite() const {
    std::vector<std::filesystem::path> dirs;
    for (const auto& e : std::filesystem::directory_iterator(results()))
      if (e.is_directory()) dirs.push_back(e.path());
    EXPECT_EQ(dirs.size(), 1u);
    if (dirs.size() != 1) return nlohmann::json::object({{"runs", nlohmann::json::array()}});
    std::ifstream in(dirs[0] / "suite.json");
    return nlohmann::json::parse(in);
  }

 private:
  std::filesystem::path dir_;
};

}  // namespace scxfarm::testing
