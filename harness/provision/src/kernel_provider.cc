#include "scxfarm/provision/kernel_provider.h"

#include <chrono>

#include "../kernels/build/build_provider.h"
#include "../kernels/debian/debian_provider.h"
#include "../kernels/image/image_provider.h"
#include "scxfarm/common/process.h"
#include "scxfarm/common/text.h"

namespace scxfarm::provision {

Result<std::unique_ptr<KernelProvider>> make_kernel_provider(const config::KernelConfig& kernel,
                                                             ProvisionSteps steps) {
  using Source = config::KernelConfig::Source;
  switch (kernel.source) {
    case Source::kDebian:
      return make_debian_provider(kernel, std::move(steps));
    case Source::kImage:
      return make_image_provider(kernel, std::move(steps));
    case Source::kBuild:
      return make_build_provider(kernel, std::move(steps));
  }
  return make_error("kernel " + kernel.name + ": unknown source");
}

namespace {

Result<std::string> git(const std::filesystem::path& tree, std::vector<std::string> args) {
  std::vector<std::string> argv = {"git", "-C", tree.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  auto out = run_command(argv, std::chrono::seconds(120));
  if (!out) return out.error();
  if (!out->status.success()) {
    return make_error("git " + args.front() + " in " + tree.string() + " failed (" +
                      out->status.describe() + "): " + std::string(text::trim(out->output)));
  }
  return std::string(text::trim(out->output));
}

}  // namespace

Result<GitTreeState> git_tree_state(const std::filesystem::path& tree) {
  GitTreeState state;
  // Refresh the index's stat data first (as git status does): a file whose
  // timestamp changed but whose content did not makes stash create fail.
  // Its exit status says "files are modified", which is not an error here.
  (void)run_command({"git", "-C", tree.string(), "update-index", "-q", "--refresh"},
                    std::chrono::seconds(120));
  // stash create records tracked changes as a commit without touching the
  // tree or the stash list; it prints nothing for a clean tree.
  auto stash = git(tree, {"stash", "create"});
  if (!stash) return stash.error();
  state.dirty = !stash->empty();
  auto rev = state.dirty ? Result<std::string>(*stash) : git(tree, {"rev-parse", "HEAD"});
  if (!rev) return rev.error();
  state.rev = *rev;
  auto tree_id = git(tree, {"rev-parse", state.rev + "^{tree}"});
  if (!tree_id) return tree_id.error();
  state.tree_id = *tree_id;
  return state;
}

}  // namespace scxfarm::provision
