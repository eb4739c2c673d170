#pragma once

#include <memory>

#include "scxfarm/provision/kernel_provider.h"

namespace scxfarm::provision {
std::unique_ptr<KernelProvider> make_debian_provider(const config::KernelConfig& kernel,
                                                     ProvisionSteps steps);
}  // namespace scxfarm::provision
