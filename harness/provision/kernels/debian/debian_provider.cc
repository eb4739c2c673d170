// source: debian — a pinned Debian kernel package and its linux-source tree,
// fetched through the guest root's apt (scripts/kernel-debian.sh).
#include "debian_provider.h"

namespace scxfarm::provision {

namespace {

class DebianProvider final : public KernelProvider {
 public:
  DebianProvider(config::KernelConfig kernel, ProvisionSteps steps)
      : kernel_(std::move(kernel)), steps_(std::move(steps)) {}

  Result<std::string> key() const override { return debian_kernel_key(steps_.src, kernel_); }

  Status obtain(const std::filesystem::path& out) override {
    auto key = this->key();
    if (!key) return key.error();
    return steps_.run_script("kernel: fetch " + kernel_.binary_package + " " + kernel_.version,
                             {"bash", (steps_.src.scripts() / "kernel-debian.sh").string(),
                              (steps_.guest_root.dir / "root").string(), out.string(),
                              kernel_.binary_package, kernel_.source_package, kernel_.version},
                             steps_.cache_root / "kernel" / (*key + ".log"));
  }

  std::string describe() const override {
    return "debian " + kernel_.binary_package + " " + kernel_.version;
  }

 private:
  config::KernelConfig kernel_;
  ProvisionSteps steps_;
};

}  // namespace

std::unique_ptr<KernelProvider> make_debian_provider(const config::KernelConfig& kernel,
                                                     ProvisionSteps steps) {
  return std::make_unique<DebianProvider>(kernel, std::move(steps));
}

}  // namespace scxfarm::provision
