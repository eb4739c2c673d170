// Helpers shared by the guest agent's unit tests.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "scxfarm/protocol/scenario.h"

namespace scxfarm::agent::testing {

// A fresh temporary directory, removed at scope exit.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "guest_test.XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline void write(const std::filesystem::path& file, const std::string& text) {
  std::filesystem::create_directories(file.parent_path());
  std::ofstream(file) << text;
}

inline std::string slurp(const std::filesystem::path& file) {
  std::ifstream in(file);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The smoke plan: root qmap; A (200, qmap) -> A1 (qmap, stress-ng);
// B (100, qmap, stress-ng); weight-swap A,B every 500 ms for 30 s.
inline protocol::ScenarioPlan smoke_plan() {
  protocol::ScenarioPlan plan;
  plan.name = "smoke";
  plan.duration_ms = 30000;
  plan.sample_interval_ms = 250;
  plan.qmap_stats_interval_s = 1;
  protocol::CgroupSpec a1{
      "A1", 100, true, {}, {{"A1-cpu", protocol::WorkloadKind::kStressNg, {"--cpu", "4"}}}, {}};
  protocol::CgroupSpec a{"A", 200, true, {}, {}, {a1}};
  protocol::CgroupSpec b{
      "B", 100, true, {}, {{"B-cpu", protocol::WorkloadKind::kStressNg, {"--cpu", "4"}}}, {}};
  plan.cgroups = {a, b};
  plan.churn = {{protocol::ChurnKind::kWeightSwap, {"A", "B"}, 500}};
  return plan;
}

}  // namespace scxfarm::agent::testing
