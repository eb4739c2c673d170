// Where a kernel under test comes from: one provider per source
// (harness/provision/kernels/<source>/), behind one interface. Every provider
// produces the same kernel artifact layout:
//   vmlinuz   the image QEMU boots
//   vmlinux   an ELF with .BTF (schedulers and the BTF probe read it)
//   release   the kernel release string
//   src/      the tree (tools/sched_ext, the selftests)
// and may add its own files (config, series.txt, build.log).
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "scxfarm/common/result.h"
#include "scxfarm/config/model.h"
#include "scxfarm/provision/keys.h"

namespace scxfarm::provision {

struct Artifact {
  std::string kind;  // "guest-root", "kernel", ...
  std::string key;
  std::filesystem::path dir;
  bool reused = false;  // found in the cache
  double seconds = 0;   // time spent (lookup or build)
};

using BuildFn = std::function<Status(const std::filesystem::path& out)>;

// What a provider may use of the provisioner: the cache and the scripts.
struct ProvisionSteps {
  SourceFiles src;
  std::filesystem::path cache_root;
  Artifact guest_root;
  // Finds CACHE/KIND/KEY or builds it with BUILD(staging dir) under a lock.
  std::function<Result<Artifact>(const std::string& kind, const std::string& key,
                                 const BuildFn& build)>
      obtain;
  // Runs a provisioning script (argv, never a shell string) into LOG.
  std::function<Status(const std::string& what, const std::vector<std::string>& argv,
                       const std::filesystem::path& log)>
      run_script;
  std::function<void(const std::string& line)> progress;
};

class KernelProvider {
 public:
  virtual ~KernelProvider() = default;
  // The kernel artifact's cache key: changes exactly when what would be
  // booted changes (package version, image bytes, tree, series, fragments,
  // toolchain, scripts).
  virtual Result<std::string> key() const = 0;
  // Fills OUT, a fresh staging directory, with the artifact layout above.
  virtual Status obtain(const std::filesystem::path& out) = 0;
  // One line for progress output, e.g. "build linux-source-7.3 + 1 patch".
  virtual std::string describe() const = 0;
  // The other cache entries obtain() uses, as (kind, key): a build's
  // toolchain, source and object tree (kind "kernel-work"). For setup --dry-run.
  virtual Result<std::vector<std::pair<std::string, std::string>>> inputs() const {
    return std::vector<std::pair<std::string, std::string>>{};
  }
};

Result<std::unique_ptr<KernelProvider>> make_kernel_provider(const config::KernelConfig& kernel,
                                                             ProvisionSteps steps);

// The identity of a git work tree's current state: HEAD plus uncommitted
// changes to tracked files (git stash create), by tree id, so two checkouts
// of the same content share a key. Untracked files are not part of it.
struct GitTreeState {
  std::string rev;      // commit to export (HEAD, or a stash-create commit)
  std::string tree_id;  // rev^{tree}
  bool dirty = false;   // tracked files differ from HEAD
};
Result<GitTreeState> git_tree_state(const std::filesystem::path& tree);

}  // namespace scxfarm::provision
