// source: image — a bzImage a developer built and the tree it came from
// (scripts/kernel-image.sh copies both into the cache, so editing the tree
// later cannot change a cached kernel).
#include "image_provider.h"

#include <optional>

namespace scxfarm::provision {

namespace {

class ImageProvider final : public KernelProvider {
 public:
  ImageProvider(config::KernelConfig kernel, ProvisionSteps steps)
      : kernel_(std::move(kernel)), steps_(std::move(steps)) {}

  // The image's bytes and the tree's identity: its git state when it is a
  // git work tree, else the content of what a run uses from it. Computed
  // once per provider: obtain() publishes under the key key() gave, and
  // hashing the image and the tree is not free.
  Result<std::string> key() const override {
    if (!key_) key_ = compute_key();
    return *key_;
  }

  Status obtain(const std::filesystem::path& out) override {
    auto key = this->key();
    if (!key) return key.error();
    std::vector<std::string> argv = {"bash", (steps_.src.scripts() / "kernel-image.sh").string(),
                                     kernel_.image.string(), kernel_.tree.string(), out.string()};
    if (!kernel_.vmlinux.empty()) argv.push_back(kernel_.vmlinux.string());
    return steps_.run_script("kernel: import " + kernel_.image.string(), argv,
                             steps_.cache_root / "kernel" / (*key + ".log"));
  }

  std::string describe() const override {
    return "image " + kernel_.image.string() + " (tree " + kernel_.tree.string() + ")";
  }

 private:
  Result<std::string> compute_key() const {
    std::string identity;
    if (std::filesystem::exists(kernel_.tree / ".git")) {
      auto state = git_tree_state(kernel_.tree);
      if (!state) return state.error().context("kernel " + kernel_.name + ": tree");
      identity = "git:" + state->tree_id;
    } else {
      auto content = tree_content_identity(kernel_.tree);
      if (!content) return content.error().context("kernel " + kernel_.name + ": tree");
      identity = *content;
    }
    return image_kernel_key(steps_.src, kernel_, identity);
  }

  config::KernelConfig kernel_;
  ProvisionSteps steps_;
  mutable std::optional<Result<std::string>> key_;
};

}  // namespace

std::unique_ptr<KernelProvider> make_image_provider(const config::KernelConfig& kernel,
                                                    ProvisionSteps steps) {
  return std::make_unique<ImageProvider>(kernel, std::move(steps));
}

}  // namespace scxfarm::provision
