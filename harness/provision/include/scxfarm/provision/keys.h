// Cache keys of each provisioning step, as pure functions of their inputs so
// they can be unit-tested: change an input, the key changes; nothing else.
#pragma once

#include <array>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "scxfarm/common/result.h"
#include "scxfarm/config/model.h"

namespace scxfarm::provision {

// Bump to invalidate every artifact (e.g. after a layout change).
inline constexpr std::string_view kCacheFormat = "1";

struct SourceFiles {
  std::filesystem::path source_dir;
  std::filesystem::path scripts() const { return source_dir / "harness/provision/scripts"; }
};

// Debian 13 root: the mmdebstrap script and the package list.
Result<std::string> guest_root_key(const SourceFiles& src);
// A Debian kernel (source: debian): package names and version.
Result<std::string> debian_kernel_key(const SourceFiles& src, const config::KernelConfig& kernel);
// An imported kernel (source: image): the image's bytes (and the vmlinux's
// when given) and the tree's identity (see tree_identity).
Result<std::string> image_kernel_key(const SourceFiles& src, const config::KernelConfig& kernel,
                                     const std::string& tree_identity);
// A tree that is not a clean git checkout: the parts a run uses, by content
// (tools/sched_ext, include/uapi, kernel/sched/ext*).
Result<std::string> tree_content_identity(const std::filesystem::path& tree);
// The kernel build root: the guest root plus the kernel build packages.
Result<std::string> kernel_toolchain_key(const SourceFiles& src, const std::string& root_key);
// A pristine source tree for a build: a Debian linux-source package, or a
// git tree state (its tree id).
Result<std::string> debian_source_key(const SourceFiles& src, const std::string& package,
                                      const std::string& version);
Result<std::string> git_source_key(const SourceFiles& src, const std::string& tree_id);
// The object tree kept between builds: one per (where the tree comes from,
// fragments, toolchain). Builds that differ by their series, or by the
// tree's state, reuse it incrementally.
Result<std::string> kernel_work_key(const std::string& origin,
                                    const std::vector<std::filesystem::path>& fragments,
                                    const std::string& toolchain_key);
// A built kernel (source: build): the source, the series (each patch's
// bytes, a directory's *.patch in name order), the fragments, the toolchain
// and the build scripts.
Result<std::string> build_kernel_key(const SourceFiles& src, const std::string& source_key,
                                     const std::string& work_key,
                                     const std::vector<std::filesystem::path>& patches);
// The patches a series entry stands for, in the order they are applied: the
// file itself, or a directory's *.patch files in name order.
Result<std::vector<std::filesystem::path>> expand_series(
    const std::vector<std::filesystem::path>& patches);
// tools/sched_ext schedulers: built from the kernel's tree with the root's clang.
Result<std::string> schedulers_key(const SourceFiles& src, const std::string& root_key,
                                   const std::string& kernel_key);
// What goes into the agent artifact, relative to the source dir: exactly what
// agent-build.sh copies into the guest root and compiles (guest tests, docs
// and tools are not among them, so editing those rebuilds nothing).
inline constexpr std::array<std::string_view, 8> kAgentInputs = {
    "guest/CMakeLists.txt",
    "guest/init",
    "guest/src",
    "harness/common/include",
    "harness/protocol/include",
    "harness/protocol/src",
    "harness/telemetry/include",
    "harness/telemetry/src",
};
// The guest agent: kAgentInputs, built with the root's g++.
Result<std::string> agent_key(const SourceFiles& src, const std::string& root_key);
// The project's workloads (workloads/): their sources, built with the root's g++.
Result<std::string> workloads_key(const SourceFiles& src, const std::string& root_key);
// The initramfs: everything packed into it.
Result<std::string> initramfs_key(const SourceFiles& src, const std::string& root_key,
                                  const std::string& schedulers_key, const std::string& agent_key,
                                  const std::string& workloads_key);

}  // namespace scxfarm::provision
