// The fixture of the run_suite tests: a one-kernel, one-topology suite on
// the fake VM backend, with stand-ins for the accelerator probe, the image
// provisioning and the kernel's BTF probe (nothing is provisioned or
// probed, no VM boots).
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "fake_runs.h"
#include "scxfarm/common/fs.h"
#include "scxfarm/kernelinfo/features.h"
#include "scxfarm/runner/suite.h"
#include "scxfarm/vm/fake/fake_backend.h"

namespace scxfarm::runner::suite_testing {

inline vm::FakeScript crashing() {
  vm::FakeScript s = fake_runs::healthy_guest();
  s.then = vm::FakeScript::Then::kExitVm;
  s.late_console = fake_runs::kRealInt3Oops;
  return s;
}

inline config::ScenarioConfig scenario(const std::string& name, bool exclusive = false) {
  config::ScenarioConfig s;
  s.plan.name = name;
  s.plan.duration_ms = 100;
  s.plan.sample_interval_ms = 50;
  s.plan.attach_timeout_ms = 1000;
  s.exclusive = exclusive;
  s.required_features = {kernelinfo::Feature::kSchedExt};
  return s;
}

// A probe of VMLINUX that found every feature but LACKING, each of those
// missing all of its symbols (as probe_btf words it).
inline kernelinfo::KernelFeatures features_lacking(const std::vector<kernelinfo::Feature>& lacking,
                                                   const std::string& vmlinux = "/fake/vmlinux") {
  kernelinfo::KernelFeatures k;
  k.vmlinux = vmlinux;
  k.btf_types = 100;
  k.probe_ms = 1;
  for (const auto& [name, feature] : kernelinfo::kFeatureSpellings) {
    kernelinfo::FeatureStatus s{std::string(name), true, {}, ""};
    if (std::find(lacking.begin(), lacking.end(), feature) != lacking.end()) {
      s.present = false;
      for (const auto& symbol : kernelinfo::required_symbols(feature))
        s.missing.push_back(symbol.describe());
      s.reason = "no " + s.missing.front() + " in the kernel's BTF";
    }
    k.features.push_back(s);
  }
  return k;
}

class RunSuite : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("scxfarm-suite-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    auto& suite = resolved_.suite;
    suite.name = "unit";
    suite.kernels = {"k"};
    suite.topologies = {"numa1x4"};
    suite.scenarios = {"boot-verify"};
    resolved_.kernels["k"].name = "k";
    auto& topology = resolved_.topologies["numa1x4"];
    topology.name = "numa1x4";
    topology.cores_per_socket = 4;
    topology.nodes = {{{0, 1, 2, 3}, 1024}};
    resolved_.scenarios["boot-verify"] = scenario("boot-verify");
    options_.results_root = dir_;
    options_.accel = config::Accel::kTcg;
    // Boot 4 s, no output 1.5 s: generous for a loaded host, and only a
    // broken run waits that long (healthy fake runs take milliseconds).
    options_.timeout_scale = 0.1;
    options_.jobs = 1;
    options_.crash_reruns = 0;
    options_.infra_retries = 0;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  Result<SuiteResult> run(std::vector<vm::FakeScript> scripts) {
    backend_ = std::make_unique<vm::FakeBackend>(std::move(scripts));
    SuiteServices services{
        *backend_,
        [this](const std::filesystem::path& kernel, std::chrono::milliseconds timeout) {
          probed_kernels_.push_back(kernel);
          probe_timeouts_.push_back(timeout);
          return probe_answer_;
        },
        [this](const config::KernelConfig& kernel) -> Result<provision::GuestImage> {
          if (!prepare_error_.empty()) return make_error(prepare_error_);
          provision::GuestImage image;
          image.kernel_image = "/fake/" + kernel.name + "/vmlinuz";
          image.initramfs = "/fake/" + kernel.name + "/initramfs.cpio";
          image.kernel_dir = "/fake/" + kernel.name;
          image.kernel_release = "7.3.4-fake";
          image.timeout_scale = kernel.timeout_scale;
          return image;
        },
        // The kernel's features by its directory's name (kernel_features_;
        // every feature when it has no entry).
        [this](const provision::GuestImage& image) -> Result<kernelinfo::KernelFeatures> {
          btf_probed_.push_back(image.kernel_dir);
          if (!btf_probe_error_.empty()) return make_error(btf_probe_error_);
          const auto it = kernel_features_.find(image.kernel_dir.filename().string());
          return it != kernel_features_.end()
                     ? it->second
                     : features_lacking({}, (image.kernel_dir / "vmlinux").string());
        }};
    return run_suite(resolved_, options_, services, [this](const std::string& line) {
      std::lock_guard lock(progress_mu_);
      progress_.push_back(line);
    });
  }

  // The one suite directory under the results root (before run_suite returns).
  std::filesystem::path suite_dir() const {
    for (const auto& entry : std::filesystem::directory_iterator(dir_)) return entry.path();
    return {};
  }

  static nlohmann::json read_json(const std::filesystem::path& path) {
    return nlohmann::json::parse(read_file(path).value());
  }

  // The run a fake instance belonged to: its console lives in the run directory.
  std::string run_of_instance(size_t instance) const {
    return backend_->specs().at(instance).console_log.parent_path().filename().string();
  }

  bool progress_has(const std::string& part) {
    std::lock_guard lock(progress_mu_);
    for (const auto& line : progress_)
      if (line.find(part) != std::string::npos) return true;
    return false;
  }

  std::filesystem::path dir_;
  config::ResolvedSuite resolved_;
  SuiteOptions options_;
  std::unique_ptr<vm::FakeBackend> backend_;
  vm::AccelChoice probe_answer_{vm::AccelKind::kTcg, "probe stand-in: no KVM"};
  std::vector<std::filesystem::path> probed_kernels_;
  std::vector<std::chrono::milliseconds> probe_timeouts_;
  std::string prepare_error_;
  std::map<std::string, kernelinfo::KernelFeatures> kernel_features_;  // by kernel name
  std::string btf_probe_error_;
  std::vector<std::filesystem::path> btf_probed_;  // kernel_dir of each BTF probe
  std::mutex progress_mu_;                         // runs report from pool threads
  std::vector<std::string> progress_;
};

}  // namespace scxfarm::runner::suite_testing
