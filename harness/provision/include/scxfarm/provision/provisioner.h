// Builds (or finds in the cache) everything a run boots: the guest root, the
// kernel and its tree, scx_qmap, the agent, the project's workloads, the
// initramfs. Each step runs a
// script from harness/provision/scripts with an argv vector and logs to a
// file beside its artifact.
#pragma once

#include <filesystem>
#include <functional>
#include <string>

#include "scxfarm/common/result.h"
#include "scxfarm/config/model.h"
#include "scxfarm/provision/kernel_provider.h"

namespace scxfarm::provision {

// Everything needed to boot one kernel with the farm's initramfs.
struct GuestImage {
  std::filesystem::path kernel_image;  // vmlinuz / bzImage
  std::filesystem::path initramfs;     // newc cpio
  std::filesystem::path kernel_dir;    // kernel artifact (src/, vmlinux, release)
  std::string kernel_release;          // from the package layout, e.g. 7.3.4+deb13-cloud-amd64
  std::string package_version;         // Debian package version, "" for other sources
  double timeout_scale = 1.0;          // the kernel's own (KernelConfig::timeout_scale)
};

using ProgressFn = std::function<void(const std::string& line)>;

class Provisioner {
 public:
  Provisioner(std::filesystem::path source_dir, std::filesystem::path cache_root,
              ProgressFn progress);

  Result<Artifact> guest_root();
  Result<Artifact> kernel(const config::KernelConfig& kernel, const Artifact& root);
  Result<Artifact> schedulers(const Artifact& root, const Artifact& kernel);
  // The schedulers artifact of a kernel without sched_ext: an empty bin/.
  Result<Artifact> no_schedulers(const Artifact& root, const Artifact& kernel);
  Result<Artifact> agent(const Artifact& root);
  Result<Artifact> workloads(const Artifact& root);  // bin/scxfarm-wakeup-probe
  Result<Artifact> initramfs(const Artifact& root, const Artifact& schedulers,
                             const Artifact& agent, const Artifact& workloads);
  // All steps for one kernel.
  Result<GuestImage> prepare(const config::KernelConfig& kernel);

  // What prepare() would use, without building anything: every artifact's
  // kind, key, directory and whether the cache has it (setup --dry-run).
  struct PlannedArtifact {
    std::string kind, key;
    std::filesystem::path dir;
    bool cached = false;
  };
  Result<std::vector<PlannedArtifact>> plan(const config::KernelConfig& kernel);

  // What a kernel provider gets: the cache and the script runner, on ROOT.
  // The runner passes a script's "[kernel-build] ..." lines on to progress
  // while the script runs.
  ProvisionSteps steps(const Artifact& root);

 private:
  // Finds CACHE/KIND/KEY or builds it with BUILD(out_dir) under a lock.
  Result<Artifact> obtain(const std::string& kind, const std::string& key, const BuildFn& build);
  Status run_script(const std::string& what, const std::vector<std::string>& argv,
                    const std::filesystem::path& log);

  std::filesystem::path source_dir_;
  std::filesystem::path cache_root_;
  ProgressFn progress_;
};

}  // namespace scxfarm::provision
