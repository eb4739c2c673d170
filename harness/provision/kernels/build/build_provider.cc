// source: build — a kernel tree (Debian's linux-source tarball or a git work
// tree) plus a patch series and config fragments, built in the kernel build
// root (a copy of the guest root with flex, bison, pahole and git) by
// scripts/kernel-build.sh. The object tree of the last build of each base
// (where the tree comes from + fragments + toolchain) is kept in
// CACHE/kernel-work/, so a build that differs only by its series, or by a
// few commits of the tree, is incremental.
#include "build_provider.h"

#include <optional>

namespace scxfarm::provision {

namespace {

class BuildProvider final : public KernelProvider {
 public:
  BuildProvider(config::KernelConfig kernel, ProvisionSteps steps)
      : kernel_(std::move(kernel)), steps_(std::move(steps)) {}

  Result<std::string> key() const override {
    auto inputs = resolve();
    if (!inputs) return inputs.error();
    return inputs->kernel_key;
  }

  Status obtain(const std::filesystem::path& out) override {
    auto inputs = resolve();
    if (!inputs) return inputs.error();
    auto toolchain =
        steps_.obtain("kernel-toolchain", inputs->toolchain_key, [&](const auto& dir) -> Status {
          return steps_.run_script(
              "kernel build root: guest root + kernel build packages",
              {"bash", (steps_.src.scripts() / "kernel-toolchain.sh").string(),
               (steps_.guest_root.dir / "root").string(), dir.string(),
               (steps_.src.scripts() / "kernel-toolchain-packages.txt").string()},
              steps_.cache_root / "kernel-toolchain" / (inputs->toolchain_key + ".log"));
        });
    if (!toolchain) return toolchain.error();
    auto source = steps_.obtain("kernel-source", inputs->source_key, [&](const auto& dir) {
      const auto log = steps_.cache_root / "kernel-source" / (inputs->source_key + ".log");
      if (!kernel_.tree.empty()) {
        return steps_.run_script("kernel source: export " + kernel_.tree.string(),
                                 {"bash", (steps_.src.scripts() / "kernel-source-git.sh").string(),
                                  kernel_.tree.string(), inputs->git_rev, dir.string()},
                                 log);
      }
      return steps_.run_script(
          "kernel source: fetch " + kernel_.source_package + " " + kernel_.version,
          {"bash", (steps_.src.scripts() / "kernel-source-debian.sh").string(),
           (steps_.guest_root.dir / "root").string(), dir.string(), kernel_.source_package,
           kernel_.version},
          log);
    });
    if (!source) return source.error();

    std::vector<std::string> argv = {
        "bash",
        (steps_.src.scripts() / "kernel-build.sh").string(),
        (toolchain->dir / "root").string(),
        (source->dir / "src").string(),
        inputs->source_key,
        (steps_.cache_root / "kernel-work" / inputs->work_key).string(),
        out.string()};
    for (const auto& p : kernel_.patches) argv.insert(argv.end(), {"--patch", p.string()});
    for (const auto& f : kernel_.fragments) argv.insert(argv.end(), {"--fragment", f.string()});
    return steps_.run_script("kernel: build " + describe(), argv,
                             steps_.cache_root / "kernel" / (inputs->kernel_key + ".log"));
  }

  Result<std::vector<std::pair<std::string, std::string>>> inputs() const override {
    auto in = resolve();
    if (!in) return in.error();
    return std::vector<std::pair<std::string, std::string>>{{"kernel-toolchain", in->toolchain_key},
                                                            {"kernel-source", in->source_key},
                                                            {"kernel-work", in->work_key}};
  }

  std::string describe() const override {
    std::string what = kernel_.tree.empty() ? kernel_.source_package + " " + kernel_.version
                                            : kernel_.tree.string();
    if (!kernel_.patches.empty()) {
      what += " + " + std::to_string(kernel_.patches.size()) + " patch source(s)";
    }
    return what + " with " + std::to_string(kernel_.fragments.size()) + " fragment(s)";
  }

 private:
  struct Inputs {
    std::string toolchain_key, source_key, work_key, kernel_key;
    std::string git_rev;  // the commit to export, for a git tree
  };

  // Every key, from the config and the tree's current state. Resolved once
  // per provider: key() and obtain() must agree on the tree state (a tree
  // edited between them would otherwise be published under the old key),
  // and a git tree's state costs a walk over every file.
  Result<Inputs> resolve() const {
    if (!resolved_) resolved_ = resolve_now();
    return *resolved_;
  }

  Result<Inputs> resolve_now() const {
    Inputs in;
    auto toolchain = kernel_toolchain_key(steps_.src, steps_.guest_root.key);
    if (!toolchain) return toolchain.error();
    in.toolchain_key = *toolchain;
    std::string origin;
    if (!kernel_.tree.empty()) {
      auto state = git_tree_state(kernel_.tree);
      if (!state) return state.error().context("kernel " + kernel_.name + ": tree");
      in.git_rev = state->rev;
      auto source = git_source_key(steps_.src, state->tree_id);
      if (!source) return source.error();
      in.source_key = *source;
      origin = "git:" + std::filesystem::weakly_canonical(kernel_.tree).string();
    } else {
      auto source = debian_source_key(steps_.src, kernel_.source_package, kernel_.version);
      if (!source) return source.error();
      in.source_key = *source;
      origin = "debian:" + kernel_.source_package;
    }
    auto work = kernel_work_key(origin, kernel_.fragments, in.toolchain_key);
    if (!work) return work.error();
    in.work_key = *work;
    auto key = build_kernel_key(steps_.src, in.source_key, in.work_key, kernel_.patches);
    if (!key) return key.error();
    in.kernel_key = *key;
    return in;
  }

  config::KernelConfig kernel_;
  ProvisionSteps steps_;
  mutable std::optional<Result<Inputs>> resolved_;
};

}  // namespace

std::unique_ptr<KernelProvider> make_build_provider(const config::KernelConfig& kernel,
                                                    ProvisionSteps steps) {
  return std::make_unique<BuildProvider>(kernel, std::move(steps));
}

}  // namespace scxfarm::provision
