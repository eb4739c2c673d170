// Cache keys of each provisioning step, as pure functions of their inputs so
// they can be unit-tested: change an input, the key changes; nothing else.
#pragma once

#include <array>
#include <filesystem>
#include <string>
#include <string_view>

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
// A kernel: Debian package name+version. source: local is an error (no script
// imports a local kernel yet; the config loader rejects it first).
Result<std::string> kernel_key(const SourceFiles& src, const config::KernelConfig& kernel);
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
