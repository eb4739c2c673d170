#include "scxfarm/provision/keys.h"

#include <algorithm>

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

Result<std::string> debian_kernel_key(const SourceFiles& src, const config::KernelConfig& kernel) {
  ContentHasher h;
  if (auto r = begin(h, src, "kernel-debian", "kernel-debian.sh"); !r) return r.error();
  h.add("binary", kernel.binary_package).add("source", kernel.source_package);
  h.add("version", kernel.version);
  return h.hex();
}

Result<std::string> image_kernel_key(const SourceFiles& src, const config::KernelConfig& kernel,
                                     const std::string& tree_identity) {
  ContentHasher h;
  if (auto r = begin(h, src, "kernel-image", "kernel-image.sh"); !r) return r.error();
  if (auto st = h.add_file("image", kernel.image); !st) return st.error();
  if (!kernel.vmlinux.empty()) {
    if (auto st = h.add_file("vmlinux", kernel.vmlinux); !st) return st.error();
  }
  h.add("tree", tree_identity);
  return h.hex();
}

Result<std::string> tree_content_identity(const std::filesystem::path& tree) {
  ContentHasher h;
  for (const char* sub : {"tools/sched_ext", "include/uapi"}) {
    if (auto st = h.add_tree(sub, tree / sub); !st) return st.error();
  }
  std::vector<std::filesystem::path> sched;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(tree / "kernel/sched", ec)) {
    if (e.path().filename().string().rfind("ext", 0) == 0) sched.push_back(e.path());
  }
  std::sort(sched.begin(), sched.end());
  for (const auto& p : sched) {
    const std::string label = "kernel/sched/" + p.filename().string();
    auto st = std::filesystem::is_directory(p) ? h.add_tree(label, p) : h.add_file(label, p);
    if (!st) return st.error();
  }
  return "content:" + h.hex();
}

Result<std::string> kernel_toolchain_key(const SourceFiles& src, const std::string& root_key) {
  ContentHasher h;
  if (auto r = begin(h, src, "kernel-toolchain", "kernel-toolchain.sh"); !r) return r.error();
  h.add("root", root_key);
  if (auto st = h.add_file("packages", src.scripts() / "kernel-toolchain-packages.txt"); !st)
    return st.error();
  return h.hex();
}

Result<std::string> debian_source_key(const SourceFiles& src, const std::string& package,
                                      const std::string& version) {
  ContentHasher h;
  if (auto r = begin(h, src, "kernel-source", "kernel-source-debian.sh"); !r) return r.error();
  h.add("package", package).add("version", version);
  return h.hex();
}

Result<std::string> git_source_key(const SourceFiles& src, const std::string& tree_id) {
  ContentHasher h;
  if (auto r = begin(h, src, "kernel-source", "kernel-source-git.sh"); !r) return r.error();
  h.add("tree", tree_id);
  return h.hex();
}

Result<std::string> kernel_work_key(const std::string& origin,
                                    const std::vector<std::filesystem::path>& fragments,
                                    const std::string& toolchain_key) {
  ContentHasher h;
  h.add("format", kCacheFormat).add("kind", "kernel-work").add("origin", origin);
  for (const auto& f : fragments) {
    if (auto st = h.add_file("fragment", f); !st) return st.error();
  }
  h.add("toolchain", toolchain_key);
  return h.hex();
}

Result<std::vector<std::filesystem::path>> expand_series(
    const std::vector<std::filesystem::path>& patches) {
  std::vector<std::filesystem::path> out;
  for (const auto& p : patches) {
    std::error_code ec;
    if (!std::filesystem::is_directory(p, ec)) {
      out.push_back(p);
      continue;
    }
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(p, ec)) {
      if (e.is_regular_file() && e.path().extension() == ".patch") files.push_back(e.path());
    }
    if (ec) return make_error("cannot list patch directory " + p.string() + ": " + ec.message());
    std::sort(files.begin(), files.end());
    out.insert(out.end(), files.begin(), files.end());
  }
  return out;
}

Result<std::string> build_kernel_key(const SourceFiles& src, const std::string& source_key,
                                     const std::string& work_key,
                                     const std::vector<std::filesystem::path>& patches) {
  ContentHasher h;
  if (auto r = begin(h, src, "kernel-build", "kernel-build.sh"); !r) return r.error();
  // Every script the build runs in the chroot.
  for (const char* script :
       {"kernel-build-inner.sh", "kernel-series.sh", "kernel-config-check.sh"}) {
    if (auto st = h.add_file(script, src.scripts() / script); !st) return st.error();
  }
  h.add("source", source_key).add("work", work_key);
  auto series = expand_series(patches);
  if (!series) return series.error();
  for (const auto& p : *series) {
    if (auto st = h.add_file("patch", p); !st) return st.error();
  }
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
