#include "scxfarm/provision/keys.h"

#include "scxfarm/common/hash.h"

namespace scxfarm::provision {

namespace {

// Starts a key for KIND covering the scripts every step shares.
Result<ContentHasher*> begin(ContentHasher& h, const SourceFiles& src, std::string_view kind,
                             std::string_view script) {
  h.add("format", kCacheFormat).add("kind", kind);
  if (auto st = h.add_file("common.sh", src.scripts() / "common.sh"); !st) return st.error();
  if (auto st = h.add_file(script, src.scripts() / std::string(script)); !st) return st.error();
  return &h;
}

}  // namespace

Result<std::string> guest_root_key(const SourceFiles& src) {
  ContentHasher h;
  if (auto r = begin(h, src, "guest-root", "guest-root.sh"); !r) return r.error();
  if (auto st = h.add_file("packages", src.source_dir / "guest/root-packages.txt"); !st)
    return st.error();
  return h.hex();
}

Result<std::string> kernel_key(const SourceFiles& src, const config::KernelConfig& kernel) {
  // The config loader refuses source: local until a script can import a
  // local kernel; a caller that built a KernelConfig by hand gets told here.
  if (kernel.source != config::KernelConfig::Source::kDebian) {
    return make_error("kernel " + kernel.name + ": only source: debian can be provisioned");
  }
  ContentHasher h;
  if (auto r = begin(h, src, "kernel-debian", "kernel-debian.sh"); !r) return r.error();
  h.add("binary", kernel.binary_package).add("source", kernel.source_package);
  h.add("version", kernel.version);
  return h.hex();
}

Result<std::string> schedulers_key(const SourceFiles& src, const std::string& root_key,
                                   const std::string& kernel_key) {
  ContentHasher h;
  if (auto r = begin(h, src, "schedulers", "qmap-build.sh"); !r) return r.error();
  h.add("root", root_key).add("kernel", kernel_key);
  return h.hex();
}

Result<std::string> agent_key(const SourceFiles& src, const std::string& root_key) {
  ContentHasher h;
  if (auto r = begin(h, src, "agent", "agent-build.sh"); !r) return r.error();
  h.add("root", root_key);
  for (std::string_view input : kAgentInputs) {
    const auto path = src.source_dir / input;
    auto st =
        std::filesystem::is_directory(path) ? h.add_tree(input, path) : h.add_file(input, path);
    if (!st) return st.error();
  }
  return h.hex();
}

Result<std::string> workloads_key(const SourceFiles& src, const std::string& root_key) {
  ContentHasher h;
  if (auto r = begin(h, src, "workloads", "workloads-build.sh"); !r) return r.error();
  h.add("root", root_key);
  if (auto st = h.add_tree("workloads", src.source_dir / "workloads"); !st) return st.error();
  return h.hex();
}

Result<std::string> initramfs_key(const SourceFiles& src, const std::string& root_key,
                                  const std::string& schedulers_key, const std::string& agent_key,
                                  const std::string& workloads_key) {
  ContentHasher h;
  if (auto r = begin(h, src, "initramfs", "pack-initramfs.sh"); !r) return r.error();
  h.add("root", root_key).add("schedulers", schedulers_key).add("agent", agent_key);
  h.add("workloads", workloads_key);
  return h.hex();
}

}  // namespace scxfarm::provision
